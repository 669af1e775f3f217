package org.volseg.nets.unetr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.volseg.InvalidParameterException;
import org.volseg.nets.Architectures;
import org.volseg.nets.FloatTensor;
import org.volseg.nets.Layers;
import org.volseg.nets.Network;
import org.volseg.nets.NetworkGraph;
import org.volseg.nets.ParityFixtures;
import org.volseg.nets.SafeTensors;
import org.volseg.nets.StateDict;
import org.volseg.nets.WeightImportException;

/** Strict import: each kind of mismatch fails with a message that lists the offending keys. */
class UnetrWeightErrorTest {

	private static Map<String, Object> config;
	private static StateDict weights;

	@BeforeAll
	static void load() throws Exception {
		SafeTensors file = SafeTensors.read(ParityFixtures.path("unetr_small_conv.safetensors"));
		config = ParityFixtures.config(file);
		weights = StateDict.of(file, null, "unetr_small_conv.safetensors");
	}

	private static WeightImportException importFails(Map<String, Object> cfg, Map<String, FloatTensor> tensors) {
		Network net = Architectures.byName("unetr").configure(cfg);
		return assertThrows(WeightImportException.class,
				() -> NetworkGraph.build(net, new StateDict(tensors, "w.safetensors"), Layers.WeightStorage.CONSTANTS).close());
	}

	@Test
	void missingKey() {
		Map<String, FloatTensor> t = new LinkedHashMap<>(weights.tensors());
		t.remove("vit.blocks.3.attn.qkv.weight");
		t.remove("decoder2.conv_block.conv3.conv.weight");
		WeightImportException ex = importFails(config, t);
		assertEquals(List.of("vit.blocks.3.attn.qkv.weight [288, 96]", "decoder2.conv_block.conv3.conv.weight [8, 16, 1, 1, 1]"), ex.missing());
		assertTrue(ex.wrongShape().isEmpty() && ex.unexpected().isEmpty());
		assertTrue(ex.getMessage().contains("vit.blocks.3.attn.qkv.weight [288, 96]"), ex.getMessage());
		assertTrue(ex.getMessage().contains("decoder2.conv_block.conv3.conv.weight"), ex.getMessage());
	}

	@Test
	void wrongShape() {
		Map<String, FloatTensor> t = new LinkedHashMap<>(weights.tensors());
		t.put("encoder1.layer.conv1.conv.weight", FloatTensor.zeros(8, 1, 3, 3, 2));
		WeightImportException ex = importFails(config, t);
		assertEquals(List.of("encoder1.layer.conv1.conv.weight: expected [8, 1, 3, 3, 3], found [8, 1, 3, 3, 2]"), ex.wrongShape());
		assertTrue(ex.getMessage().contains("encoder1.layer.conv1.conv.weight: expected [8, 1, 3, 3, 3], found [8, 1, 3, 3, 2]"));
	}

	@Test
	void unknownKey() {
		Map<String, FloatTensor> t = new LinkedHashMap<>(weights.tensors());
		t.put("decoder9.conv.weight", FloatTensor.zeros(1));
		t.put("vit.blocks.0.attn.rel_pos.weight", FloatTensor.zeros(1));
		WeightImportException ex = importFails(config, t);
		assertEquals(List.of("decoder9.conv.weight", "vit.blocks.0.attn.rel_pos.weight"), ex.unexpected());
		assertTrue(ex.missing().isEmpty() && ex.wrongShape().isEmpty());
		assertTrue(ex.getMessage().contains("decoder9.conv.weight") && ex.getMessage().contains("vit.blocks.0.attn.rel_pos.weight"));
	}

	@Test
	void crossAttentionKeysAreTheOnlyIgnoredOnes() {
		assertTrue(weights.tensors().keySet().stream().anyMatch(k -> k.contains(".cross_attn.")), "fixture holds cross_attn keys");
		assertTrue(weights.tensors().keySet().stream().anyMatch(k -> k.contains(".norm_cross_attn.")), "fixture holds norm_cross_attn keys");
		Map<String, FloatTensor> t = new LinkedHashMap<>(weights.tensors());
		t.put("vit.norm_cross_attn.weight", FloatTensor.zeros(96)); // not under vit.blocks.N: not allowed
		assertEquals(List.of("vit.norm_cross_attn.weight"), importFails(config, t).unexpected());
	}

	@Test
	void configContradictingWeights() {
		Map<String, Object> cfg = new LinkedHashMap<>(config);
		cfg.put("feature_size", 16L);
		WeightImportException ex = importFails(cfg, weights.tensors());
		assertTrue(ex.wrongShape().contains("encoder1.layer.conv1.conv.weight: expected [16, 1, 3, 3, 3], found [8, 1, 3, 3, 3]"),
				ex.wrongShape().toString());
		assertTrue(ex.wrongShape().size() > 20, "every CNN weight differs: " + ex.wrongShape().size());
		assertTrue(ex.getMessage().contains("--config"), ex.getMessage());

		Map<String, Object> perceptron = new LinkedHashMap<>(config);
		perceptron.put("proj_type", "perceptron");
		WeightImportException ex2 = importFails(perceptron, weights.tensors());
		assertEquals(List.of("vit.patch_embedding.patch_embeddings.1.weight [96, 4096]", "vit.patch_embedding.patch_embeddings.1.bias [96]"),
				ex2.missing());
		assertEquals(List.of("vit.patch_embedding.patch_embeddings.weight", "vit.patch_embedding.patch_embeddings.bias"), ex2.unexpected());

		Map<String, Object> batch = new LinkedHashMap<>(config);
		batch.put("norm_name", "batch");
		WeightImportException ex3 = importFails(batch, weights.tensors());
		assertTrue(ex3.missing().contains("encoder1.layer.norm1.running_var [8]"), ex3.missing().toString());
	}

	@Test
	void invalidConfigNamesTheArgument() {
		Map<String, Object> cfg = new LinkedHashMap<>(config);
		cfg.put("hidden_size", 98L); // not a multiple of num_heads 4
		assertTrue(assertThrows(InvalidParameterException.class, () -> Architectures.byName("unetr").configure(cfg))
				.getMessage().contains("config.hidden_size"));
		Map<String, Object> cfg2 = new LinkedHashMap<>(config);
		cfg2.put("img_size", List.of(32L, 40L, 32L));
		assertTrue(assertThrows(InvalidParameterException.class, () -> Architectures.byName("unetr").configure(cfg2))
				.getMessage().contains("config.img_size"));
		Map<String, Object> cfg3 = new LinkedHashMap<>(config);
		cfg3.put("num_layers", 6L);
		assertTrue(assertThrows(InvalidParameterException.class, () -> Architectures.byName("unetr").configure(cfg3))
				.getMessage().contains("num_layers"));
		Map<String, Object> cfg4 = new LinkedHashMap<>(config);
		cfg4.remove("in_channels");
		assertTrue(assertThrows(InvalidParameterException.class, () -> Architectures.byName("unetr").configure(cfg4))
				.getMessage().contains("config.in_channels"));
		assertTrue(assertThrows(InvalidParameterException.class, () -> Architectures.byName("vnet")).getMessage().contains("unetr"));
	}
}
