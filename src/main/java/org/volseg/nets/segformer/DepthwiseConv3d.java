package org.volseg.nets.segformer;

import java.util.ArrayList;
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
 * convolutions of the input shifted by {@code kd} along d0. The input is put d0 first
 * ({@code [d0, batch, d1, d2, C]}, which moves no data for batch 1), zero-padded along d0 (and
 * along d1, d2 unless {@code p = (k - 1) / 2}, where the 2D convolution's {@code SAME} padding does
 * it) and folded into a stack of planes {@code [(d0 + 2p) * batch, d1', d2', C]}, plane
 * {@code t * batch + b}. Each of the k 2D kernels {@code filter[kd]} convolves the whole stack once,
 * and the result for output plane {@code t} of every sample is the sum over kd of the planes
 * {@code (t + kd) * batch + b} of the kd-th stack. Those shifted windows are slices along the stack's
 * first axis, which TensorFlow hands out without copying, and never mix two samples; they are
 * added in one {@code AddN} and put back batch first (again free for batch 1). The bias is added to
 * the first 2D convolution's planes (each output plane sums exactly one of them), where TensorFlow
 * fuses it into that convolution. The result is exact up to float rounding (summation order).</p>
 *
 * <p>Layouts: input and output channels-last {@code [batch, d0, d1, d2, C]}; the filter is
 * {@code [k, k, k, C]} (PyTorch's {@code [C, 1, k, k, k]} weight transposed by
 * {@link #filterFromPyTorch}). C must be static; batch and spatial sizes may be unknown until run
 * time.</p>
 */
final class DepthwiseConv3d {

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
		// SAME padding of a stride-1 2D convolution is (k - 1) / 2 on both sides for odd k
		boolean same = kernel % 2 == 1 && padding == (kernel - 1) / 2;
		int planePadding = same ? 0 : padding;
		Operand<TInt32> swapBatchAndD0 = tf.constant(new int[] { 1, 0, 2, 3, 4 });
		Operand<TFloat32> planesFirst = tf.linalg.transpose(input, swapBatchAndD0);
		if (padding > 0) {
			planesFirst = tf.pad(planesFirst, tf.constant(new int[][] { { padding, padding }, { 0, 0 },
					{ planePadding, planePadding }, { planePadding, planePadding }, { 0, 0 } }), tf.constant(0f));
		}
		Operand<TInt32> batch = ShapeOps.dim(tf, planesFirst, 1);
		Operand<TInt32> outD0 = tf.math.sub(ShapeOps.dim(tf, planesFirst, 0), tf.constant(kernel - 1));
		// [d0p * batch, d1', d2', C]: plane t * batch + b
		Operand<TFloat32> stack = tf.reshape(planesFirst, ShapeOps.concat(tf, tf.constant(new int[] { -1 }),
				ShapeOps.dims(tf, planesFirst, 2, 4), tf.constant(new int[] { channels })));
		Operand<TInt32> windowSize = ShapeOps.concat(tf, ShapeOps.vector(tf, tf.math.mul(outD0, batch)),
				tf.constant(new int[] { -1, -1, -1 }));
		List<Operand<TFloat32>> windows = new ArrayList<>();
		for (int kd = 0; kd < kernel; kd++) {
			Operand<TFloat32> kernel2d = tf.reshape(tf.stridedSlice(filter, Indices.at(kd)),
					tf.constant(new long[] { kernel, kernel, channels, 1 }));
			Operand<TFloat32> conv = tf.nn.depthwiseConv2dNative(stack, kernel2d, List.of(1L, 1L, 1L, 1L),
					same ? "SAME" : "VALID");
			if (bias != null && kd == 0) {
				// every output plane sums exactly one plane of the first convolution
				conv = tf.nn.biasAdd(conv, bias);
			}
			Operand<TInt32> start = ShapeOps.concat(tf, ShapeOps.vector(tf, tf.math.mul(batch, tf.constant(kd))),
					tf.constant(new int[] { 0, 0, 0 }));
			windows.add(kernel == 1 ? conv : tf.slice(conv, start, windowSize));
		}
		Operand<TFloat32> sum = windows.size() == 1 ? windows.get(0) : tf.math.addN(windows);
		Operand<TFloat32> out = tf.reshape(sum, ShapeOps.concat(tf, ShapeOps.vector(tf, outD0), ShapeOps.vector(tf, batch),
				ShapeOps.dims(tf, sum, 1, 4)));
		return tf.linalg.transpose(out, swapBatchAndD0);
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
