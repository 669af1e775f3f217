package org.volseg.nets.segformer;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Trilinear resizing of a channels-last volume with PyTorch's {@code align_corners=False} semantics,
 * built from TensorFlow ops that exist (TensorFlow has no 3D resize).
 *
 * <p>Trilinear interpolation is separable: the volume is interpolated linearly along d0, then d1, then
 * d2, each step two gathers with fixed indices and a weighted sum with fixed weights from
 * {@link LinearInterpolation}. Axes whose interpolation is the identity are skipped.</p>
 *
 * <p>Layout: {@code [batch, d0, d1, d2, C]} in and out; static spatial sizes, any batch.</p>
 */
public final class TrilinearResize {

	private TrilinearResize() {}

	/**
	 * {@code interpolate(x, size=outSize, mode="trilinear", align_corners=False)}.
	 *
	 * @param outSize output (d0, d1, d2)
	 */
	public static Operand<TFloat32> toSize(Ops tf, Operand<TFloat32> input, int[] outSize) {
		long[] in = spatialSize(input);
		LinearInterpolation[] axes = new LinearInterpolation[3];
		for (int a = 0; a < 3; a++) {
			axes[a] = LinearInterpolation.toSize((int) in[a], outSize[a]);
		}
		return apply(tf, input, axes);
	}

	/**
	 * {@code interpolate(x, scale_factor=factor, mode="trilinear", align_corners=False)}, as
	 * {@code nn.Upsample(scale_factor=factor, mode="trilinear")}: output {@code floor(size * factor)}.
	 */
	public static Operand<TFloat32> byFactor(Ops tf, Operand<TFloat32> input, double factor) {
		long[] in = spatialSize(input);
		LinearInterpolation[] axes = new LinearInterpolation[3];
		for (int a = 0; a < 3; a++) {
			axes[a] = LinearInterpolation.byFactor((int) in[a], factor);
		}
		return apply(tf, input, axes);
	}

	private static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> input, LinearInterpolation[] axes) {
		Operand<TFloat32> x = input;
		for (int a = 0; a < 3; a++) {
			if (!axes[a].isIdentity()) {
				x = alongAxis(tf, x, a + 1, axes[a]);
			}
		}
		return x;
	}

	private static Operand<TFloat32> alongAxis(Ops tf, Operand<TFloat32> x, int axis, LinearInterpolation interp) {
		long[] weightShape = { 1, 1, 1, 1, 1 };
		weightShape[axis] = interp.outSize();
		Operand<TFloat32> w0 = tf.constant(Shape.of(weightShape), DataBuffers.of(interp.weight0(), true, false));
		Operand<TFloat32> w1 = tf.constant(Shape.of(weightShape), DataBuffers.of(interp.weight1(), true, false));
		Operand<TFloat32> x0 = tf.gather(x, tf.constant(interp.index0()), tf.constant(axis));
		Operand<TFloat32> x1 = tf.gather(x, tf.constant(interp.index1()), tf.constant(axis));
		return tf.math.add(tf.math.mul(x0, w0), tf.math.mul(x1, w1));
	}

	private static long[] spatialSize(Operand<TFloat32> input) {
		Shape shape = input.shape();
		if (shape.numDimensions() != 5 || shape.size(1) < 1 || shape.size(2) < 1 || shape.size(3) < 1) {
			throw new IllegalArgumentException("trilinear resize needs [batch, d0, d1, d2, C] with static d0..d2, got "
					+ shape);
		}
		return new long[] { shape.size(1), shape.size(2), shape.size(3) };
	}
}
