package org.volseg.nets.segformer;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Trilinear resizing of a channels-last volume with PyTorch's {@code align_corners=False} semantics
 * ({@code torch.nn.functional.interpolate(mode="trilinear")}), built from TensorFlow ops that exist
 * (TensorFlow has no 3D resize).
 *
 * <p>Trilinear interpolation is separable: the volume is interpolated linearly along d0, then d1, then
 * d2. Along an axis with input size {@code in} and output size {@code out}, output index {@code i}
 * reads source coordinate {@code src = max(scale * (i + 0.5) - 0.5, 0)} (float32), where
 * {@code scale = 1 / scale_factor} when resizing by a factor and {@code in / out} when resizing to a
 * size; {@code i0 = floor(src)}, {@code i1 = min(i0 + 1, in - 1)}, {@code w1 = src - i0}, and the
 * value is {@code (1 - w1) * x[i0] + w1 * x[i1]}: two gathers and a weighted sum. Indices and weights
 * are computed in the graph from the run-time sizes.</p>
 *
 * <p>Layout: {@code [batch, d0, d1, d2, C]} in and out; any batch and spatial size.</p>
 */
public final class TrilinearResize {

	private TrilinearResize() {}

	/**
	 * {@code interpolate(x, size=target's (d0, d1, d2), mode="trilinear", align_corners=False)}.
	 *
	 * @param target any {@code [batch, d0, d1, d2, ...]} tensor whose spatial size is the output's
	 */
	public static Operand<TFloat32> toSizeOf(Ops tf, Operand<TFloat32> input, Operand<? extends org.tensorflow.types.family.TType> target) {
		Operand<TFloat32> x = input;
		for (int axis = 1; axis <= 3; axis++) {
			Operand<TInt32> in = ShapeOps.dim(tf, x, axis);
			Operand<TInt32> out = ShapeOps.dim(tf, target, axis);
			Operand<TFloat32> scale = tf.math.realDiv(tf.dtypes.cast(in, TFloat32.class),
					tf.dtypes.cast(out, TFloat32.class));
			x = alongAxis(tf, x, axis, in, out, scale);
		}
		return x;
	}

	/**
	 * {@code interpolate(x, scale_factor=factor, mode="trilinear", align_corners=False)}, as
	 * {@code nn.Upsample(scale_factor=factor, mode="trilinear")}, for an integer factor: output size
	 * {@code size * factor}, scale {@code 1 / factor}.
	 */
	public static Operand<TFloat32> byFactor(Ops tf, Operand<TFloat32> input, int factor) {
		if (factor < 1) {
			throw new IllegalArgumentException("scale factor must be a positive integer, got " + factor);
		}
		Operand<TFloat32> x = input;
		for (int axis = 1; axis <= 3; axis++) {
			Operand<TInt32> in = ShapeOps.dim(tf, x, axis);
			x = alongAxis(tf, x, axis, in, tf.math.mul(in, tf.constant(factor)), tf.constant((float) (1.0 / factor)));
		}
		return x;
	}

	private static Operand<TFloat32> alongAxis(Ops tf, Operand<TFloat32> x, int axis, Operand<TInt32> in,
			Operand<TInt32> out, Operand<TFloat32> scale) {
		Operand<TFloat32> dst = tf.dtypes.cast(tf.range(tf.constant(0), out, tf.constant(1)), TFloat32.class);
		Operand<TFloat32> src = tf.math.maximum(
				tf.math.sub(tf.math.mul(scale, tf.math.add(dst, tf.constant(0.5f))), tf.constant(0.5f)), tf.constant(0f));
		Operand<TInt32> i0 = tf.dtypes.cast(tf.math.floor(src), TInt32.class);
		Operand<TInt32> i1 = tf.math.minimum(tf.math.add(i0, tf.constant(1)), tf.math.sub(in, tf.constant(1)));
		Operand<TFloat32> w1 = tf.math.sub(src, tf.dtypes.cast(i0, TFloat32.class));
		Operand<TFloat32> w0 = tf.math.sub(tf.constant(1f), w1);
		int[] broadcast = { 1, 1, 1, 1, 1 };
		broadcast[axis] = -1;
		Operand<TInt32> weightShape = tf.constant(broadcast);
		Operand<TFloat32> x0 = tf.gather(x, i0, tf.constant(axis));
		Operand<TFloat32> x1 = tf.gather(x, i1, tf.constant(axis));
		return tf.math.add(tf.math.mul(x0, tf.reshape(w0, weightShape)), tf.math.mul(x1, tf.reshape(w1, weightShape)));
	}
}
