package org.volseg.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.proto.ConfigProto;

/**
 * A loaded SavedModel as the engine serves it: its signatures and a session to call them in,
 * either the SavedModel's own or, once {@link #freeze frozen}, one of a graph whose weights are
 * constants ({@link FrozenWeights}). Owns (and closes) the bundle or the frozen graph and session.
 * Not thread-safe.
 */
final class ServingModel implements AutoCloseable {

	private static final Logger LOG = Logger.getLogger(ServingModel.class.getName());

	private final List<Signature> signatures;
	private final SavedModelBundle bundle;
	private final Graph graph;
	private final Session session;

	private ServingModel(List<Signature> signatures, SavedModelBundle bundle, Graph graph, Session session) {
		this.signatures = signatures;
		this.bundle = bundle;
		this.graph = graph;
		this.session = session;
	}

	/** The bundle as it is (closed with this model). */
	static ServingModel of(SavedModelBundle bundle) {
		return new ServingModel(bundle.signatures(), bundle, null, bundle.session());
	}

	/**
	 * The bundle with its weights frozen into constants when {@link FrozenWeights#freeze} freezes
	 * them (the bundle is then closed), else the bundle as it is. The frozen graph keeps what the
	 * signatures' inputs and outputs need.
	 *
	 * @param config the session options of the frozen graph's session (those the bundle was loaded with)
	 * @param source what to name in the log
	 */
	static ServingModel freeze(SavedModelBundle bundle, ConfigProto config, long maxBytes, String source) {
		List<String> keep = new ArrayList<>();
		for (Signature s : bundle.signatures()) {
			s.getInputs().values().forEach(t -> keep.add(t.name));
			s.getOutputs().values().forEach(t -> keep.add(t.name));
		}
		long t0 = System.nanoTime();
		Optional<Graph> frozen;
		try {
			frozen = FrozenWeights.freeze(bundle.graph(), bundle.session(), keep, maxBytes);
		} catch (IllegalArgumentException e) { // a signature names a tensor the graph lacks: TensorFlow will say so
			LOG.info("VolSeg engine: the weights of " + source + " stay variables: " + e.getMessage());
			return of(bundle);
		} catch (RuntimeException | Error e) {
			bundle.close();
			throw e;
		}
		if (frozen.isEmpty())
			return of(bundle);
		Graph graph = frozen.get();
		try {
			Session session = new Session(graph, config);
			ServingModel model = new ServingModel(bundle.signatures(), null, graph, session);
			LOG.info(String.format("VolSeg engine: the weights of %s frozen into constants (%.0f ms)", source,
					(System.nanoTime() - t0) / 1e6));
			return model;
		} catch (RuntimeException | Error e) {
			graph.close();
			throw e;
		} finally {
			bundle.close();
		}
	}

	/** The SavedModel's signatures. */
	List<Signature> signatures() {
		return signatures;
	}

	/** A function calling {@code signature} in this model's session (valid until this model is closed). */
	SessionFunction function(Signature signature) {
		return SessionFunction.create(signature, session);
	}

	/** Whether the weights are constants ({@link #freeze} froze them). */
	boolean frozen() {
		return bundle == null;
	}

	@Override
	public void close() {
		if (bundle != null) {
			bundle.close();
		} else {
			session.close();
			graph.close();
		}
	}
}
