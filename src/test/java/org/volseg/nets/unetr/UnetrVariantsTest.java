package org.volseg.nets.unetr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.volseg.nets.Architectures;
import org.volseg.nets.FloatTensor;
import org.volseg.nets.Init;
import org.volseg.nets.Layers;
import org.volseg.nets.Network;
import org.volseg.nets.NetworkGraph;
import org.volseg.nets.ParameterSource;
import org.volseg.nets.RandomParameters;

/**
 * Configurations the parity fixtures do not cover: the keys each one takes follow MONAI's module
 * tree (UnetrPrUpBlock / UnetrUpBlock / UnetResBlock / UnetBasicBlock / SABlock), and the graph
 * runs with the declared shapes.
 */
class UnetrVariantsTest {

	/** Records the keys (and shapes) a build takes. */
	private static final class Recorder implements ParameterSource {
		final Map<String, long[]> taken = new LinkedHashMap<>();
		final Set<String> optional = new TreeSet<>();
		final RandomParameters random = new RandomParameters(7);

		@Override
		public FloatTensor take(String key, long[] shape, Init init) {
			taken.put(key, shape);
			return random.take(key, shape, init);
		}

		@Override
		public void acceptIfPresent(String key) {
			optional.add(key);
		}

		@Override
		public void finish() {
		}
	}

	private static Map<String, Object> small() {
		Map<String, Object> c = new LinkedHashMap<>();
		c.put("in_channels", 2L);
		c.put("out_channels", 3L);
		c.put("img_size", List.of(32L, 16L, 48L));
		c.put("feature_size", 4L);
		c.put("hidden_size", 24L);
		c.put("mlp_dim", 32L);
		c.put("num_heads", 3L);
		return c;
	}

	private static Recorder buildAndRun(Map<String, Object> config) {
		Network net = Architectures.byName("unetr").configure(config);
		Recorder r = new Recorder();
		try (NetworkGraph g = NetworkGraph.build(net, r, Layers.WeightStorage.CONSTANTS)) {
			FloatTensor x = FloatTensor.zeros(2, 2, 32, 16, 48);
			Random random = new Random(3);
			for (int i = 0; i < x.data().length; i++) x.data()[i] = (float) random.nextGaussian();
			FloatTensor y = g.runChannelsFirst(x);
			assertArrayEquals(new long[] { 2, 3, 32, 16, 48 }, y.shape());
			for (float v : y.data()) assertTrue(Float.isFinite(v));
			assertTrue(y.maxAbs() > 0);
		}
		return r;
	}

	@Test
	void basicBlocksBatchNormQkvBiasNonCubic() {
		Map<String, Object> c = small();
		c.put("res_block", false);
		c.put("norm_name", "batch");
		c.put("qkv_bias", true);
		Recorder r = buildAndRun(c);
		assertArrayEquals(new long[] { 72 }, r.taken.get("vit.blocks.0.attn.qkv.bias"));
		assertArrayEquals(new long[] { 1, 2 * 1 * 3, 24 }, r.taken.get("vit.patch_embedding.position_embeddings"));
		assertArrayEquals(new long[] { 4, 2, 3, 3, 3 }, r.taken.get("encoder1.layer.conv1.conv.weight"));
		assertArrayEquals(new long[] { 4 }, r.taken.get("encoder1.layer.norm1.running_mean"));
		assertTrue(r.optional.contains("encoder1.layer.norm1.num_batches_tracked"));
		assertFalse(r.taken.containsKey("encoder1.layer.conv3.conv.weight"), "basic blocks have no residual projection");
		assertArrayEquals(new long[] { 8, 8, 3, 3, 3 }, r.taken.get("encoder2.blocks.1.1.conv2.conv.weight"));
		assertArrayEquals(new long[] { 32, 64, 3, 3, 3 }, r.taken.get("decoder5.conv_block.conv1.conv.weight"));
	}

	@Test
	void withoutConvBlocksAndAffineInstanceNorm() {
		Map<String, Object> c = small();
		c.put("conv_block", false);
		c.put("proj_type", "perceptron");
		c.put("norm_name", List.of("instance", Map.of("affine", true)));
		Recorder r = buildAndRun(c);
		assertArrayEquals(new long[] { 8, 8, 2, 2, 2 }, r.taken.get("encoder2.blocks.1.conv.weight"));
		assertFalse(r.taken.keySet().stream().anyMatch(k -> k.startsWith("encoder2.blocks.0.1.")));
		assertArrayEquals(new long[] { 24, 16 * 16 * 16 * 2 }, r.taken.get("vit.patch_embedding.patch_embeddings.1.weight"));
		assertArrayEquals(new long[] { 4 }, r.taken.get("encoder1.layer.norm3.weight"));
		assertEquals(Set.of(), r.optional);
	}

	@Test
	void defaultKeysMatchMonaiStateDict() {
		Recorder r = buildAndRun(small());
		// UNETR(in 2, out 3, feature 4, hidden 24): the state_dict MONAI writes, cross-attention keys aside
		Set<String> cnn = new TreeSet<>();
		for (String k : r.taken.keySet()) if (!k.startsWith("vit.")) cnn.add(k);
		Set<String> expected = new TreeSet<>();
		for (String blockPrefix : List.of("encoder1.layer", "encoder2.blocks.0.1", "encoder2.blocks.1.1", "encoder3.blocks.0.1",
				"decoder5.conv_block", "decoder4.conv_block", "decoder3.conv_block", "decoder2.conv_block")) {
			expected.add(blockPrefix + ".conv1.conv.weight");
			expected.add(blockPrefix + ".conv2.conv.weight");
		}
		for (String projected : List.of("encoder1.layer", "decoder5.conv_block", "decoder4.conv_block", "decoder3.conv_block", "decoder2.conv_block")) {
			expected.add(projected + ".conv3.conv.weight");
		}
		for (String up : List.of("encoder2.transp_conv_init", "encoder2.blocks.0.0", "encoder2.blocks.1.0", "encoder3.transp_conv_init",
				"encoder3.blocks.0.0", "encoder4.transp_conv_init", "decoder5.transp_conv", "decoder4.transp_conv", "decoder3.transp_conv",
				"decoder2.transp_conv")) {
			expected.add(up + ".conv.weight");
		}
		expected.add("out.conv.conv.weight");
		expected.add("out.conv.conv.bias");
		assertEquals(expected, cnn);
		long vitKeys = r.taken.keySet().stream().filter(k -> k.startsWith("vit.")).count();
		assertEquals(3 + 12 * 11 + 2, vitKeys, "patch embedding (3), 12 blocks x 11 (norms, qkv, out_proj, mlp), final norm (2)");
	}
}
