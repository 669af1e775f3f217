package org.volseg.nets;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The parameters a {@link Network} takes, by reference key and shape, found by building its
 * graph once without weights: the keys and shapes a checkpoint for it must hold (for example to
 * compare with a published state dict's shapes before downloading it). Also a
 * {@link ParameterSource} that records what is taken and hands out zeros.
 *
 * <p>Not thread-safe; one instance per graph build.</p>
 */
public final class ParameterShapes implements ParameterSource {

	private final Map<String, long[]> shapes = new LinkedHashMap<>();
	private final Set<String> optional = new LinkedHashSet<>();

	/**
	 * Builds the network's graph (weights as uninitialised variables, no session) and returns the
	 * keys it takes with their shapes in the reference layout, in the order taken.
	 */
	public static ParameterShapes of(Network network) {
		ParameterShapes recorder = new ParameterShapes();
		try (Graph graph = new Graph()) {
			Ops tf = Ops.create(graph);
			long[] s = network.inputSpatialShape();
			Placeholder<TFloat32> input = tf.placeholder(TFloat32.class,
					Placeholder.shape(Shape.of(-1, s[0], s[1], s[2], network.inputChannels())));
			network.build(new Layers(tf, recorder, Layers.WeightStorage.VARIABLES), input);
		}
		return recorder;
	}

	@Override
	public FloatTensor take(String key, long[] shape, Init init) {
		if (shapes.put(key, shape.clone()) != null) throw new IllegalStateException("parameter " + key + " taken twice");
		return FloatTensor.zeros(shape);
	}

	@Override
	public void acceptIfPresent(String key) {
		optional.add(key);
	}

	@Override
	public void finish() {
		// nothing to check
	}

	/** Key -> shape (reference layout) of every parameter taken, in the order taken. */
	public Map<String, long[]> shapes() {
		return Collections.unmodifiableMap(shapes);
	}

	/** Keys a checkpoint may hold without the network taking them (for example {@code num_batches_tracked}). */
	public Set<String> optionalKeys() {
		return Collections.unmodifiableSet(optional);
	}

	/** Number of parameter values taken. */
	public long valueCount() {
		return shapes.values().stream().mapToLong(FloatTensor::elementCount).sum();
	}
}
