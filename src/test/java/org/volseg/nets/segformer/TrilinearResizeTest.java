package org.volseg.nets.segformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.volseg.nets.blocks.TrilinearResize;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class TrilinearResizeTest {

	/** PyTorch's align_corners=False source coordinate, clamped at 0, written out independently. */
	static double source(int dst, double scale) {
		double src = scale * (dst + 0.5) - 0.5;
		return Math.max(src, 0);
	}

	/** Direct (non-separable) 8-corner trilinear interpolation of an NDHWC array, PyTorch semantics. */
	static float[] reference(float[] x, int batch, int[] in, int channels, int[] out, double[] scale) {
		float[] y = new float[batch * out[0] * out[1] * out[2] * channels];
		for (int b = 0; b < batch; b++) {
			for (int i = 0; i < out[0]; i++) {
				for (int j = 0; j < out[1]; j++) {
					for (int l = 0; l < out[2]; l++) {
						double[] s = { source(i, scale[0]), source(j, scale[1]), source(l, scale[2]) };
						int[] lo = new int[3], hi = new int[3];
						double[] f = new double[3];
						for (int a = 0; a < 3; a++) {
							lo[a] = (int) Math.floor(s[a]);
							hi[a] = Math.min(lo[a] + 1, in[a] - 1);
							f[a] = s[a] - lo[a];
						}
						for (int c = 0; c < channels; c++) {
							double acc = 0;
							for (int corner = 0; corner < 8; corner++) {
								int[] idx = new int[3];
								double w = 1;
								for (int a = 0; a < 3; a++) {
									boolean upper = ((corner >> a) & 1) == 1;
									idx[a] = upper ? hi[a] : lo[a];
									w *= upper ? f[a] : 1 - f[a];
								}
								acc += w * x[(((b * in[0] + idx[0]) * in[1] + idx[1]) * in[2] + idx[2]) * channels + c];
							}
							y[(((b * out[0] + i) * out[1] + j) * out[2] + l) * channels + c] = (float) acc;
						}
					}
				}
			}
		}
		return y;
	}

	static Operand<TFloat32> sized(Ops tf, int... size) {
		return tf.zeros(tf.constant(new long[] { 1, size[0], size[1], size[2], 1 }), TFloat32.class);
	}

	@Test
	void upsamplesTwoValuesLikePyTorch() {
		// torch.nn.functional.interpolate(torch.tensor([[[1., 2.]]]), size=4, mode="linear") = [1, 1.25, 1.75, 2]
		float[] actual = GraphRunner.run(new long[] { 1, 2, 1, 1, 1 }, new float[] { 1, 2 },
				(tf, x) -> TrilinearResize.toSizeOf(tf, x, sized(tf, 4, 1, 1)));
		assertArrayEquals(new float[] { 1f, 1.25f, 1.75f, 2f }, actual, 0f);
	}

	@Test
	void downsamplingByTwoAveragesPairs() {
		// scale 2: sources 0.5 and 2.5, i.e. the means of (x0, x1) and (x2, x3)
		float[] actual = GraphRunner.run(new long[] { 1, 1, 1, 4, 1 }, new float[] { 1, 3, 10, 20 },
				(tf, x) -> TrilinearResize.toSizeOf(tf, x, sized(tf, 1, 1, 2)));
		assertArrayEquals(new float[] { 2f, 15f }, actual, 0f);
		// the same along d0, which is resized by a matrix product instead of ResizeBilinear
		float[] alongD0 = GraphRunner.run(new long[] { 1, 4, 1, 1, 1 }, new float[] { 1, 3, 10, 20 },
				(tf, x) -> TrilinearResize.toSizeOf(tf, x, sized(tf, 2, 1, 1)));
		assertArrayEquals(new float[] { 2f, 15f }, alongD0, 0f);
	}

	@Test
	void upsamplingClampsTheSourceAtZeroAndTheUpperIndexAtTheEnd() {
		// factor 4 on 2 values: sources -0.375 -> 0, -0.125 -> 0, 0.125, 0.375, 0.625, 0.875, 1.125, 1.375;
		// the first two read x[0] only; the last two have index0 = index1 = 1 and read x[1] only
		float[] actual = GraphRunner.run(new long[] { 1, 2, 1, 1, 1 }, new float[] { 0, 8 },
				(tf, x) -> TrilinearResize.byFactor(tf, x, 4));
		// every axis grows 4x (d1, d2 from 1 to 4, constant along them)
		assertEquals(8 * 4 * 4, actual.length);
		float[] expectedAlongD0 = { 0, 0, 1, 3, 5, 7, 8, 8 };
		for (int i = 0; i < actual.length; i++) {
			assertEquals(expectedAlongD0[i / 16], actual[i], 0f, "output " + i);
		}
	}

	@Test
	void matchesDirectTrilinearInterpolationOnRandomData() {
		Random random = new Random(3);
		int batch = 2, channels = 3;
		int[] in = { 3, 5, 4 };
		int[] out = { 7, 5, 9 };
		float[] x = DepthwiseConv3dTest.random(random, batch * in[0] * in[1] * in[2] * channels);
		double[] scale = { (double) in[0] / out[0], (double) in[1] / out[1], (double) in[2] / out[2] };
		float[] expected = reference(x, batch, in, channels, out, scale);
		for (boolean dynamic : new boolean[] { false, true }) {
			float[] actual = GraphRunner.run(new long[] { batch, in[0], in[1], in[2], channels }, x, dynamic,
					(tf, t) -> TrilinearResize.toSizeOf(tf, t, sized(tf, out)));
			assertArrayEquals(expected, actual, 1e-5f);
		}
	}

	@Test
	void upsamplingByFourMatchesDirectInterpolation() {
		Random random = new Random(11);
		int[] in = { 2, 3, 4 };
		int[] out = { 8, 12, 16 };
		float[] x = DepthwiseConv3dTest.random(random, in[0] * in[1] * in[2] * 2);
		float[] expected = reference(x, 1, in, 2, out, new double[] { 0.25, 0.25, 0.25 });
		for (boolean dynamic : new boolean[] { false, true }) {
			float[] actual = GraphRunner.run(new long[] { 1, in[0], in[1], in[2], 2 }, x, dynamic,
					(tf, t) -> TrilinearResize.byFactor(tf, t, 4));
			assertArrayEquals(expected, actual, 1e-5f);
		}
	}
}
