package org.volseg.nets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Layers against plain-Java implementations of PyTorch's definitions (non-cubic shapes, batch 2). */
class LayersTest {

	private final Random random = new Random(42);

	private FloatTensor randn(long... shape) {
		FloatTensor t = FloatTensor.zeros(shape);
		for (int i = 0; i < t.data().length; i++) t.data()[i] = (float) random.nextGaussian();
		return t;
	}

	/** Runs f on x (channels-last) with the given PyTorch-layout weights, all of which must be used. */
	private FloatTensor run(FloatTensor x, Map<String, FloatTensor> weights, BiFunction<Layers, Operand<TFloat32>, Operand<TFloat32>> f) {
		try (Graph g = new Graph()) {
			Ops tf = Ops.create(g);
			long[] s = x.shape();
			s[0] = -1;
			Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(s)));
			StateDictParameters params = new StateDictParameters(new StateDict(weights, "test"), "test", List.of());
			Operand<TFloat32> out = f.apply(new Layers(tf, params, Layers.WeightStorage.CONSTANTS), in);
			params.finish();
			try (Session session = new Session(g);
					TFloat32 xt = TFloat32.tensorOf(Shape.of(x.shape()), DataBuffers.of(x.data(), true, false));
					Result r = session.runner().feed(in, xt).fetch(out).run()) {
				TFloat32 o = (TFloat32) r.get(0);
				float[] d = new float[(int) o.size()];
				o.copyTo(DataBuffers.of(d, false, false));
				return new FloatTensor(o.shape().asArray(), d);
			}
		}
	}

	private static void assertNear(FloatTensor expected, FloatTensor actual, double tol) {
		assertArrayEquals(expected.shape(), actual.shape());
		for (int i = 0; i < expected.data().length; i++) {
			float e = expected.data()[i];
			float a = actual.data()[i];
			assertTrue(Math.abs(e - a) <= tol * (1 + Math.abs(e)), "element " + i + ": expected " + e + ", got " + a);
		}
	}

	/** PyTorch Conv3d by definition, channels-last input, weight [out, in, k0, k1, k2]. */
	private static FloatTensor naiveConv(FloatTensor x, FloatTensor w, FloatTensor b, int[] s, int[] p) {
		int batch = (int) x.dim(0), in = (int) x.dim(4), out = (int) w.dim(0);
		int[] n = { (int) x.dim(1), (int) x.dim(2), (int) x.dim(3) };
		int[] k = { (int) w.dim(2), (int) w.dim(3), (int) w.dim(4) };
		int[] o = new int[3];
		for (int a = 0; a < 3; a++) o[a] = (n[a] + 2 * p[a] - k[a]) / s[a] + 1;
		FloatTensor y = FloatTensor.zeros(batch, o[0], o[1], o[2], out);
		for (int bi = 0; bi < batch; bi++)
			for (int i = 0; i < o[0]; i++)
				for (int j = 0; j < o[1]; j++)
					for (int l = 0; l < o[2]; l++)
						for (int co = 0; co < out; co++) {
							double acc = b == null ? 0 : b.data()[co];
							for (int a = 0; a < k[0]; a++)
								for (int c = 0; c < k[1]; c++)
									for (int e = 0; e < k[2]; e++) {
										int xi = i * s[0] - p[0] + a, xj = j * s[1] - p[1] + c, xl = l * s[2] - p[2] + e;
										if (xi < 0 || xj < 0 || xl < 0 || xi >= n[0] || xj >= n[1] || xl >= n[2]) continue;
										for (int ci = 0; ci < in; ci++) {
											acc += x.data()[(((bi * n[0] + xi) * n[1] + xj) * n[2] + xl) * in + ci]
													* w.data()[(((co * in + ci) * k[0] + a) * k[1] + c) * k[2] + e];
										}
									}
							y.data()[(((bi * o[0] + i) * o[1] + j) * o[2] + l) * out + co] = (float) acc;
						}
		return y;
	}

	/** PyTorch ConvTranspose3d by definition, weight [in, out, k0, k1, k2]. */
	private static FloatTensor naiveConvTranspose(FloatTensor x, FloatTensor w, FloatTensor b, int[] s, int[] p, int[] op) {
		int batch = (int) x.dim(0), in = (int) x.dim(4), out = (int) w.dim(1);
		int[] n = { (int) x.dim(1), (int) x.dim(2), (int) x.dim(3) };
		int[] k = { (int) w.dim(2), (int) w.dim(3), (int) w.dim(4) };
		int[] o = new int[3];
		for (int a = 0; a < 3; a++) o[a] = (n[a] - 1) * s[a] - 2 * p[a] + k[a] + op[a];
		FloatTensor y = FloatTensor.zeros(batch, o[0], o[1], o[2], out);
		for (int bi = 0; bi < batch; bi++)
			for (int i = 0; i < n[0]; i++)
				for (int j = 0; j < n[1]; j++)
					for (int l = 0; l < n[2]; l++)
						for (int a = 0; a < k[0]; a++)
							for (int c = 0; c < k[1]; c++)
								for (int e = 0; e < k[2]; e++) {
									int yi = i * s[0] - p[0] + a, yj = j * s[1] - p[1] + c, yl = l * s[2] - p[2] + e;
									if (yi < 0 || yj < 0 || yl < 0 || yi >= o[0] || yj >= o[1] || yl >= o[2]) continue;
									for (int ci = 0; ci < in; ci++)
										for (int co = 0; co < out; co++) {
											y.data()[(((bi * o[0] + yi) * o[1] + yj) * o[2] + yl) * out + co] +=
													x.data()[(((bi * n[0] + i) * n[1] + j) * n[2] + l) * in + ci]
															* w.data()[(((ci * out + co) * k[0] + a) * k[1] + c) * k[2] + e];
										}
								}
		if (b != null) {
			for (int i = 0; i < y.data().length; i++) y.data()[i] += b.data()[i % out];
		}
		return y;
	}

	@Test
	void conv3dMatchesDefinition() {
		int[][][] cases = { // kernel, stride, padding
				{ { 3, 3, 3 }, { 1, 1, 1 }, { 1, 1, 1 } }, // SAME path
				{ { 3, 2, 1 }, { 2, 1, 2 }, { 1, 0, 0 } }, // explicit padding path
				{ { 2, 2, 2 }, { 2, 2, 2 }, { 0, 0, 0 } }, // VALID path
		};
		for (int[][] c : cases) {
			FloatTensor x = randn(2, 5, 6, 7, 3);
			FloatTensor w = randn(4, 3, c[0][0], c[0][1], c[0][2]);
			FloatTensor b = randn(4);
			Map<String, FloatTensor> weights = new LinkedHashMap<>();
			weights.put("conv.weight", w);
			weights.put("conv.bias", b);
			FloatTensor y = run(x, weights, (l, in) -> l.conv3d("conv", in, 4, c[0], c[1], c[2], true));
			assertNear(naiveConv(x, w, b, c[1], c[2]), y, 1e-4);
		}
	}

	@Test
	void convTranspose3dMatchesDefinition() {
		int[][][] cases = { // kernel, stride, padding, output padding
				{ { 2, 2, 2 }, { 2, 2, 2 }, { 0, 0, 0 }, { 0, 0, 0 } }, // matmul + depth-to-space path
				{ { 3, 3, 2 }, { 2, 2, 1 }, { 1, 0, 0 }, { 1, 0, 0 } }, // Conv3DBackpropInputV2 path with crop
				{ { 2, 1, 3 }, { 2, 1, 3 }, { 0, 0, 0 }, { 0, 0, 0 } }, // non-cubic depth-to-space
		};
		for (int[][] c : cases) {
			FloatTensor x = randn(2, 3, 4, 5, 3);
			FloatTensor w = randn(3, 2, c[0][0], c[0][1], c[0][2]);
			Map<String, FloatTensor> weights = new LinkedHashMap<>();
			weights.put("up.weight", w);
			weights.put("up.bias", randn(2));
			FloatTensor y = run(x, weights, (l, in) -> l.convTranspose3d("up", in, 2, c[0], c[1], c[2], c[3], true));
			assertNear(naiveConvTranspose(x, w, weights.get("up.bias"), c[1], c[2], c[3]), y, 1e-4);
		}
	}

	@Test
	void normsAndActivationsMatchDefinitions() {
		FloatTensor x = randn(2, 3, 4, 5, 3);
		int c = 3, n = 60;
		Map<String, FloatTensor> weights = new LinkedHashMap<>();
		FloatTensor w = randn(c), b = randn(c), mean = randn(c), var = randn(c);
		for (int i = 0; i < c; i++) var.data()[i] = 0.5f + Math.abs(var.data()[i]);
		weights.put("bn.weight", w);
		weights.put("bn.bias", b);
		weights.put("bn.running_mean", mean);
		weights.put("bn.running_var", var);
		weights.put("bn.num_batches_tracked", new FloatTensor(new long[0], new float[] { 3 }));
		weights.put("in.weight", w);
		weights.put("in.bias", b);
		weights.put("ln.weight", w);
		weights.put("ln.bias", b);
		FloatTensor bn = run(x, Map.of("bn.weight", w, "bn.bias", b, "bn.running_mean", mean, "bn.running_var", var,
				"bn.num_batches_tracked", weights.get("bn.num_batches_tracked")), (l, in) -> l.batchNorm("bn", in, 1e-5));
		FloatTensor inorm = run(x, Map.of("in.weight", w, "in.bias", b), (l, in) -> l.instanceNorm3d("in", in, true, 1e-5));
		FloatTensor ln = run(x, Map.of("ln.weight", w, "ln.bias", b), (l, in) -> l.layerNorm("ln", in, 1e-5));
		FloatTensor gelu = run(x, Map.of(), (l, in) -> l.gelu(in));
		FloatTensor lrelu = run(x, Map.of(), (l, in) -> l.leakyRelu(in, 0.01));
		float[] d = x.data();
		FloatTensor eBn = FloatTensor.zeros(x.shape()), eIn = FloatTensor.zeros(x.shape()), eLn = FloatTensor.zeros(x.shape());
		FloatTensor eGelu = FloatTensor.zeros(x.shape()), eLrelu = FloatTensor.zeros(x.shape());
		for (int i = 0; i < d.length; i++) {
			int ch = i % c;
			eBn.data()[i] = (float) ((d[i] - mean.data()[ch]) / Math.sqrt(var.data()[ch] + 1e-5) * w.data()[ch] + b.data()[ch]);
			eGelu.data()[i] = (float) (0.5 * d[i] * (1 + erf(d[i] / Math.sqrt(2))));
			eLrelu.data()[i] = d[i] > 0 ? d[i] : 0.01f * d[i];
		}
		for (int bi = 0; bi < 2; bi++) {
			for (int ch = 0; ch < c; ch++) {
				double s = 0, ss = 0;
				for (int v = 0; v < n; v++) s += d[(bi * n + v) * c + ch];
				double m = s / n;
				for (int v = 0; v < n; v++) ss += Math.pow(d[(bi * n + v) * c + ch] - m, 2);
				double sd = Math.sqrt(ss / n + 1e-5);
				for (int v = 0; v < n; v++) {
					int i = (bi * n + v) * c + ch;
					eIn.data()[i] = (float) ((d[i] - m) / sd * w.data()[ch] + b.data()[ch]);
				}
			}
			for (int v = 0; v < n; v++) {
				double s = 0, ss = 0;
				for (int ch = 0; ch < c; ch++) s += d[(bi * n + v) * c + ch];
				double m = s / c;
				for (int ch = 0; ch < c; ch++) ss += Math.pow(d[(bi * n + v) * c + ch] - m, 2);
				for (int ch = 0; ch < c; ch++) {
					int i = (bi * n + v) * c + ch;
					eLn.data()[i] = (float) ((d[i] - m) / Math.sqrt(ss / c + 1e-5) * w.data()[ch] + b.data()[ch]);
				}
			}
		}
		assertNear(eBn, bn, 1e-5);
		assertNear(eIn, inorm, 1e-4);
		assertNear(eLn, ln, 1e-4);
		assertNear(eGelu, gelu, 1e-5);
		assertNear(eLrelu, lrelu, 1e-6);
	}

	/**
	 * LayerNorm keeps PyTorch's eps = 1e-5 where TensorFlow fuses it into oneDNN's kernel, whose own
	 * epsilon is 1e-3: tokens with a variance of 1e-4 and an offset of 5 (the fused kernel with its
	 * epsilon would shrink them by a third), rank 3 as the transformers' tokens and rank 5 (reshaped
	 * to rows) as SwinUNETR's.
	 */
	@Test
	void layerNormKeepsItsEpsilonWhereTensorFlowFusesIt() {
		int c = 16;
		Map<String, FloatTensor> weights = Map.of("ln.weight", randn(c), "ln.bias", randn(c));
		for (long[] shape : new long[][] { { 2, 50, c }, { 1, 3, 4, 5, c } }) {
			FloatTensor x = randn(shape);
			for (int i = 0; i < x.data().length; i++) x.data()[i] = 5 + 0.01f * x.data()[i];
			FloatTensor y = run(x, weights, (l, in) -> l.layerNorm("ln", in, 1e-5));
			FloatTensor expected = FloatTensor.zeros(shape);
			float[] d = x.data(), w = weights.get("ln.weight").data(), b = weights.get("ln.bias").data();
			for (int row = 0; row < d.length / c; row++) {
				double m = 0, ss = 0;
				for (int ch = 0; ch < c; ch++) m += d[row * c + ch] / (double) c;
				for (int ch = 0; ch < c; ch++) ss += Math.pow(d[row * c + ch] - m, 2);
				for (int ch = 0; ch < c; ch++) {
					expected.data()[row * c + ch] = (float) ((d[row * c + ch] - m) / Math.sqrt(ss / c + 1e-5) * w[ch] + b[ch]);
				}
			}
			assertNear(expected, y, 1e-3);
		}
	}

	/**
	 * Instance norm over a 96^3 window as SwinUNETR's encoder1 sees it (a 30x26x40 scan zero-padded
	 * to 96^3; a channel with a large offset) keeps float32 accuracy: TensorFlow's single float32
	 * sum over all 884,736 voxels of a channel was off by ~1e-3 of the value (MONAI's bundle e2e
	 * labels then differed on 0.5% of voxels).
	 */
	@Test
	void instanceNormStatisticsStayAccurateOnA96CubeWindow() {
		int n = 96, c = 2;
		FloatTensor x = FloatTensor.zeros(1, n, n, n, c);
		Random random = new Random(7);
		float[] d = x.data();
		for (int v = 0; v < n * n * n; v++) {
			int i0 = v / (n * n), i1 = v / n % n, i2 = v % n;
			boolean inside = i0 >= 33 && i0 < 63 && i1 >= 35 && i1 < 61 && i2 >= 28 && i2 < 68;
			d[v * c] = inside ? (float) (20 + 5 * random.nextGaussian()) : 0f;
			d[v * c + 1] = (float) (100 + random.nextGaussian());
		}
		FloatTensor expected = FloatTensor.zeros(x.shape());
		for (int ch = 0; ch < c; ch++) {
			double s = 0, ss = 0;
			for (int v = 0; v < n * n * n; v++) s += d[v * c + ch];
			double m = s / (n * n * n);
			for (int v = 0; v < n * n * n; v++) ss += Math.pow(d[v * c + ch] - m, 2);
			double sd = Math.sqrt(ss / (n * n * n) + 1e-5);
			for (int v = 0; v < n * n * n; v++) expected.data()[v * c + ch] = (float) ((d[v * c + ch] - m) / sd);
		}
		// measured: 1e-5 (sparse channel) and 2.7e-5 (offset channel); one float32 sum over all voxels gave 0.079 and 0.0024
		assertNear(expected, run(x, Map.of(), (l, in) -> l.instanceNorm3d("in", in, false, 1e-5)), 1e-4);
		assertNear(expected, run(x, Map.of(), (l, in) -> l.normalize(in, new int[] { 1, 2, 3 }, 1e-5)), 1e-4);
	}

	@Test
	void linearAndAttentionMatchDefinitions() {
		FloatTensor x = randn(2, 5, 4);
		FloatTensor w = randn(3, 4), b = randn(3);
		FloatTensor y = run(x, Map.of("fc.weight", w, "fc.bias", b), (l, in) -> l.linear("fc", in, 3, true));
		FloatTensor e = FloatTensor.zeros(2, 5, 3);
		for (int t = 0; t < 10; t++)
			for (int o = 0; o < 3; o++) {
				double acc = b.data()[o];
				for (int i = 0; i < 4; i++) acc += x.data()[t * 4 + i] * w.data()[o * 4 + i];
				e.data()[t * 3 + o] = (float) acc;
			}
		assertNear(e, y, 1e-5);

		// self-attention with q = k = v = x: softmax over keys of x x^T * scale, times x
		// sizes known only at run time
		FloatTensor dynamicInput = run(x, Map.of("fc.weight", w, "fc.bias", b), (l, in) -> l.linear("fc",
				l.tf().placeholderWithDefault(in, org.tensorflow.ndarray.Shape.of(-1, -1, 4)), 3, true));
		assertNear(e, dynamicInput, 1e-5);

		FloatTensor att = run(x, Map.of(), (l, in) -> l.attention(in, in, in, 0.5));
		FloatTensor ea = FloatTensor.zeros(2, 5, 4);
		for (int bi = 0; bi < 2; bi++)
			for (int i = 0; i < 5; i++) {
				double[] logits = new double[5];
				double max = Double.NEGATIVE_INFINITY, sum = 0;
				for (int j = 0; j < 5; j++) {
					for (int k = 0; k < 4; k++) logits[j] += x.data()[(bi * 5 + i) * 4 + k] * x.data()[(bi * 5 + j) * 4 + k];
					logits[j] *= 0.5;
					max = Math.max(max, logits[j]);
				}
				for (int j = 0; j < 5; j++) sum += Math.exp(logits[j] - max);
				for (int k = 0; k < 4; k++) {
					double acc = 0;
					for (int j = 0; j < 5; j++) acc += Math.exp(logits[j] - max) / sum * x.data()[(bi * 5 + j) * 4 + k];
					ea.data()[(bi * 5 + i) * 4 + k] = (float) acc;
				}
			}
		assertNear(ea, att, 1e-5);
	}

	/** erf to ~1e-7 (Abramowitz-Stegun 7.1.26 is too coarse; use a series / continued fraction). */
	private static double erf(double z) {
		double t = Math.abs(z);
		double sum;
		if (t < 3) {
			double term = t, s = t;
			for (int n = 1; n < 100; n++) {
				term *= -t * t / n;
				s += term / (2 * n + 1);
			}
			sum = 2 / Math.sqrt(Math.PI) * s;
		} else {
			sum = 1 - Math.exp(-t * t) / (t * Math.sqrt(Math.PI)) * (1 - 1 / (2 * t * t) + 3 / (4 * Math.pow(t, 4)));
		}
		return z < 0 ? -sum : sum;
	}

	@Test
	void countsMultiplyAdds() {
		try (Graph g = new Graph()) {
			Ops tf = Ops.create(g);
			Layers l = new Layers(tf, new RandomParameters(1), Layers.WeightStorage.CONSTANTS);
			Operand<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4, 6, 8, 3)));
			Operand<TFloat32> y = l.conv3d("c", x, 5, new int[] { 3, 3, 3 }, new int[] { 2, 2, 2 }, new int[] { 1, 1, 1 }, true);
			assertEquals(2 * 3 * 4 * 5 * 3 * 27, l.multiplyAdds(), 0); // output 2x3x4 voxels x 5 x 3 x 27
			l.convTranspose3d("t", y, 2, new int[] { 2, 2, 2 }, new int[] { 2, 2, 2 }, new int[3], new int[3], false);
			assertEquals(2 * 3 * 4 * 5 * 3 * 27 + 2 * 3 * 4 * 5 * 2 * 8, l.multiplyAdds(), 0);
			Operand<TFloat32> seq = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 7, 4, 10, 6)));
			l.attention(seq, seq, seq, 1);
			assertEquals(2 * 3 * 4 * 5 * 3 * 27 + 2 * 3 * 4 * 5 * 2 * 8 + 7 * 4 * 10 * 10 * 12, l.multiplyAdds(), 0);
			Operand<TFloat32> dynamic = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, 6)));
			l.linear("fc", dynamic, 2, false);
			assertTrue(Double.isNaN(l.multiplyAdds()), "unknown sizes make the count unknown");
		}
	}
}
