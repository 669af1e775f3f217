package org.volseg.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.volseg.testutil.FusedKernelsTesting.assertCloseToScale;
import static org.volseg.testutil.FusedKernelsTesting.requireFusedKernels;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.volseg.InvalidParameterException;
import org.volseg.testutil.TemporaryProperty;

/**
 * The fused ops against plain references. {@code VolsegDepthwiseConv3dGelu}: the depthwise
 * convolution summed in double precision here, {@code h (1 + erf h)} by TensorFlow's {@code Erf};
 * shapes cover vector and left-over channels (C = 40 is two 16-float vectors and 8 more), a batch of
 * two, edges shorter than the op's 8-voxel blocks, and more threads than rows and than cores.
 * {@code VolsegAttention}: softmax and sums in double precision here; query counts that are not a
 * multiple of the op's 8-row blocks, key counts that are not a multiple of its 32-key vectors, one
 * key, channel counts that are not a multiple of 16, and peaked attention (logits of a few units).
 * {@code VolsegConv3d}: a direct convolution summed in double precision here; SegFormer3D's first
 * embedding on an uneven volume, output channels that are not a multiple of 32 (40, 16: the scalar
 * path), kernels of 2, 3 and 7, strides of 1, 2 and 4, paddings of 0, 1 and 3.
 * {@code VolsegResizeSumReluLinear}: PyTorch's trilinear rule and the sums in double precision here;
 * SegFormer3D's factors of 2, 4 and 8, uneven ratios, coarse inputs larger than the output along an
 * axis, left-over channels (C = 40, 3), a batch of two, and more threads than rows.
 * {@code VolsegLayerNorm}: mean and variance in double precision here, rows offset from zero;
 * ranks 2, 3 and 5, vector and left-over channels, one channel, and rows enough for threads.
 */
class FusedKernelsTest {

	private static final FusedKernels.Fusion DWGELU = FusedKernels.Fusion.DEPTHWISE_CONV3D_GELU;

