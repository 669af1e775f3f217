package org.volseg.nets;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.volseg.InvalidParameterException;
import org.volseg.engine.FrozenWeights;

/**
 * A {@link Network} built into a TensorFlow graph with its parameters, and a session to run it.
 * Owns (and closes) the {@link Graph} and {@link Session}.
 *
 * <p>The graph's input is the placeholder {@value #INPUT_NAME} {@code [batch, d0, d1, d2, C]}
 * and its output the op {@value #OUTPUT_NAME} {@code [batch, d0, d1, d2, classes]}
 * (channels-last, float32, batch dynamic). Not thread-safe.</p>
 */
public final class NetworkGraph implements AutoCloseable {

	/** Name of the input placeholder and of the signature's input. */
	public static final String INPUT_NAME = "input";
	/** Name of the output op and of the signature's output. */
	public static final String OUTPUT_NAME = "output";

	private final Network network;
	private final Graph graph;
	private final Session session;
	private final Operand<TFloat32> input;
	private final Operand<TFloat32> output;
	private final double multiplyAdds;
	private final boolean weightsFrozen;

	private NetworkGraph(Network network, Graph graph, Session session, Operand<TFloat32> input, Operand<TFloat32> output,
			double multiplyAdds, boolean weightsFrozen) {
		this.multiplyAdds = multiplyAdds;
		this.weightsFrozen = weightsFrozen;
		this.network = network;
		this.graph = graph;
		this.session = session;
		this.input = input;
		this.output = output;
	}

	/**
	 * Builds the network's graph, checks the parameters ({@link ParameterSource#finish()}) and
	 * opens a session with the weights in place.
	 *
	 * @throws WeightImportException if the parameters do not fit (nothing stays open)
	 */
	public static NetworkGraph build(Network network, ParameterSource params, Layers.WeightStorage storage) {
		return build(network, params, storage, 0);
	}

	/**
	 * As {@link #build(Network, ParameterSource, Layers.WeightStorage)}, for a graph that runs here
	 * and is not exported: with {@code fusedKernelThreads > 0} networks use VolSeg's fused CPU ops
	 * directly ({@link Layers#fuseKernels}).
	 *
	 * @throws IllegalStateException if fusedKernelThreads &gt; 0 and the fused kernels are not available
	 */
	public static NetworkGraph build(Network network, ParameterSource params, Layers.WeightStorage storage,
			int fusedKernelThreads) {
		Graph graph = new Graph();
		Session session = null;
		try {
			Ops tf = Ops.create(graph);
			long[] s = network.inputSpatialShape();
			Shape inputShape = network.acceptsOtherSpatialShapes() ? Shape.of(-1, -1, -1, -1, network.inputChannels())
					: Shape.of(-1, s[0], s[1], s[2], network.inputChannels());
			Placeholder<TFloat32> input = tf.withName(INPUT_NAME).placeholder(TFloat32.class, Placeholder.shape(inputShape));
			Layers layers = new Layers(tf, params, storage).fuseKernels(fusedKernelThreads);
			Operand<TFloat32> out = tf.withName(OUTPUT_NAME).identity(network.build(layers, input));
			params.finish();
			session = new Session(graph);
			layers.initializeVariables(session);
			return new NetworkGraph(network, graph, session, input, out, layers.multiplyAdds(), false);
		} catch (RuntimeException | Error ex) {
			if (session != null) session.close();
			graph.close();
			throw ex;
		}
	}

	/**
	 * This graph with its weights frozen into constants ({@link FrozenWeights#freeze}), as the engine
	 * runs a SegFormer3D package on the CPU: a new graph, or this one when {@link FrozenWeights} does
	 * not freeze it (no variables, or more than {@code maxBytes}). This graph is closed unless it is
	 * the one returned.
	 */
	public NetworkGraph frozen(long maxBytes) {
		try {
			Optional<Graph> frozen = FrozenWeights.freeze(graph, session, List.of(INPUT_NAME, OUTPUT_NAME), maxBytes);
			if (frozen.isEmpty())
				return this;
			Graph g = frozen.get();
			try {
				NetworkGraph result = new NetworkGraph(network, g, new Session(g), g.operation(INPUT_NAME).output(0),
						g.operation(OUTPUT_NAME).output(0), multiplyAdds, true);
				close();
				return result;
			} catch (RuntimeException | Error ex) {
				g.close();
				throw ex;
			}
		} catch (RuntimeException | Error ex) {
			close();
			throw ex;
		}
	}

	/** Builds the network with weights from a state dict, strictly checked. */
	public static NetworkGraph build(Network network, StateDict weights, Layers.WeightStorage storage) {
		return build(network, new StateDictParameters(weights, network.describe(), network.unusedKeyPatterns()), storage);
	}

