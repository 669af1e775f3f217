package org.volseg.nets.segformer;

import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.volseg.nets.blocks.ShapeOps;

/**
 * A strided 3D convolution (PyTorch {@code nn.Conv3d(Cin, Cout, k, stride=s, padding=p)}, the same
 * k, s and p on every axis) as a stride-1 convolution of space-to-depth blocks: for few input
 * channels (SegFormer3D's first patch embedding: 4 channels, 7^3 kernel, stride 4) TensorFlow's
 * {@code Conv3D} runs at a small fraction of its matmul rate, and on the blocks' s^3 Cin channels
 * (256 there) at a large one.
 *
 * <p>The zero-padded input is cut into s^3 blocks (space-to-depth: {@code [m0, m1, m2, s^3 Cin]},
 * block {@code b} holding padded voxels {@code s b .. s b + s - 1} per axis). Output voxel {@code o}
 * reads padded voxels {@code s o .. s o + k - 1}, i.e. the {@code q^3} blocks {@code o + j},
 * {@code j in [0, q)^3}, {@code q = ceil(k / s)}, tap {@code j s + r} of the kernel meeting offset
 * {@code r} inside block {@code o + j} (taps past k are zero). So the output is a {@code q^3}
 * convolution (stride 1, no padding) of the blocks with the kernel rearranged to
 * {@code [q, q, q, s^3 Cin, Cout]}. Multiply-adds: {@code (q s / k)^3} times the convolution's (1.5
 * for k 7, s 4); exact up to float rounding (summation order). Its gradient needs TensorFlow's
 * {@code Conv3D} gradient, which training registers ({@code Conv3dGradients}); the other ops have
 * theirs.</p>
 *
 * <p>Layouts: input {@code [batch, d0, d1, d2, Cin]} channels-last with static Cin (batch and spatial
 * sizes may be known only at run time); kernel {@code [k, k, k, Cin, Cout]} (TensorFlow's Conv3D
 * layout); output {@code [batch, o0, o1, o2, Cout]} with {@code o = floor((n + 2p - k) / s) + 1}.</p>
 */
final class BlockedConv3d {

	private BlockedConv3d() {}

