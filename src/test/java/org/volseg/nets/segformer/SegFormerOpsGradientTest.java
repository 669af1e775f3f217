package org.volseg.nets.segformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;
import org.volseg.nets.blocks.TrilinearResize;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The SegFormer-specific ops have TensorFlow gradients (for fine-tuning), and they are right:
 * d sum(op(x)) / dx computed by TensorFlow matches what the op's weights imply.
 */
class SegFormerOpsGradientTest {

	/** d sum(f(x)) / dx for x of the given shape (values irrelevant: both ops are linear). */
	private static float[] gradientOfSum(long[] shape, BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> f) {
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, -1, shape[4])));
			Operand<TFloat32> sum = tf.sum(f.apply(tf, x), tf.constant(new int[] { 0, 1, 2, 3, 4 }));
			Output<?>[] grad = g.addGradients(sum.asOutput(), new Output<?>[] { x.asOutput() });
			float[] in = new float[(int) Shape.of(shape).size()];
			try (TFloat32 t = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(in, true, false));
					Result r = s.runner().feed(x, t).fetch(grad[0]).run()) {
				float[] out = new float[in.length];
				((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
				return out;
			}
		}
	}

	@Test
	void depthwiseConvolutionGradientCountsTheKernelTaps() {
		// all-ones 3x3x3 kernel, padding 1, 4x4x4 volume: voxel (i, j, k) feeds n(i) * n(j) * n(k) outputs,
		// n = 2 on a face, 3 inside
		float[] g = gradientOfSum(new long[] { 1, 4, 4, 4, 2 }, (tf, x) -> DepthwiseConv3d.apply(tf, x,
				tf.constant(Shape.of(3, 3, 3, 2), DataBuffers.of(ones(54), true, false)), null, 3, 1));
		for (int i = 0; i < 4; i++) {
			for (int j = 0; j < 4; j++) {
				for (int k = 0; k < 4; k++) {
					float expected = taps(i) * taps(j) * taps(k);
					assertEquals(expected, g[((i * 4 + j) * 4 + k) * 2], 0f);
					assertEquals(expected, g[((i * 4 + j) * 4 + k) * 2 + 1], 0f);
				}
			}
		}
	}

	@Test
	void resizeGradientSumsToTheOutputCount() {
		// each output is a convex combination of inputs: the gradients of sum(output) add up to the output count
		float[] up = gradientOfSum(new long[] { 1, 2, 3, 4, 1 }, (tf, x) -> TrilinearResize.byFactor(tf, x, 4));
		assertEquals(8 * 12 * 16, sum(up), 1e-3);
		float[] down = gradientOfSum(new long[] { 2, 8, 8, 8, 3 },
				(tf, x) -> TrilinearResize.toSizeOf(tf, x, tf.zeros(tf.constant(new long[] { 1, 4, 4, 4, 1 }), TFloat32.class)));
		assertEquals(2 * 4 * 4 * 4 * 3, sum(down), 1e-3);
		// halving averages pairs: every input voxel gets 1/8
		assertEquals(0.125f, down[0], 1e-7f);
	}

	private static int taps(int i) {
		return i == 0 || i == 3 ? 2 : 3;
	}

	private static float[] ones(int n) {
		float[] v = new float[n];
		java.util.Arrays.fill(v, 1f);
		return v;
	}

	private static double sum(float[] v) {
		double s = 0;
		for (float f : v) {
			s += f;
		}
		return s;
	}
}
