package org.volseg.nets.segformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@link NormalizedProjection} equals {@code LayerNorm(x W + b) B} computed in double precision, also
 * where float32 cancellation would show: a bias far larger than the spread it leaves over the outputs.
 */
class NormalizedProjectionTest {

	private static final double EPS = 1e-5;

	@Test
	void equalsLinearLayerNormAndBlockAsTheDecoderHasThem() {
		// C + 1 <= d / 2, as at SegFormer3D's stages 1 and 2 (32 and 64 channels to 256): the QR factor
		assertMatchesReference(40, 6, 16, 5, 0, 1);
	}

	@Test
	void equalsThePlainFormWhenTheInputHasAboutAsManyChannelsAsTheOutput() {
		// d / 2 < C + 1 < d, as at stage 3 (160 channels to 256): the d squares directly
		assertMatchesReference(40, 10, 16, 5, 0, 4);
	}

	@Test
	void equalsThePlainFormWhenTheInputHasMoreChannelsThanTheOutput() {
		// C + 1 > d, as at stage 4 (256 channels to 256)
		assertMatchesReference(30, 12, 8, 4, 0, 2);
	}

	@Test
	void staysAccurateUnderALargeCommonBias() {
		// the LayerNorm's input is 1000 + O(1): a centring that kept the float32 mean's rounding (6e-5)
		// would leave that offset in every output; both ways of taking the variance
		assertMatchesReference(40, 6, 16, 5, 1000, 3);
		assertMatchesReference(40, 10, 16, 5, 1000, 5);
	}

	private static void assertMatchesReference(int n, int c, int d, int e, double biasOffset, long seed) {
		Random r = new Random(seed);
		double[][] x = gaussian(r, n, c, 1);
		double[][] w = gaussian(r, c, d, 1 / Math.sqrt(c));
		double[] b = gaussian(r, 1, d, 0.5)[0];
		for (int j = 0; j < d; j++) {
			b[j] = (float) (b[j] + biasOffset);
		}
		double[] gamma = gaussian(r, 1, d, 0.3)[0];
		for (int j = 0; j < d; j++) {
			gamma[j] = (float) (gamma[j] + 1);
		}
		double[] beta = gaussian(r, 1, d, 0.2)[0];
		double[][] block = gaussian(r, d, e, 1 / Math.sqrt(d));
		double[][] expected = reference(x, w, b, gamma, beta, block);
		float[] actual = run(x, w, b, gamma, beta, block);
		double scale = 0;
		for (double[] row : expected) {
			for (double v : row) {
				scale = Math.max(scale, Math.abs(v));
			}
		}
		assertTrue(scale > 0.5, "the reference is not degenerate");
		for (int i = 0; i < n; i++) {
			for (int k = 0; k < e; k++) {
				assertEquals(expected[i][k], actual[i * e + k], 2e-6 * scale, "token " + i + ", output " + k);
			}
		}
	}

	/** scaled + shift, as the decoder adds them. */
	private static float[] run(double[][] x, double[][] w, double[] b, double[] gamma, double[] beta, double[][] block) {
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			NormalizedProjection.Parts p = NormalizedProjection.apply(tf, constant(tf, x), constant(tf, w),
					constant(tf, b), constant(tf, gamma), constant(tf, beta), constant(tf, block), EPS);
			Operand<TFloat32> sum = tf.math.add(p.scaled(), p.shift());
			try (Result result = s.runner().fetch(sum).run()) {
				TFloat32 t = (TFloat32) result.get(0);
				float[] out = new float[(int) t.shape().size()];
				t.copyTo(DataBuffers.of(out, false, false));
				return out;
			}
		}
	}

	private static double[][] reference(double[][] x, double[][] w, double[] b, double[] gamma, double[] beta,
			double[][] block) {
		int n = x.length, c = w.length, d = b.length, e = block[0].length;
		double[][] out = new double[n][e];
		for (int i = 0; i < n; i++) {
			double[] y = b.clone();
			for (int j = 0; j < d; j++) {
				for (int k = 0; k < c; k++) {
					y[j] += x[i][k] * w[k][j];
				}
			}
			double mean = 0;
			for (double v : y) {
				mean += v / d;
			}
			double var = 0;
			for (double v : y) {
				var += (v - mean) * (v - mean) / d;
			}
			for (int j = 0; j < d; j++) {
				double normed = (y[j] - mean) / Math.sqrt(var + EPS) * gamma[j] + beta[j];
				for (int k = 0; k < e; k++) {
					out[i][k] += normed * block[j][k];
				}
			}
		}
		return out;
	}

	private static double[][] gaussian(Random r, int rows, int cols, double sd) {
		double[][] m = new double[rows][cols];
		for (double[] row : m) {
			for (int j = 0; j < cols; j++) {
				row[j] = (float) (r.nextGaussian() * sd);
			}
		}
		return m;
	}

	private static Operand<TFloat32> constant(Ops tf, double[][] m) {
		float[] flat = new float[m.length * m[0].length];
		for (int i = 0; i < m.length; i++) {
			for (int j = 0; j < m[0].length; j++) {
				flat[i * m[0].length + j] = (float) m[i][j];
			}
		}
		return tf.constant(Shape.of(m.length, m[0].length), DataBuffers.of(flat, true, false));
	}

	private static Operand<TFloat32> constant(Ops tf, double[] v) {
		float[] f = new float[v.length];
		for (int i = 0; i < v.length; i++) {
			f[i] = (float) v[i];
		}
		return tf.constant(Shape.of(v.length), DataBuffers.of(f, true, false));
	}
}
