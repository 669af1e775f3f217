package org.volseg.nets.segformer;

import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.Qr;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.core.Sum;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * {@code LayerNorm(x W + b) B} (a Linear layer, a LayerNorm over its {@code d} outputs, then a
 * {@code d x e} linear map) computed without the {@code d}-wide intermediate: SegFormer3D's decoder
 * projects stage 1's 32 channels to 256, normalises them and applies a 256 x 256 block of
 * {@code linear_fuse} at 32^3 tokens, a 256-wide matmul the rewrite replaces by a 33-wide one.
 *
 * <p>With {@code W_c}, {@code b_c} the weight and bias centred over the {@code d} outputs (so
 * {@code x W_c + b_c} is the LayerNorm's centred input), {@code s = rsqrt(var + eps)} and
 * {@code var = |x W_c + b_c|^2 / d}: {@code LayerNorm(x W + b) B = [s x, s] [M; m] + beta B} with
 * {@code M = (W_c * gamma) B} and {@code m = (b_c * gamma) B}, so the per-token scale multiplies the
 * C + 1 inputs, not the e outputs. Where {@code C + 1 <= d / 2} (SegFormer3D's stages 1 and 2) the
 * variance comes from the QR factorisation {@code [W_c; b_c]^T = Q R}:
 * {@code |[x, 1] [W_c; b_c]| = |[x, 1] R^T|} because Q has orthonormal columns, so it is a sum of
 * C + 1 squares instead of d, as well conditioned as the direct d squares (a Gram-matrix quadratic
 * form would square the condition number). With more input channels the direct d squares are
 * taken: the factorisation would save little and, with weights as variables, costs milliseconds
 * per run (3.6 ms for stage 4's 256 x 257). The centring is taken twice (see {@link #centre}), so a
 * bias far larger than its spread over the outputs costs no accuracy.</p>
 *
 * <p>The weight products and the factorisation depend on parameters only: TensorFlow folds them
 * once when the weights are constants; with variables they are recomputed per run (well under a
 * millisecond for stages 1 and 2). The factorisation has no TensorFlow gradient: graphs built for
 * training keep the plain form.</p>
 *
 * <p>Layouts: {@code x [n, C]} tokens by channels, {@code weight [C, d]} (TensorFlow layout, the
 * transposed {@code nn.Linear} weight), {@code bias}, {@code gamma}, {@code beta [d]},
 * {@code block [d, e]}. Equal to the plain form up to float32 rounding.</p>
 */
final class NormalizedProjection {

	/**
	 * The result: {@code scaled [n, e]} is {@code [s x, s] [M; m]}; the constant {@code shift [e]}
	 * ({@code beta B}) is left to the caller, which can add it once after sums and interpolations
	 * (whose weights sum to 1).
	 */
	record Parts(Operand<TFloat32> scaled, Operand<TFloat32> shift) {}

	private NormalizedProjection() {}

	static Parts apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> weight, Operand<TFloat32> bias,
			Operand<TFloat32> gamma, Operand<TFloat32> beta, Operand<TFloat32> block, double eps) {
		long d = weight.shape().size(1);
		// [C + 1, d]: the weight's rows, then the bias, centred over the d outputs
		Operand<TFloat32> centred = centre(tf, centre(tf, tf.concat(List.of(weight, row(tf, bias)), tf.constant(0))));
		Operand<TFloat32> s = inverseDeviation(tf, x, centred, eps);
		// (centred * gamma) B: rows 0..C-1 are M, row C is m
		Operand<TFloat32> mapped = tf.linalg.matMul(tf.math.mul(centred, gamma), block);
		Operand<TFloat32> scaledInput = tf.concat(List.of(tf.math.mul(x, s), s), tf.constant(1));
		Operand<TFloat32> shift = tf.reshape(tf.linalg.matMul(row(tf, beta), block), tf.constant(new long[] { -1 }));
		return new Parts(tf.linalg.matMul(scaledInput, mapped), shift);
	}

	/**
	 * {@code rsqrt(|[x, 1] centred|^2 / d + eps)} per token ({@code [n, 1]}), the norm taken as
	 * {@code |[x, 1] R^T|} with R ({@code [C + 1, C + 1]}) from the QR factorisation of
	 * {@code centred^T} if {@code C + 1 <= d / 2}, else directly.
	 */
	private static Operand<TFloat32> inverseDeviation(Ops tf, Operand<TFloat32> x, Operand<TFloat32> centred, double eps) {
		long in = centred.shape().size(0) - 1;
		long d = centred.shape().size(1);
		// [C + 1, k]: |[x, 1] factor| = |[x, 1] centred| for every x
		Operand<TFloat32> factor = centred;
		if (squaresPerToken(in, d) < d) {
			Operand<TInt32> swap = tf.constant(new int[] { 1, 0 });
			Qr<TFloat32> qr = tf.linalg.qr(tf.linalg.transpose(centred, swap), Qr.fullMatrices(false));
			factor = tf.linalg.transpose(qr.r(), swap);
		}
		Operand<TFloat32> norm = tf.nn.biasAdd(tf.linalg.matMul(x, rows(tf, factor, 0, in)),
				tf.reshape(rows(tf, factor, in, 1), tf.constant(new long[] { -1 })));
		Operand<TFloat32> variance = tf.math.mul(tf.sum(tf.math.square(norm), tf.constant(1), Sum.keepDims(true)),
				tf.constant((float) (1.0 / d)));
		return tf.math.rsqrt(tf.math.add(variance, tf.constant((float) eps)));
	}

	/**
	 * How many squares the variance of one token sums for C input channels and d outputs: C + 1 (the
	 * QR factor's columns) where {@code C + 1 <= d / 2}, else d.
	 */
	static long squaresPerToken(long inChannels, long d) {
		return 2 * (inChannels + 1) <= d ? inChannels + 1 : d;
	}

	/** A vector {@code [d]} as a one-row matrix {@code [1, d]}. */
	private static Operand<TFloat32> row(Ops tf, Operand<TFloat32> v) {
		return tf.reshape(v, tf.constant(new long[] { 1, -1 }));
	}

	/**
	 * Each row minus its mean. Taken twice, the second pass removes what the rounded mean of the
	 * first left (a common offset that LayerNorm would have removed and the rewrite would keep).
	 */
	private static Operand<TFloat32> centre(Ops tf, Operand<TFloat32> m) {
		return tf.math.sub(m, tf.math.mean(m, tf.constant(1), Mean.keepDims(true)));
	}

	/** Rows {@code [from, from + count)} of a matrix. */
	private static Operand<TFloat32> rows(Ops tf, Operand<TFloat32> m, long from, long count) {
		return tf.slice(m, tf.constant(new long[] { from, 0 }), tf.constant(new long[] { count, -1 }));
	}
}
