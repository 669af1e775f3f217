package org.volseg.nets.segformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.volseg.testutil.FusedKernelsTesting.requireFusedKernels;

import java.util.Random;

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
import org.volseg.nets.FloatTensor;
import org.volseg.nets.Init;
import org.volseg.nets.Layers;
import org.volseg.nets.ParameterSource;

/**
 * The inference graph's rewrites of SegFormer3D (the folded single-head attention, the decoder's
 * {@link NormalizedProjection}, the fused LayerNorm layout) compute what the plain forms the
 * training graph keeps compute. Unlike the reference fixture, whose linear layers have zero biases
 * and weights of 0.02 (so its attention is almost uniform and a lost bias goes unseen), every
 * parameter here is random and of order one: peaked attention, non-zero query and projection
 * biases, offset LayerNorm inputs. The same holds with VolSeg's fused CPU kernels in the graph.
 */
class SegFormer3dInferenceFormTest {

	private static final SegFormer3dConfig CONFIG = new SegFormer3dConfig(2, new int[] { 4, 2, 1, 1 },
			new int[] { 8, 16, 32, 64 }, new int[] { 7, 3, 3, 3 }, new int[] { 4, 2, 2, 2 }, new int[] { 3, 1, 1, 1 },
			new int[] { 4, 4, 4, 4 }, new int[] { 1, 2, 4, 8 }, new int[] { 1, 1, 1, 1 }, 32, 3, 0.0);

	@Test
	void inferenceGraphEqualsThePlainForms() {
		assertInferenceGraphEqualsThePlainForms(new long[] { 2, 32, 32, 32, CONFIG.inChannels() });
	}

	@Test
	void inferenceGraphEqualsThePlainFormsOnAnUnevenGrid() {
		// stage 1 is 9 x 8 x 5 tokens, its keys and values 2 x 2 x 1 (the reduction's floor), stage 4 2 x 1 x 1
		assertInferenceGraphEqualsThePlainForms(new long[] { 1, 36, 32, 20, CONFIG.inChannels() });
	}

	@Test
	void inferenceGraphWithFusedKernelsEqualsThePlainForms() {
		requireFusedKernels();
		assertInferenceGraphEqualsThePlainForms(CONFIG, new long[] { 1, 36, 32, 20, CONFIG.inChannels() }, 2);
	}

	/** A stage-2 patch kernel of 9^3, larger than the fused convolution takes: that stage runs TensorFlow's. */
	@Test
	void aPatchKernelTooLargeForTheFusedConvolutionRunsTensorFlowsConvolution() {
		requireFusedKernels();
		SegFormer3dConfig wide = new SegFormer3dConfig(2, new int[] { 4, 2, 1, 1 }, new int[] { 8, 16, 32, 64 },
				new int[] { 7, 9, 3, 3 }, new int[] { 4, 2, 2, 2 }, new int[] { 3, 4, 1, 1 }, new int[] { 4, 4, 4, 4 },
				new int[] { 1, 2, 4, 8 }, new int[] { 1, 1, 1, 1 }, 32, 3, 0.0);
		assertInferenceGraphEqualsThePlainForms(wide, new long[] { 1, 36, 32, 20, wide.inChannels() }, 2);
	}

	private static void assertInferenceGraphEqualsThePlainForms(long[] shape) {
		assertInferenceGraphEqualsThePlainForms(CONFIG, shape, 0);
	}

	private static void assertInferenceGraphEqualsThePlainForms(SegFormer3dConfig config, long[] shape, int fusedKernelThreads) {
		float[] input = new float[(int) (shape[0] * shape[1] * shape[2] * shape[3] * shape[4])];
		Random random = new Random(7);
		for (int i = 0; i < input.length; i++) input[i] = (float) random.nextGaussian();

		float[] plain = forward(config, Layers.Purpose.TRAINING, Layers.WeightStorage.VARIABLES, 0, shape, input);
		for (Layers.WeightStorage storage : Layers.WeightStorage.values()) {
			float[] rewritten = forward(config, Layers.Purpose.INFERENCE, storage, fusedKernelThreads, shape, input);
			assertArrayEquals(new long[] { plain.length }, new long[] { rewritten.length });
			double scale = 0;
			double diff = 0;
			for (int i = 0; i < plain.length; i++) {
				scale = Math.max(scale, Math.abs(plain[i]));
				diff = Math.max(diff, Math.abs(plain[i] - rewritten[i]));
			}
			// the output must not be flat, or the comparison says nothing
			assertTrue(scale > 0.1, "output scale " + scale);
			assertTrue(diff <= 1e-4 * scale, storage + ": max |diff| " + diff + " for output scale " + scale);
		}
	}

	private static float[] forward(SegFormer3dConfig config, Layers.Purpose purpose, Layers.WeightStorage storage,
			int fusedKernelThreads, long[] shape, float[] input) {
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			Placeholder<TFloat32> x = tf.placeholder(TFloat32.class,
					Placeholder.shape(Shape.of(-1, -1, -1, -1, config.inChannels())));
			Layers layers = new Layers(tf, new OrderOneParameters(), storage, purpose).fuseKernels(fusedKernelThreads);
			Operand<TFloat32> y = new SegFormer3dNetwork(config).build(layers, x);
			layers.initializeVariables(s);
			try (TFloat32 in = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(input, true, false));
					Result r = s.runner().feed(x, in).fetch(y).run()) {
				TFloat32 out = (TFloat32) r.get(0);
				float[] values = new float[(int) out.shape().size()];
				out.copyTo(DataBuffers.of(values, false, false));
				return values;
			}
		}
	}

	/**
	 * Every parameter drawn from its key alone (so the order of requests does not matter): weights
	 * N(0, 1 / fan-in) times 3, biases and shifts N(0, 0.5), LayerNorm and BatchNorm scales and
	 * running variances 0.5 to 1.5.
	 */
	private static final class OrderOneParameters implements ParameterSource {

		@Override
		public FloatTensor take(String key, long[] shape, Init init) {
			long n = 1;
			for (long d : shape) n *= d;
			float[] values = new float[(int) n];
			Random random = new Random(key.hashCode());
			boolean positive = key.endsWith("running_var") || (shape.length == 1 && key.endsWith(".weight"));
			double std = shape.length == 1 ? 0.5 : 3 / Math.sqrt(n / shape[0]);
			for (int i = 0; i < values.length; i++) {
				values[i] = (float) (positive ? 0.5 + random.nextDouble() : std * random.nextGaussian());
			}
			return new FloatTensor(shape, values);
		}

		@Override
		public void acceptIfPresent(String key) {}

		@Override
		public void finish() {}
	}
}
