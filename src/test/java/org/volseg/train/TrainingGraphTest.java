package org.volseg.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.volseg.nets.Architectures;
import org.volseg.nets.FloatTensor;
import org.volseg.nets.Layers;
import org.volseg.nets.Network;
import org.volseg.nets.NetworkGraph;
import org.volseg.nets.RandomParameters;
import org.volseg.nets.StateDict;

/**
 * Training graphs of tiny UNETR and SegFormer3D networks: gradients exist through the whole
 * network (the graph builds and every parameter is trained), a few Adam steps lower the loss, and
 * the trained state dict read back in PyTorch layout rebuilds a network that computes the same
 * logits.
 */
class TrainingGraphTest {

	static Network tinyUnetr() {
		return Architectures.byName("unetr").configure(Map.of("in_channels", 1L, "out_channels", 3L, "img_size", List.of(16L, 16L, 16L),
				"feature_size", 4L, "hidden_size", 16L, "mlp_dim", 16L, "num_heads", 2L));
	}

	static Network tinySegFormer() {
		return Architectures.byName("segformer3d").configure(Map.of("in_channels", 1L, "num_classes", 3L, "embed_dims",
				List.of(8L, 8L, 8L, 8L), "num_heads", List.of(1L, 1L, 1L, 1L), "depths", List.of(1L, 1L, 1L, 1L),
				"mlp_ratios", List.of(2L, 2L, 2L, 2L), "decoder_head_embedding_dim", 8L, "sr_ratios", List.of(2L, 1L, 1L, 1L)));
	}

	/** Blobs: class 1 where the image is bright, class 2 where it is dark, else background. */
	static void batch(float[] x, int[] y, long seed) {
		Random r = new Random(seed);
		for (int i = 0; i < x.length; i++) {
			int k = r.nextInt(3);
			y[i] = k;
			x[i] = (float) ((k == 1 ? 1.0 : k == 2 ? -1.0 : 0.0) + 0.3 * r.nextGaussian());
		}
	}

	@Test
	void unetrStepsLowerTheLoss() {
		lowersTheLoss(tinyUnetr(), new int[] { 16, 16, 16 }, 3e-3);
	}

	@Test
	void unetStepsLowerTheLoss() {
		lowersTheLoss(Architectures.byName("unet").configure(Map.of("spatial_dims", 3L, "in_channels", 1L, "out_channels", 3L,
				"channels", List.of(4L, 8L, 8L), "strides", List.of(2L, 2L), "num_res_units", 1L)), new int[] { 16, 16, 16 }, 3e-3);
	}

	@Test
	void segResNetStepsLowerTheLoss() {
		lowersTheLoss(Architectures.byName("segresnet").configure(Map.of("init_filters", 8L, "in_channels", 1L, "out_channels", 3L,
				"blocks_down", List.of(1L, 1L), "blocks_up", List.of(1L))), new int[] { 16, 16, 16 }, 3e-3);
	}

	private static void lowersTheLoss(Network network, int[] patch, double lr) {
		int batch = 2;
		int n = batch * patch[0] * patch[1] * patch[2];
		float[] x = new float[n];
		int[] y = new int[n];
		batch(x, y, 5);
		try (TrainingGraph g = TrainingGraph.build(network, new RandomParameters(3), patch, 0)) {
			assertEquals(g.variables().stream().filter(p -> !TrainingGraph.isFrozen(p.key())).count(), g.trainedKeys().size(),
					"every trainable parameter has a gradient");
			double first = g.evaluate(x, y, batch).total();
			for (int s = 0; s < 15; s++) g.step(x, y, batch, lr);
			double last = g.evaluate(x, y, batch).total();
			assertEquals(15, g.steps());
			assertTrue(last < 0.8 * first, "loss " + first + " -> " + last);
		}
	}

	@Test
	void segFormerStepsLowerTheLossAndItsStateDictRebuildsTheSameNetwork() {
		Network network = tinySegFormer();
		int[] patch = { 16, 16, 16 };
		int n = patch[0] * patch[1] * patch[2];
		float[] x = new float[n];
		int[] y = new int[n];
		batch(x, y, 9);
		try (TrainingGraph g = TrainingGraph.build(network, new RandomParameters(4), patch, 1e-2)) {
			assertEquals(g.variables().stream().filter(p -> !TrainingGraph.isFrozen(p.key())).count(), g.trainedKeys().size(),
					"every trainable parameter has a gradient");
			double first = g.evaluate(x, y, 1).total();
			for (int s = 0; s < 15; s++) g.step(x, y, 1, 3e-3);
			double last = g.evaluate(x, y, 1).total();
			assertTrue(last < 0.8 * first, "loss " + first + " -> " + last);
			float[] trained = g.predict(x, 1);
			StateDict sd = g.stateDict();
			try (NetworkGraph rebuilt = NetworkGraph.build(network, sd, Layers.WeightStorage.CONSTANTS)) {
				FloatTensor out = rebuilt.run(new FloatTensor(new long[] { 1, patch[0], patch[1], patch[2], 1 }, x));
				assertArrayEquals(new long[] { 1, 16, 16, 16, 3 }, out.shape());
				float[] o = out.data();
				double maxDiff = 0;
				for (int i = 0; i < o.length; i++) maxDiff = Math.max(maxDiff, Math.abs(o[i] - trained[i]));
				assertTrue(maxDiff < 1e-4, "rebuilt network differs by " + maxDiff);
			}
			// frozen batch-norm statistics keep their initial values
			for (Map.Entry<String, FloatTensor> e : sd.tensors().entrySet()) {
				if (e.getKey().endsWith(".running_var")) {
					for (float v : e.getValue().data()) assertEquals(1f, v, 0f, e.getKey());
				}
			}
		}
	}
}
