package org.volseg.nets.segformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

class DepthwiseConv3dTest {

	/**
	 * Plain-Java PyTorch semantics: {@code conv3d(x, w, b, stride=1, padding=p, groups=C)} on NCDHW
	 * arrays, weight {@code [C, 1, k, k, k]}: cross-correlation with zero padding.
	 */
	static float[] referenceNcdhw(float[] x, int batch, int channels, int[] size, float[] weight, float[] bias,
			int k, int p) {
		int[] out = { size[0] + 2 * p - k + 1, size[1] + 2 * p - k + 1, size[2] + 2 * p - k + 1 };
		float[] y = new float[batch * channels * out[0] * out[1] * out[2]];
		for (int b = 0; b < batch; b++) {
			for (int c = 0; c < channels; c++) {
				for (int i = 0; i < out[0]; i++) {
					for (int j = 0; j < out[1]; j++) {
						for (int l = 0; l < out[2]; l++) {
							double acc = bias == null ? 0 : bias[c];
							for (int a = 0; a < k; a++) {
								for (int e = 0; e < k; e++) {
									for (int f = 0; f < k; f++) {
										int si = i + a - p, sj = j + e - p, sl = l + f - p;
										if (si < 0 || sj < 0 || sl < 0 || si >= size[0] || sj >= size[1]
												|| sl >= size[2]) {
											continue;
										}
										float v = x[(((b * channels + c) * size[0] + si) * size[1] + sj) * size[2] + sl];
										acc += v * weight[((c * k + a) * k + e) * k + f];
									}
								}
							}
							y[(((b * channels + c) * out[0] + i) * out[1] + j) * out[2] + l] = (float) acc;
						}
					}
				}
			}
		}
		return y;
	}

	/** NCDHW -> NDHWC, row-major. */
	static float[] toChannelsLast(float[] x, int batch, int channels, int[] size) {
		int n = size[0] * size[1] * size[2];
		float[] y = new float[x.length];
		for (int b = 0; b < batch; b++) {
			for (int c = 0; c < channels; c++) {
				for (int v = 0; v < n; v++) {
					y[(b * n + v) * channels + c] = x[(b * channels + c) * n + v];
				}
			}
		}
		return y;
	}

	@Test
	void referenceSumsTheNeighbourhoodForAnAllOnesKernel() {
		// 3x3x3 volume of values 1..27, all-ones 3x3x3 kernel, padding 1: the centre sees all 27 values
		// (sum 378), the corner (0,0,0) sees its 2x2x2 block: 1+2+4+5+10+11+13+14 = 60.
		float[] x = new float[27];
		for (int i = 0; i < 27; i++) {
			x[i] = i + 1;
		}
		float[] ones = new float[27];
		java.util.Arrays.fill(ones, 1f);
		float[] y = referenceNcdhw(x, 1, 1, new int[] { 3, 3, 3 }, ones, new float[] { 0.5f }, 3, 1);
		assertEquals(378.5f, y[13], 0f);
		assertEquals(60.5f, y[0], 0f);
	}

	@Test
	void matchesPyTorchGroupedConv3dOnRandomData() {
		Random random = new Random(42);
		int batch = 2, channels = 5, k = 3, p = 1;
		int[] size = { 4, 6, 7 };
		float[] x = random(random, batch * channels * size[0] * size[1] * size[2]);
		float[] w = random(random, channels * k * k * k);
		float[] bias = random(random, channels);
		float[] expected = toChannelsLast(referenceNcdhw(x, batch, channels, size, w, bias, k, p), batch, channels,
				size);
		float[] filter = DepthwiseConv3d.filterFromPyTorch(w, channels, k);
		for (boolean dynamic : new boolean[] { false, true }) {
			float[] actual = GraphRunner.run(new long[] { batch, size[0], size[1], size[2], channels },
					toChannelsLast(x, batch, channels, size), dynamic,
					(tf, in) -> DepthwiseConv3d.apply(tf, in, tf.constant(org.tensorflow.ndarray.Shape.of(k, k, k, channels),
							org.tensorflow.ndarray.buffer.DataBuffers.of(filter, true, false)), tf.constant(bias), k, p));
			assertArrayEquals(expected, actual, 1e-5f);
		}
	}

	@Test
	void handlesUnpaddedLargerKernels() {
		Random random = new Random(7);
		int batch = 1, channels = 3, k = 5, p = 0;
		int[] size = { 6, 5, 8 };
		float[] x = random(random, batch * channels * size[0] * size[1] * size[2]);
		float[] w = random(random, channels * k * k * k);
		float[] expected = toChannelsLast(referenceNcdhw(x, batch, channels, size, w, null, k, p), batch, channels,
				new int[] { 2, 1, 4 });
		float[] filter = DepthwiseConv3d.filterFromPyTorch(w, channels, k);
		float[] actual = GraphRunner.run(new long[] { batch, size[0], size[1], size[2], channels },
				toChannelsLast(x, batch, channels, size),
				(tf, in) -> DepthwiseConv3d.apply(tf, in, tf.constant(org.tensorflow.ndarray.Shape.of(k, k, k, channels),
						org.tensorflow.ndarray.buffer.DataBuffers.of(filter, true, false)), null, k, p));
		assertEquals(expected.length, actual.length);
		assertArrayEquals(expected, actual, 1e-5f);
	}

	static float[] random(Random random, int n) {
		float[] v = new float[n];
		for (int i = 0; i < n; i++) {
			v[i] = (float) random.nextGaussian();
		}
		return v;
	}
}
