package org.volseg.nets.segformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/** {@link BlockedConv3d} computes PyTorch's strided Conv3d (checked against a direct plain-Java convolution). */
class BlockedConv3dTest {

	/**
	 * Direct {@code conv3d(x, w, b, stride=s, padding=p)} on channels-last arrays: input
	 * {@code [batch, n0, n1, n2, in]}, kernel {@code [k, k, k, in, out]}, zero padding.
	 */
	static float[] reference(float[] x, int batch, int[] n, int in, float[] w, float[] bias, int out, int k, int s, int p) {
		int[] o = new int[3];
		for (int a = 0; a < 3; a++) {
			o[a] = Math.floorDiv(n[a] + 2 * p - k, s) + 1;
		}
		float[] y = new float[batch * o[0] * o[1] * o[2] * out];
		for (int b = 0; b < batch; b++) {
			for (int i = 0; i < o[0]; i++) {
				for (int j = 0; j < o[1]; j++) {
					for (int l = 0; l < o[2]; l++) {
						for (int co = 0; co < out; co++) {
							double acc = bias[co];
							for (int a = 0; a < k; a++) {
								for (int e = 0; e < k; e++) {
									for (int f = 0; f < k; f++) {
										int si = i * s + a - p, sj = j * s + e - p, sl = l * s + f - p;
										if (si < 0 || sj < 0 || sl < 0 || si >= n[0] || sj >= n[1] || sl >= n[2]) {
											continue;
										}
										for (int ci = 0; ci < in; ci++) {
											acc += (double) x[(((b * n[0] + si) * n[1] + sj) * n[2] + sl) * in + ci]
													* w[(((a * k + e) * k + f) * in + ci) * out + co];
										}
									}
								}
							}
							y[(((b * o[0] + i) * o[1] + j) * o[2] + l) * out + co] = (float) acc;
						}
					}
				}
			}
		}
		return y;
	}

	private static void check(int batch, int[] n, int in, int out, int k, int s, int p, long seed) {
		Random random = new Random(seed);
		float[] x = DepthwiseConv3dTest.random(random, batch * n[0] * n[1] * n[2] * in);
		float[] w = DepthwiseConv3dTest.random(random, k * k * k * in * out);
		float[] bias = DepthwiseConv3dTest.random(random, out);
		float[] expected = reference(x, batch, n, in, w, bias, out, k, s, p);
		for (boolean dynamic : new boolean[] { false, true }) {
			float[] actual = GraphRunner.run(new long[] { batch, n[0], n[1], n[2], in }, x, dynamic,
					(tf, input) -> BlockedConv3d.apply(tf, input,
							tf.constant(Shape.of(k, k, k, in, out), DataBuffers.of(w, true, false)), tf.constant(bias), k, s, p));
			assertEquals(expected.length, actual.length, "output size");
			assertArrayEquals(expected, actual, 2e-4f, "k " + k + " s " + s + " p " + p + " dynamic " + dynamic);
		}
	}

	@Test
	void firstPatchEmbeddingOfSegFormer3d() {
		// kernel 7, stride 4, padding 3 (q = 2 blocks per axis, taps 7 of 8 used); sizes with and without rest
		check(2, new int[] { 16, 13, 22 }, 4, 5, 7, 4, 3, 1);
	}

	@Test
	void overlappingStrideTwo() {
		check(1, new int[] { 9, 8, 7 }, 3, 4, 3, 2, 1, 2);
	}

	@Test
	void kernelEqualToStrideAndKernelSmallerThanStride() {
		check(1, new int[] { 8, 9, 12 }, 2, 3, 4, 4, 0, 3);
		check(2, new int[] { 7, 8, 6 }, 2, 3, 2, 3, 0, 4);
	}
}