	/**
	 * @param bias {@code [Cout]} or {@code null}
	 */
	static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> input, Operand<TFloat32> kernel, Operand<TFloat32> bias,
			int k, int s, int p) {
		if (input.shape().numDimensions() != 5 || input.shape().size(4) < 1 || kernel.shape().numDimensions() != 5
				|| kernel.shape().size(4) < 1) {
			throw new IllegalArgumentException("blocked conv3d needs input [batch, d0, d1, d2, C] and kernel [k, k, k, C, C'] "
					+ "with static channels, got " + input.shape() + " and " + kernel.shape());
		}
		int in = (int) input.shape().size(4);
		int out = (int) kernel.shape().size(4);
		int q = (k + s - 1) / s;
		// per axis: n -> o = floor((n + 2p - k) / s) + 1 outputs, m = o + q - 1 blocks, length s m
		Operand<TInt32> n = ShapeOps.dims(tf, input, 1, 4);
		Operand<TInt32> o = tf.math.add(tf.math.floorDiv(tf.math.add(n, tf.constant(2 * p - k)), tf.constant(s)),
				tf.constant(1));
		Operand<TInt32> m = tf.math.add(o, tf.constant(q - 1));
		Operand<TInt32> length = tf.math.mul(m, tf.constant(s));
		// zeros after the data up to s m (none if s m <= n + p: then the slice crops)
		Operand<TInt32> after = tf.math.maximum(tf.math.sub(length, tf.math.add(n, tf.constant(p))), tf.constant(0));
		Operand<TFloat32> padded = tf.slice(padSpatially(tf, input, p, after, in), tf.constant(new int[] { 0, 0, 0, 0, 0 }),
				ShapeOps.concat(tf, tf.constant(new int[] { -1 }), length, tf.constant(new int[] { -1 })));
		Operand<TInt32> batch = ShapeOps.dims(tf, input, 0, 1);
		Operand<TInt32> m0 = tf.stridedSlice(m, org.tensorflow.ndarray.index.Indices.slice(0, 1));
		Operand<TInt32> m1 = tf.stridedSlice(m, org.tensorflow.ndarray.index.Indices.slice(1, 2));
		Operand<TInt32> m2 = tf.stridedSlice(m, org.tensorflow.ndarray.index.Indices.slice(2, 3));
		Operand<TInt32> sv = tf.constant(new int[] { s });
		// [B, m0, s, m1, s, m2, s Cin] -> [B, m0, m1, m2, s, s, s Cin] -> [B, m0, m1, m2, s^3 Cin]
		// (the last offset and the channels stay together: a rank-7 transpose moving runs of s Cin floats)
		Operand<TFloat32> split = tf.reshape(padded, ShapeOps.concat(tf, batch, m0, sv, m1, sv, m2, tf.constant(new int[] { s * in })));
		Operand<TFloat32> blocks = tf.reshape(tf.linalg.transpose(split, tf.constant(new int[] { 0, 1, 3, 5, 2, 4, 6 })),
				ShapeOps.concat(tf, batch, m, tf.constant(new int[] { s * s * s * in })));
		// kernel [k, k, k, Cin, Cout] -> zero taps up to q s -> [q, s, q, s, q, s, Cin, Cout]
		// -> [q, q, q, s, s, s, Cin, Cout] -> [q, q, q, s^3 Cin, Cout]
		int extra = q * s - k;
		Operand<TFloat32> w = extra == 0 ? kernel
				: tf.pad(kernel, tf.constant(new int[][] { { 0, extra }, { 0, extra }, { 0, extra }, { 0, 0 }, { 0, 0 } }),
						tf.constant(0f));
		w = tf.reshape(w, tf.constant(new long[] { q, s, q, s, q, s, in, out }));
		w = tf.reshape(tf.linalg.transpose(w, tf.constant(new int[] { 0, 2, 4, 1, 3, 5, 6, 7 })),
				tf.constant(new long[] { q, q, q, (long) s * s * s * in, out }));
		Operand<TFloat32> sum = tf.nn.conv3d(blocks, w, List.of(1L, 1L, 1L, 1L, 1L), "VALID");
		return bias == null ? sum : tf.nn.biasAdd(sum, bias);
	}

	/**
	 * Zeros around {@code [B, d0, d1, d2, C]}: {@code before} on every spatial axis, {@code after[a]}
	 * after axis a. Padded with the last two axes merged ({@code [B, d0, d1, d2 C]}): the same zeros,
	 * but TensorFlow's Pad copies runs of {@code d2 C} floats instead of C (4 for SegFormer3D's input,
	 * where padding voxel by voxel cost a third of the matmul's time).
	 */
	private static Operand<TFloat32> padSpatially(Ops tf, Operand<TFloat32> input, int before, Operand<TInt32> after,
			int channels) {
		Operand<TFloat32> merged = tf.reshape(input, ShapeOps.concat(tf, ShapeOps.dims(tf, input, 0, 3),
				tf.constant(new int[] { -1 })));
		Operand<TInt32> befores = tf.constant(new int[] { before, before, before * channels });
		Operand<TInt32> afters = tf.math.mul(after, tf.constant(new int[] { 1, 1, channels }));
		Operand<TInt32> pads = tf.concat(List.of(tf.constant(new int[][] { { 0, 0 } }),
				tf.stack(List.of(befores, afters), org.tensorflow.op.core.Stack.axis(1L))), tf.constant(0));
		Operand<TFloat32> padded = tf.pad(merged, pads, tf.constant(0f));
		Operand<TInt32> paddedSpatial = tf.math.add(tf.math.add(ShapeOps.dims(tf, input, 1, 4), tf.constant(before)), after);
		return tf.reshape(padded, ShapeOps.concat(tf, ShapeOps.dims(tf, input, 0, 1), paddedSpatial,
				tf.constant(new int[] { channels })));
	}
}
