package org.volseg.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
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

/**
 * {@value FusedKernels#DEPTHWISE_CONV3D_GELU} against a plain reference: the depthwise convolution
 * summed in double precision here, {@code h (1 + erf h)} by TensorFlow's {@code Erf}. Shapes cover
 * vector and left-over channels (C = 40 is two 16-float vectors and 8 more), a batch of two, edges
 * shorter than the op's 8-voxel blocks, and more threads than rows and than cores.
 */
class FusedKernelsTest {

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
			Operand<TFloat32> fused = FusedKernels.depthwiseConv3dGelu(tf, constant(tf, input, shape),
					constant(tf, filter, 3, 3, 3, c), constant(tf, bias, c), threads);
			assertEquals(Shape.of(shape), fused.shape(), "the op's static shape is the input's");
			Operand<TFloat32> hRef = constant(tf, h, shape);
			Operand<TFloat32> expected = tf.math.mul(hRef, tf.math.add(tf.math.erf(hRef), tf.constant(1f)));
			float[] got = fetch(s, fused);
			float[] want = fetch(s, expected);
			double scale = 0;
			double diff = 0;
			for (int i = 0; i < want.length; i++) {
				scale = Math.max(scale, Math.abs(want[i]));
				diff = Math.max(diff, Math.abs(got[i] - want[i]));
			}
			assertTrue(scale > 0.1, "output scale " + scale);
			// float sums of up to 27 terms and erf's 1.5e-7: a few 1e-7 of the scale; a wrong tap is 1e-2
			assertTrue(diff <= 1e-6 * scale, "max |diff| " + diff + " for scale " + scale);
		}
	}

	@Test
	void aFilterOfTheWrongShapeIsAnErrorNamingTheOp() {
		requireFusedKernels();
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			// the op's shape function does not check the filter: the kernel must, before it reads it
			Operand<TFloat32> bad = FusedKernels.depthwiseConv3dGelu(tf, constant(tf, new float[512], 1, 4, 4, 4, 8),
					constant(tf, new float[72], 3, 3, 8), constant(tf, new float[8], 8), 2);
			TFInvalidArgumentException e = assertThrows(TFInvalidArgumentException.class, () -> fetch(s, bad));
			assertTrue(e.getMessage().contains("VolsegDepthwiseConv3dGelu: filter must be [3, 3, 3, 8] and bias [8]"),
					e.getMessage());
		}
	}

	@Test
	void threadsOutOfRangeAreRefusedWhenTheGraphIsBuilt() {
		try (Graph g = new Graph()) {
			Ops tf = Ops.create(g);
			Operand<TFloat32> x = tf.constant(new float[] { 1 });
			assertThrows(IllegalArgumentException.class, () -> FusedKernels.depthwiseConv3dGelu(tf, x, x, x, 0));
			assertThrows(IllegalArgumentException.class,
					() -> FusedKernels.depthwiseConv3dGelu(tf, x, x, x, FusedKernels.MAX_THREADS + 1));
		}
	}

	@Test
	void aMistypedKernelsPropertyIsRefusedNamingIt() {
		String before = System.getProperty(FusedKernels.PROPERTY);
		try {
			System.setProperty(FusedKernels.PROPERTY, "portabel");
			InvalidParameterException e = assertThrows(InvalidParameterException.class, FusedKernels::available);
			assertTrue(e.getMessage().contains(FusedKernels.PROPERTY) && e.getMessage().contains("portabel"), e.getMessage());
			System.setProperty(FusedKernels.PROPERTY, "portable");
			assertEquals(false, FusedKernels.available());
			assertTrue(FusedKernels.status().contains("portable"), FusedKernels.status());
		} finally {
			if (before == null) System.clearProperty(FusedKernels.PROPERTY);
			else System.setProperty(FusedKernels.PROPERTY, before);
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
