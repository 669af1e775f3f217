package org.volseg.nets.segformer;

import java.util.List;

import org.volseg.nets.blocks.ShapeOps;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Depthwise 3D convolution (PyTorch {@code nn.Conv3d(C, C, k, stride=1, padding=p, groups=C)})
 * built from TensorFlow ops that exist: TensorFlow has a depthwise 2D convolution but no 3D one.
 *
 * <p>A depthwise 3D convolution is the sum, over the kernel's first axis {@code kd}, of depthwise 2D
 * convolutions of the input shifted by {@code kd} along d0. The input is zero-padded on all three
 * spatial axes first; each shifted slab {@code [batch, d0', d1+2p, d2+2p, C]} is folded into the batch
 * axis ({@code [batch * d0', d1+2p, d2+2p, C]}), convolved (VALID) with the 2D kernel
 * {@code filter[kd]} and unfolded. The result is exact up to float rounding (summation order).</p>
 *
 * <p>Layouts: input and output channels-last {@code [batch, d0, d1, d2, C]}; the filter is
 * {@code [k, k, k, C]} (PyTorch's {@code [C, 1, k, k, k]} weight transposed by
 * {@link #filterFromPyTorch}). C must be static; batch and spatial sizes may be unknown until run
 * time.</p>
 */
public final class DepthwiseConv3d {

	private DepthwiseConv3d() {}

	/**
	 * @param tf ops scope the new ops are added to
	 * @param input {@code [batch, d0, d1, d2, C]}, static C
	 * @param filter {@code [k, k, k, C]} depthwise kernel (cross-correlation, as PyTorch)
	 * @param bias {@code [C]}, or {@code null} for none
	 * @param kernel k, the kernel's edge length
	 * @param padding zero padding p on both sides of every spatial axis
	 * @return {@code [batch, d0 + 2p - k + 1, d1 + 2p - k + 1, d2 + 2p - k + 1, C]}
	 */
	public static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> input, Operand<TFloat32> filter,
			Operand<TFloat32> bias, int kernel, int padding) {
		if (input.shape().numDimensions() != 5 || input.shape().size(4) < 1) {
			throw new IllegalArgumentException("depthwise conv3d input must be [batch, d0, d1, d2, C] with static C, got "
					+ input.shape());
		}
		int channels = (int) input.shape().size(4);
		Operand<TFloat32> padded = input;
		if (padding > 0) {
			padded = tf.pad(input, tf.constant(new int[][] { { 0, 0 }, { padding, padding }, { padding, padding },
					{ padding, padding }, { 0, 0 } }), tf.constant(0f));
		}
		Operand<TInt32> batch = ShapeOps.dims(tf, padded, 0, 1);
		Operand<TInt32> outD0 = ShapeOps.vector(tf,
				tf.math.sub(ShapeOps.dim(tf, padded, 1), tf.constant(kernel - 1)));
		Operand<TInt32> slabSize = ShapeOps.concat(tf, tf.constant(new int[] { -1 }), outD0,
				tf.constant(new int[] { -1, -1, -1 }));
		Operand<TInt32> foldedShape = ShapeOps.concat(tf, tf.constant(new int[] { -1 }), ShapeOps.dims(tf, padded, 2, 4),
				tf.constant(new int[] { channels }));
		Operand<TFloat32> sum = null;
		for (int kd = 0; kd < kernel; kd++) {
			Operand<TFloat32> slab = tf.slice(padded, tf.constant(new int[] { 0, kd, 0, 0, 0 }), slabSize);
			Operand<TFloat32> kernel2d = tf.reshape(tf.stridedSlice(filter, Indices.at(kd)),
					tf.constant(new long[] { kernel, kernel, channels, 1 }));
			Operand<TFloat32> conv = tf.nn.depthwiseConv2dNative(tf.reshape(slab, foldedShape), kernel2d,
					List.of(1L, 1L, 1L, 1L), "VALID");
			Operand<TFloat32> unfolded = tf.reshape(conv,
					ShapeOps.concat(tf, batch, outD0, ShapeOps.dims(tf, conv, 1, 4)));
			sum = sum == null ? unfolded : tf.math.add(sum, unfolded);
		}
		return bias == null ? sum : tf.nn.biasAdd(sum, bias);
	}

	/**
	 * Transposes a PyTorch depthwise Conv3d weight {@code [C, 1, k, k, k]} (row-major) to the
	 * {@code [k, k, k, C]} layout {@link #apply} takes.
	 *
	 * @param weight row-major PyTorch weight, length {@code C * k^3}
	 */
	public static float[] filterFromPyTorch(float[] weight, int channels, int kernel) {
		int k3 = kernel * kernel * kernel;
		if (weight.length != channels * k3) {
			throw new IllegalArgumentException("expected " + channels * k3 + " weights, got " + weight.length);
		}
		float[] filter = new float[weight.length];
		for (int c = 0; c < channels; c++) {
			for (int i = 0; i < k3; i++) {
				filter[i * channels + c] = weight[c * k3 + i];
			}
		}
		return filter;
	}
}