	@ParameterizedTest(name = "[{0}, {1}, {2}, {3}, {4}], {5} threads")
	@CsvSource({ "1, 8, 8, 8, 32, 1", "1, 8, 8, 8, 32, 2", "2, 5, 6, 7, 40, 3", "1, 3, 4, 19, 16, 2",
			"1, 1, 1, 1, 3, 4", "2, 2, 1, 9, 48, 8" })
	void equalsTheReference(int n, int d0, int d1, int d2, int c, int threads) {
		requireFusedKernels();
		long[] shape = { n, d0, d1, d2, c };
		float[] input = gaussian(n * d0 * d1 * d2 * c, 1, 1.0);
		float[] filter = gaussian(27 * c, 2, 0.4);
		float[] bias = gaussian(c, 3, 0.5);
		float[] h = depthwiseReference(input, filter, bias, n, d0, d1, d2, c);
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			Operand<TFloat32> fused = FusedKernels.fused(tf, DWGELU, threads, constant(tf, input, shape),
					constant(tf, filter, 3, 3, 3, c), constant(tf, bias, c));
			assertEquals(Shape.of(shape), fused.shape(), "the op's static shape is the input's");
			Operand<TFloat32> hRef = constant(tf, h, shape);
			Operand<TFloat32> expected = tf.math.mul(hRef, tf.math.add(tf.math.erf(hRef), tf.constant(1f)));
			float[] got = fetch(s, fused);
			float[] want = fetch(s, expected);
			// float sums of up to 27 terms and erf's 1.5e-7: a few 1e-7 of the scale; a wrong tap is 1e-2
			assertCloseToScale(want, got, 0.1, 1e-6);
		}
	}

	@ParameterizedTest(name = "[{0}, {1}, {2}] x [{3}] keys, d {4}, e {5}, {6} threads")
	@CsvSource({ "1, 1, 40, 13, 32, 32, 2", "2, 3, 37, 13, 20, 24, 3", "1, 2, 64, 64, 32, 16, 1", "1, 1, 5, 1, 4, 40, 4",
			"1, 1, 300, 70, 32, 32, 2", "2, 2, 37, 45, 32, 32, 3" })
	void attentionEqualsTheReference(int b, int h, int n, int m, int d, int e, int threads) {
		requireFusedKernels();
		float[] q = gaussian(b * h * n * d, 4, 1.0);
		float[] k = gaussian(b * h * m * d, 5, 2.0 / Math.sqrt(d));
		float[] v = gaussian(b * h * m * e, 6, 1.0);
		float[] want = attentionReference(q, k, v, b * h, n, m, d, e);
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			Operand<TFloat32> fused = FusedKernels.fused(tf, FusedKernels.Fusion.ATTENTION, threads, constant(tf, q, b, h, n, d),
					constant(tf, k, b, h, m, d), constant(tf, v, b, h, m, e));
			assertEquals(Shape.of(b, h, n, e), fused.shape(), "the op's static shape: the query's [b, h, n], the value's e");
			float[] got = fetch(s, fused);
			assertCloseToScale(want, got, 0.5, 2e-6);
		}
	}

	@ParameterizedTest(name = "[{0}, {1}, {2}, {3}, {4}] k {5} stride {6} padding {7} -> {8} channels, {9} threads")
	@CsvSource({ "1, 20, 17, 19, 4, 7, 4, 3, 32, 2", "2, 9, 9, 9, 3, 3, 2, 1, 40, 3", "1, 8, 8, 8, 2, 2, 2, 0, 16, 1",
			"1, 5, 6, 7, 1, 3, 1, 1, 64, 4" })
	void conv3dEqualsTheReference(int n, int d0, int d1, int d2, int cin, int k, int stride, int pad, int cout, int threads) {
		requireFusedKernels();
		float[] input = gaussian(n * d0 * d1 * d2 * cin, 7, 1.0);
		float[] filter = gaussian(k * k * k * cin * cout, 8, 1 / Math.sqrt(k * k * k * cin));
		float[] bias = gaussian(cout, 9, 0.5);
		int o0 = Math.floorDiv(d0 + 2 * pad - k, stride) + 1, o1 = Math.floorDiv(d1 + 2 * pad - k, stride) + 1,
				o2 = Math.floorDiv(d2 + 2 * pad - k, stride) + 1;
		float[] want = new float[n * o0 * o1 * o2 * cout];
		for (int b = 0; b < n; b++)
			for (int z = 0; z < o0; z++)
				for (int y = 0; y < o1; y++)
					for (int x = 0; x < o2; x++)
						for (int co = 0; co < cout; co++) {
							double sum = bias[co];
							for (int kz = 0; kz < k; kz++)
								for (int ky = 0; ky < k; ky++)
									for (int kx = 0; kx < k; kx++) {
										int zz = z * stride - pad + kz, yy = y * stride - pad + ky, xx = x * stride - pad + kx;
										if (zz < 0 || zz >= d0 || yy < 0 || yy >= d1 || xx < 0 || xx >= d2) continue;
										for (int ci = 0; ci < cin; ci++)
											sum += (double) input[(((b * d0 + zz) * d1 + yy) * d2 + xx) * cin + ci]
													* filter[(((kz * k + ky) * k + kx) * cin + ci) * cout + co];
									}
							want[(((b * o0 + z) * o1 + y) * o2 + x) * cout + co] = (float) sum;
						}
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			Operand<TFloat32> fused = FusedKernels.fused(tf, FusedKernels.Fusion.CONV3D, threads,
					constant(tf, input, n, d0, d1, d2, cin), constant(tf, filter, k, k, k, cin, cout), constant(tf, bias, cout),
					tf.constant(stride), tf.constant(pad));
			try (Result r = s.runner().fetch(fused).run()) {
				assertEquals(Shape.of(n, o0, o1, o2, cout), r.get(0).shape());
			}
			float[] got = fetch(s, fused);
			// float sums of up to 1372 terms: a few 1e-6 of the scale; a wrong tap or channel is 1e-2 or more
			assertCloseToScale(want, got, 0.5, 5e-6);
		}
	}

	@ParameterizedTest(name = "[{0}, {1}, {2}] from {3}, {4}, {5}, K {6}, {7} threads")
	@CsvSource({ "1, 8 8 8, 32, 4 4 4, 2 2 2, 1 1 1, 3, 2", "2, 7 5 9, 40, 3 2 5, 2 5 4, 1 1 2, 5, 3",
			"1, 4 6 19, 16, 9 3 2, 4 6 19, 2 3 7, 1, 1", "1, 1 2 3, 3, 1 1 1, 2 2 2, 3 1 2, 2, 8" })
	void resizeSumReluLinearEqualsTheReference(int n, String fine, int c, String coarse1, String coarse2, String coarse3, int k,
			int threads) {
		requireFusedKernels();
		int[] size = sizes(fine);
		int[][] coarseSizes = { sizes(coarse1), sizes(coarse2), sizes(coarse3) };
		float[] fineValues = gaussian(n * size[0] * size[1] * size[2] * c, 10, 1.0);
		float[][] coarseValues = new float[3][];
		for (int j = 0; j < 3; j++)
			coarseValues[j] = gaussian(n * coarseSizes[j][0] * coarseSizes[j][1] * coarseSizes[j][2] * c, 11 + j, 1.0);
		float[] weight = gaussian(c * k, 14, 1 / Math.sqrt(c));
		float[] bias = gaussian(k, 15, 0.5);
		float[] want = resizeSumReluLinearReference(n, size, c, fineValues, coarseSizes, coarseValues, weight, bias, k);
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			java.util.List<Operand<TFloat32>> coarse = new java.util.ArrayList<>();
			for (int j = 0; j < 3; j++)
				coarse.add(constant(tf, coarseValues[j], n, coarseSizes[j][0], coarseSizes[j][1], coarseSizes[j][2], c));
			Operand<TFloat32> fused = FusedKernels.fused(tf, FusedKernels.Fusion.RESIZE_SUM_RELU_LINEAR, threads,
					constant(tf, fineValues, n, size[0], size[1], size[2], c), coarse.get(0), coarse.get(1), coarse.get(2),
					constant(tf, weight, c, k), constant(tf, bias, k));
			assertEquals(Shape.of(n, size[0], size[1], size[2], k), fused.shape(), "the op's static shape: fine's [n, D0, D1, D2], K");
			float[] got = fetch(s, fused);
			// float sums of C products of sums of 25 terms: a few 1e-7 of the scale; a wrong corner or weight is 1e-2
			assertCloseToScale(want, got, 0.1, 2e-6);
		}
	}

	@ParameterizedTest(name = "[{0}] eps {1}, {2} threads")
	@CsvSource({ "2 37 40, 1e-5, 2", "5 3, 1e-6, 3", "1 4096 32, 1e-5, 2", "1 4 4 4 16, 1e-5, 1", "3 1, 1e-5, 2" })
	void layerNormEqualsTheReference(String shape, double eps, int threads) {
		requireFusedKernels();
		long[] dims = java.util.Arrays.stream(shape.trim().split(" +")).mapToLong(Long::parseLong).toArray();
		int c = (int) dims[dims.length - 1], count = (int) Shape.of(dims).size();
		// rows with an offset of 3 and a spread of 0.5: a normalisation that forgets the mean or the variance is off by 1
		float[] x = gaussian(count, 17, 0.5);
		for (int i = 0; i < count; i++) x[i] += 3;
		float[] gamma = gaussian(c, 18, 1.0), beta = gaussian(c, 19, 1.0);
		float[] want = new float[count];
		for (int row = 0; row < count / c; row++) {
			double mean = 0, var = 0;
			for (int i = 0; i < c; i++) mean += x[row * c + i];
			mean /= c;
			for (int i = 0; i < c; i++) var += (x[row * c + i] - mean) * (x[row * c + i] - mean);
			var /= c;
			for (int i = 0; i < c; i++)
				want[row * c + i] = (float) ((x[row * c + i] - mean) / Math.sqrt(var + eps) * gamma[i] + beta[i]);
		}
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			Operand<TFloat32> fused = FusedKernels.fused(tf, FusedKernels.Fusion.LAYER_NORM, threads, constant(tf, x, dims),
					constant(tf, gamma, c), constant(tf, beta, c), tf.constant((float) eps));
			assertEquals(Shape.of(dims), fused.shape(), "the op's static shape is the input's");
			float[] got = fetch(s, fused);
			// float sums of up to 40 terms around a mean of 3: a few 1e-6 of the scale
			assertCloseToScale(want, got, 0.5, 5e-6);
		}
	}

	@Test
	void aLayerNormGammaOfTheWrongLengthIsAnErrorNamingTheOp() {
		requireFusedKernels();
		assertRefusedNaming(tf -> FusedKernels.fused(tf, FusedKernels.Fusion.LAYER_NORM, 2, constant(tf, new float[24], 3, 8),
				constant(tf, new float[7], 7), constant(tf, new float[8], 8), tf.constant(1e-5f)),
				"VolsegLayerNorm: input must be [..., C], gamma and beta [C]");
	}

	@Test
	void aWeightOfTheWrongChannelsIsAnErrorNamingTheOp() {
		requireFusedKernels();
		assertRefusedNaming(tf -> {
			Operand<TFloat32> coarse = constant(tf, new float[8], 1, 1, 1, 1, 8);
			return FusedKernels.fused(tf, FusedKernels.Fusion.RESIZE_SUM_RELU_LINEAR, 2,
					constant(tf, new float[64], 1, 2, 2, 2, 8), coarse, coarse, coarse, constant(tf, new float[27], 9, 3),
					constant(tf, new float[3], 3));
		}, "VolsegResizeSumReluLinear: weight must be [C, K] with fine's C, and bias [K]");
	}

	@Test
	void aPaddingOfTheKernelsSizeIsAnErrorNamingTheOp() {
		requireFusedKernels();
		assertRefusedNaming(tf -> FusedKernels.fused(tf, FusedKernels.Fusion.CONV3D, 2,
				constant(tf, new float[64], 1, 4, 4, 4, 1), constant(tf, new float[27 * 16], 3, 3, 3, 1, 16),
				constant(tf, new float[16], 16), tf.constant(1), tf.constant(3)),
				"VolsegConv3d: stride must be at least 1 and padding 0 to k - 1");
	}

	/**
	 * Logits of -100 to -112 (13 keys, so the op pads its key vectors with zeros): the softmax must
	 * subtract the largest real logit, not the padding's 0, or every exp underflows to the same value.
	 */
	@Test
	void attentionWithVeryNegativeLogitsSubtractsTheRowsLargestRealLogit() {
		requireFusedKernels();
		int m = 13, d = 4, e = 16;
		float[] q = { 1, 1, 1, 1 };
		float[] k = new float[m * d];
		for (int j = 0; j < m; j++)
			for (int c = 0; c < d; c++) k[j * d + c] = -(100 + j) / (float) d;
		float[] v = gaussian(m * e, 10, 1.0);
		float[] want = attentionReference(q, k, v, 1, 1, m, d, e);
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			float[] got = fetch(s, FusedKernels.fused(tf, FusedKernels.Fusion.ATTENTION, 1, constant(tf, q, 1, 1, 1, d),
					constant(tf, k, 1, 1, m, d), constant(tf, v, 1, 1, m, e)));
			for (int i = 0; i < e; i++) assertEquals(want[i], got[i], 1e-5, "column " + i);
		}
	}

	@Test
	void keysAndValuesOfDifferentLengthsAreAnErrorNamingTheOp() {
		requireFusedKernels();
		assertRefusedNaming(tf -> FusedKernels.fused(tf, FusedKernels.Fusion.ATTENTION, 2,
				constant(tf, new float[64], 1, 1, 8, 8), constant(tf, new float[32], 1, 1, 4, 8),
				constant(tf, new float[40], 1, 1, 5, 8)), "VolsegAttention: key and value must have the same tokens");
	}

	@Test
	void aFilterOfTheWrongShapeIsAnErrorNamingTheOp() {
		requireFusedKernels();
		// the op's shape function does not check the filter: the kernel must, before it reads it
		assertRefusedNaming(tf -> FusedKernels.fused(tf, DWGELU, 2, constant(tf, new float[512], 1, 4, 4, 4, 8),
				constant(tf, new float[72], 3, 3, 8), constant(tf, new float[8], 8)),
				"VolsegDepthwiseConv3dGelu: filter must be [3, 3, 3, 8] and bias [8]");
	}

	@Test
	void threadsOutOfRangeAreRefusedWhenTheGraphIsBuilt() {
		try (Graph g = new Graph()) {
			Ops tf = Ops.create(g);
			Operand<TFloat32> x = tf.constant(new float[] { 1 });
			assertThrows(IllegalArgumentException.class, () -> FusedKernels.fused(tf, DWGELU, 0, x, x, x));
			assertThrows(IllegalArgumentException.class,
					() -> FusedKernels.fused(tf, DWGELU, FusedKernels.MAX_THREADS + 1, x, x, x));
		}
	}

	@Test
	void aMistypedKernelsPropertyIsRefusedNamingIt() {
		try (TemporaryProperty kernels = TemporaryProperty.set(FusedKernels.PROPERTY, "portabel")) {
			InvalidParameterException e = assertThrows(InvalidParameterException.class, FusedKernels::available);
			assertTrue(e.getMessage().contains(FusedKernels.PROPERTY) && e.getMessage().contains("portabel"), e.getMessage());
			kernels.to("portable");
			assertEquals(false, FusedKernels.available());
			assertTrue(FusedKernels.status().contains("portable"), FusedKernels.status());
		}
	}

	/** Building the op succeeds, running it fails with an INVALID_ARGUMENT whose message holds {@code message}. */
	private static void assertRefusedNaming(java.util.function.Function<Ops, Operand<TFloat32>> build, String message) {
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Operand<TFloat32> bad = build.apply(Ops.create(g));
			TFInvalidArgumentException e = assertThrows(TFInvalidArgumentException.class, () -> fetch(s, bad));
			assertTrue(e.getMessage().contains(message), e.getMessage());
		}
	}

	/** Cross-correlation with zero padding 1, filter [3, 3, 3, C], summed in double. */
	static float[] depthwiseReference(float[] in, float[] filter, float[] bias, int n, int d0, int d1, int d2, int c) {
		float[] out = new float[in.length];
		for (int b = 0; b < n; b++)
			for (int z = 0; z < d0; z++)
				for (int y = 0; y < d1; y++)
					for (int x = 0; x < d2; x++)
						for (int ch = 0; ch < c; ch++) {
							double sum = bias[ch];
							for (int kz = 0; kz < 3; kz++)
								for (int ky = 0; ky < 3; ky++)
									for (int kx = 0; kx < 3; kx++) {
										int zz = z + kz - 1, yy = y + ky - 1, xx = x + kx - 1;
										if (zz < 0 || zz >= d0 || yy < 0 || yy >= d1 || xx < 0 || xx >= d2) continue;
										sum += (double) in[(((b * d0 + zz) * d1 + yy) * d2 + xx) * c + ch]
												* filter[((kz * 3 + ky) * 3 + kx) * c + ch];
									}
							out[(((b * d0 + z) * d1 + y) * d2 + x) * c + ch] = (float) sum;
						}
		return out;
	}

	/** softmax(q k^T) v per head, in double; q [heads, n, d], k [heads, m, d], v [heads, m, e]. */
	static float[] attentionReference(float[] q, float[] k, float[] v, int heads, int n, int m, int d, int e) {
		float[] out = new float[heads * n * e];
		double[] p = new double[m];
		for (int hd = 0; hd < heads; hd++)
			for (int i = 0; i < n; i++) {
				double max = Double.NEGATIVE_INFINITY;
				for (int j = 0; j < m; j++) {
					double dot = 0;
					for (int c = 0; c < d; c++) dot += (double) q[(hd * n + i) * d + c] * k[(hd * m + j) * d + c];
					p[j] = dot;
					max = Math.max(max, dot);
				}
				double sum = 0;
				for (int j = 0; j < m; j++) sum += p[j] = Math.exp(p[j] - max);
				for (int c = 0; c < e; c++) {
					double acc = 0;
					for (int j = 0; j < m; j++) acc += p[j] * v[(hd * m + j) * e + c];
					out[(hd * n + i) * e + c] = (float) (acc / sum);
				}
			}
		return out;
	}

	/** {@code relu(fine + sum_j resize(coarse_j)) weight + bias} in double, resize as {@link #trilinearReference}. */
	static float[] resizeSumReluLinearReference(int n, int[] size, int c, float[] fine, int[][] coarseSizes,
			float[][] coarse, float[] weight, float[] bias, int k) {
		double[] h = new double[fine.length];
		for (int i = 0; i < h.length; i++) h[i] = fine[i];
		for (int j = 0; j < 3; j++) {
			double[] resized = trilinearReference(coarse[j], n, coarseSizes[j], c, size);
			for (int i = 0; i < h.length; i++) h[i] += resized[i];
		}
		int voxels = h.length / c;
		float[] out = new float[voxels * k];
		for (int v = 0; v < voxels; v++)
			for (int q = 0; q < k; q++) {
				double sum = bias[q];
				for (int ch = 0; ch < c; ch++) sum += Math.max(h[v * c + ch], 0) * weight[ch * k + q];
				out[v * k + q] = (float) sum;
			}
		return out;
	}

	/**
	 * {@code [n, in0, in1, in2, c]} resized to {@code out}, in double, by PyTorch's trilinear rule
	 * ({@code align_corners=False}) as written in {@code torch.nn.functional.interpolate}: per axis
	 * {@code src = max(scale (o + 0.5) - 0.5, 0)}, {@code scale = in / out} in float,
	 * {@code i0 = floor(src)}, {@code i1 = min(i0 + 1, in - 1)}, weight {@code src - i0} on {@code i1};
	 * the eight corners summed directly.
	 */
	static double[] trilinearReference(float[] volume, int n, int[] in, int c, int[] out) {
		double[] result = new double[n * out[0] * out[1] * out[2] * c];
		int[] o = new int[3];
		int[][] index = new int[3][2];
		double[][] w = new double[3][2];
		for (int b = 0; b < n; b++)
			for (o[0] = 0; o[0] < out[0]; o[0]++)
				for (o[1] = 0; o[1] < out[1]; o[1]++)
					for (o[2] = 0; o[2] < out[2]; o[2]++) {
						for (int a = 0; a < 3; a++) {
							float scale = (float) in[a] / out[a];
							float src = Math.max(scale * (o[a] + 0.5f) - 0.5f, 0f);
							int i0 = (int) Math.floor(src);
							index[a][0] = Math.min(i0, in[a] - 1);
							index[a][1] = Math.min(i0 + 1, in[a] - 1);
							w[a][1] = src - i0;
							w[a][0] = 1 - w[a][1];
						}
						int voxel = ((b * out[0] + o[0]) * out[1] + o[1]) * out[2] + o[2];
						for (int cz = 0; cz < 2; cz++)
							for (int cy = 0; cy < 2; cy++)
								for (int cx = 0; cx < 2; cx++) {
									double corner = w[0][cz] * w[1][cy] * w[2][cx];
									int at = ((b * in[0] + index[0][cz]) * in[1] + index[1][cy]) * in[2] + index[2][cx];
									for (int ch = 0; ch < c; ch++) result[voxel * c + ch] += corner * volume[at * c + ch];
								}
					}
		return result;
	}

	private static int[] sizes(String s) {
		return java.util.Arrays.stream(s.trim().split(" +")).mapToInt(Integer::parseInt).toArray();
	}

	@SuppressWarnings("unchecked")
	static Operand<TFloat32> f32(Operand<?> o) {
		return (Operand<TFloat32>) o;
	}

	static float[] gaussian(int n, long seed, double std) {
		Random r = new Random(seed);
		float[] v = new float[n];
		for (int i = 0; i < n; i++) v[i] = (float) (std * r.nextGaussian());
		return v;
	}

	static Operand<TFloat32> constant(Ops tf, float[] values, long... shape) {
		return tf.constant(Shape.of(shape), DataBuffers.of(values, true, false));
	}

	static float[] fetch(Session s, Operand<TFloat32> y) {
		try (Result r = s.runner().fetch(y).run()) {
			TFloat32 t = (TFloat32) r.get(0);
			float[] v = new float[(int) t.shape().size()];
			t.copyTo(DataBuffers.of(v, false, false));
			return v;
		}
	}
}