	/**
	 * Runs the network.
	 *
	 * @param channelsLast {@code [batch, d0, d1, d2, C]} matching {@link Network#inputSpatialShape()}
	 *        (or, if the network {@link Network#acceptsOtherSpatialShapes() accepts other sizes}, any
	 *        size it can run on) and {@link Network#inputChannels()}
	 * @return {@code [batch, d0', d1', d2', classes]}, spatial size {@link Network#outputSpatialShape}
	 * @throws InvalidParameterException if the input shape does not fit
	 */
	public FloatTensor run(FloatTensor channelsLast) {
		return run(channelsLast, null);
	}

	/**
	 * Runs the network as {@link #run(FloatTensor)} does, writing the output into {@code reuse} when it
	 * has the output's length (as the engine recycles its patch buffers), so that repeated runs do not
	 * allocate a new output array each time.
	 *
	 * @param reuse an array for the output, or {@code null}; the returned tensor wraps it when it is used
	 */
	public FloatTensor run(FloatTensor channelsLast, float[] reuse) {
		long[] s = network.inputSpatialShape();
		if (network.acceptsOtherSpatialShapes() && channelsLast.rank() == 5) {
			s = new long[] { channelsLast.dim(1), channelsLast.dim(2), channelsLast.dim(3) };
			network.outputSpatialShape(s);
		}
		long[] expected = { channelsLast.rank() == 5 ? channelsLast.dim(0) : -1, s[0], s[1], s[2], network.inputChannels() };
		if (!channelsLast.hasShape(expected) || expected[0] < 1) {
			throw InvalidParameterException.of("input tensor", Arrays.toString(channelsLast.shape()),
					"shape [batch, " + s[0] + ", " + s[1] + ", " + s[2] + ", " + network.inputChannels() + "] (channels-last) for "
							+ network.architecture());
		}
		try (TFloat32 in = TFloat32.tensorOf(Shape.of(channelsLast.shape()), DataBuffers.of(channelsLast.data(), true, false));
				Result result = session.runner().feed(input, in).fetch(output).run()) {
			TFloat32 out = (TFloat32) result.get(0);
			long[] shape = out.shape().asArray();
			int length = Math.toIntExact(out.size());
			float[] data = reuse != null && reuse.length == length ? reuse : new float[length];
			out.copyTo(DataBuffers.of(data, false, false));
			return new FloatTensor(shape, data);
		}
	}

	/** Runs the network on a PyTorch-layout tensor {@code [batch, C, d0, d1, d2]}, returning the same layout. */
	public FloatTensor runChannelsFirst(FloatTensor channelsFirst) {
		if (channelsFirst.rank() != 5) {
			throw InvalidParameterException.of("input tensor", Arrays.toString(channelsFirst.shape()), "a 5-D tensor [batch, channel, d0, d1, d2]");
		}
		return toChannelsFirst(run(toChannelsLast(channelsFirst)));
	}

	/** {@code [B, C, d0, d1, d2]} -> {@code [B, d0, d1, d2, C]}. */
	public static FloatTensor toChannelsLast(FloatTensor channelsFirst) {
		return channelsFirst.permute(0, 2, 3, 4, 1);
	}

	/** {@code [B, d0, d1, d2, C]} -> {@code [B, C, d0, d1, d2]}. */
	public static FloatTensor toChannelsFirst(FloatTensor channelsLast) {
		return channelsLast.permute(0, 4, 1, 2, 3);
	}

	/** The serving signature: input {@value #INPUT_NAME}, output {@value #OUTPUT_NAME}. */
	public Signature signature() {
		return Signature.builder().key(Signature.DEFAULT_KEY).input(INPUT_NAME, input).output(OUTPUT_NAME, output).build();
	}

	/** Multiply-adds of one forward pass per batch sample (see {@link Layers#multiplyAdds()}). */
	public double multiplyAddsPerSample() {
		return multiplyAdds;
	}

	/** Whether {@link #frozen} froze this graph's weights into constants. */
	public boolean weightsFrozen() {
		return weightsFrozen;
	}

	/** The network this graph was built from. */
	public Network network() {
		return network;
	}

	/** The graph (owned by this object: do not close). */
	public Graph graph() {
		return graph;
	}

	/** The session, weights in place (owned by this object: do not close). */
	public Session session() {
		return session;
	}

	/** The input placeholder {@value #INPUT_NAME}, {@code [batch, d0, d1, d2, C]}. */
	public Operand<TFloat32> input() {
		return input;
	}

	/** The output {@value #OUTPUT_NAME}, {@code [batch, d0, d1, d2, classes]}. */
	public Operand<TFloat32> output() {
		return output;
	}

	@Override
	public void close() {
		session.close();
		graph.close();
	}
}
