package org.volseg.nets.segformer;

import java.util.function.BiFunction;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Test helper: builds a one-input graph, runs it once on a float array, returns the output. */
final class GraphRunner {

	private GraphRunner() {}

	/** Output of {@code build(tf, placeholder)} for the given row-major input; the placeholder has static spatial sizes. */
	static float[] run(long[] inputShape, float[] input, BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> build) {
		return run(inputShape, input, false, build);
	}

	/**
	 * Output of {@code build(tf, placeholder)}; with {@code dynamic}, the placeholder's batch and spatial
	 * sizes are unknown until run time (only the channels are static).
	 */
	static float[] run(long[] inputShape, float[] input, boolean dynamic,
			BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> build) {
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			Placeholder<TFloat32> x = tf.placeholder(TFloat32.class,
					Placeholder.shape(dynamic ? Shape.of(-1, -1, -1, -1, inputShape[4])
							: Shape.of(-1, inputShape[1], inputShape[2], inputShape[3], inputShape[4])));
			Operand<TFloat32> y = build.apply(tf, x);
			try (TFloat32 in = TFloat32.tensorOf(Shape.of(inputShape), DataBuffers.of(input, true, false));
					Result r = s.runner().feed(x, in).fetch(y).run()) {
				TFloat32 out = (TFloat32) r.get(0);
				float[] values = new float[(int) out.shape().size()];
				out.copyTo(DataBuffers.of(values, false, false));
				return values;
			}
		}
	}
}
