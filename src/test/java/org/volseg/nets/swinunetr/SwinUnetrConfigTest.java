package org.volseg.nets.swinunetr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.volseg.InvalidParameterException;
import org.volseg.nets.Architectures;
import org.volseg.nets.FloatTensor;
import org.volseg.nets.Layers;
import org.volseg.nets.Network;
import org.volseg.nets.NetworkGraph;
import org.volseg.nets.ParameterShapes;
import org.volseg.nets.StateDict;
import org.volseg.nets.WeightImportException;

/** SwinUNETR's keyword arguments: MONAI's defaults and refusals, and what each option adds to the state dict. */
class SwinUnetrConfigTest {

	private static Map<String, Object> small() {
		Map<String, Object> c = new LinkedHashMap<>();
		c.put("in_channels", 1L);
		c.put("out_channels", 3L);
		c.put("feature_size", 12L);
		c.put("depths", List.of(1L, 1L, 1L, 1L));
		c.put("img_size", 32L);
		return c;
	}

	private static Network configure(Map<String, Object> kwargs) {
		return Architectures.byName("swinunetr").configure(kwargs);
	}

	private static String refusal(Map<String, Object> kwargs) {
		return assertThrows(InvalidParameterException.class, () -> configure(kwargs)).getMessage();
	}

	@Test
	void defaultsAreMonais() {
		Map<String, Object> c = new HashMap<>();
		c.put("in_channels", 1L);
		c.put("out_channels", 2L);
		Map<String, Object> r = configure(c).config();
		assertEquals(24, r.get("feature_size"));
		assertEquals(List.of(2, 2, 2, 2), r.get("depths"));
		assertEquals(List.of(3, 6, 12, 24), r.get("num_heads"));
		assertEquals(List.of(7, 7, 7), r.get("window_size"));
		assertEquals(2, r.get("patch_size"));
		assertEquals(true, r.get("qkv_bias"));
		assertEquals(4.0, r.get("mlp_ratio"));
		assertEquals("instance", r.get("norm_name"));
		assertEquals(true, r.get("normalize"));
		assertEquals("merging", r.get("downsample"));
		assertEquals(false, r.get("use_v2"));
		assertEquals("monai15", r.get(SwinUnetr.PATCH_MERGING_ORDER));
		assertEquals(List.of(96, 96, 96), r.get("img_size"));
		assertArrayEquals(new long[] { 96, 96, 96 }, configure(c).inputSpatialShape());
	}

	@Test
	void refusesWhatMonaiOrVolSegCannotBuild() {
		Map<String, Object> c = small();
		c.put("spatial_dims", 2L);
		assertTrue(refusal(c).contains("config.spatial_dims"), refusal(c));
		c = small();
		c.put("bogus_arg", 1L);
		assertTrue(refusal(c).contains("bogus_arg"), refusal(c));
		c = small();
		c.put("feature_size", 16L);
		assertTrue(refusal(c).contains("config.feature_size"));
		c = small();
		c.put("img_size", List.of(32L, 32L, 48L));
		assertTrue(refusal(c).contains("config.img_size"));
		c = small();
		c.put("downsample", "pooling");
		assertTrue(refusal(c).contains("config.downsample"));
		c = small();
		c.put("patch_size", 4L);
		assertTrue(refusal(c).contains("config.patch_size"));
		c = small();
		c.put("num_heads", List.of(5L, 6L, 12L, 24L));
		assertTrue(refusal(c).contains("config.num_heads"));
		c = small();
		c.put("depths", List.of(2L, 2L, 2L));
		assertTrue(refusal(c).contains("config.depths"));
		c = small();
		c.put("norm_name", "localresponse");
		assertTrue(refusal(c).contains("config.norm_name"));
		c = small();
		c.put("dropout_path_rate", 1.5);
		assertTrue(refusal(c).contains("config.dropout_path_rate"));
		c = small();
		c.put(SwinUnetr.PATCH_MERGING_ORDER, "monai13");
		assertTrue(refusal(c).contains("config." + SwinUnetr.PATCH_MERGING_ORDER));
	}

	@Test
	void acceptsAndIgnoresTrainingOnlyArguments() {
		Map<String, Object> c = small();
		c.put("use_checkpoint", true);
		c.put("drop_rate", 0.1);
		c.put("attn_drop_rate", 0.1);
		c.put("dropout_path_rate", 0.2);
		c.put("norm_layer", "$torch.nn.LayerNorm");
		assertEquals(ParameterShapes.of(configure(small())).shapes().keySet(), ParameterShapes.of(configure(c)).shapes().keySet());
	}

	@Test
	void imgSizeChangesOnlyTheGraphsInputSize() {
		Map<String, Object> c = small();
		c.put("img_size", List.of(64L, 32L, 32L));
		Network other = configure(c);
		assertArrayEquals(new long[] { 64, 32, 32 }, other.inputSpatialShape());
		assertEquals(text(ParameterShapes.of(configure(small())).shapes()), text(ParameterShapes.of(other).shapes()));
	}

	@Test
	void trainingDataShapeSetsChannelsClassesAndTheGraphSize() {
		Map<String, Object> user = small();
		user.remove("img_size");
		Network net = configure(new SwinUnetr().withDataShape(user, 2, 5, new int[] { 64, 32, 96 }));
		assertEquals(2, net.inputChannels());
		assertEquals(5, net.outputChannels());
		assertArrayEquals(new long[] { 64, 32, 96 }, net.inputSpatialShape());
		assertFalse(user.containsKey("img_size"), "the user's map is not modified");
	}

	@ParameterizedTest
	@CsvSource({ "1.4.0, monai14", "1.3.2, monai14", "0.9.1, monai14", "1.4.0rc1, monai14", "1.5.0, monai15", "1.5, monai15",
			"1.5.0+12.gabcdef, monai15", "1.10.0, monai15", "2.0.0, monai15" })
	void patchMergingOrderFollowsTheMonaiVersion(String version, String order) {
		assertEquals(order, SwinUnetr.patchMergingOrderForMonaiVersion(version));
	}

	@Test
	void unreadableMonaiVersionIsRefused() {
		assertTrue(assertThrows(InvalidParameterException.class, () -> SwinUnetr.patchMergingOrderForMonaiVersion("latest"))
				.getMessage().contains("monai_version"));
	}

	@Test
	void useV2AddsAResidualBlockBeforeEachStage() {
		Map<String, Object> c = small();
		c.put("use_v2", true);
		Map<String, long[]> v2 = ParameterShapes.of(configure(c)).shapes();
		Map<String, long[]> v1 = ParameterShapes.of(configure(small())).shapes();
		List<String> added = v2.keySet().stream().filter(k -> !v1.containsKey(k)).sorted().toList();
		assertEquals(8, added.size(), added.toString());
		for (int s = 0; s < 4; s++) {
			long ch = 12L << s;
			for (String conv : List.of("conv1", "conv2")) {
				String key = "swinViT.layers" + (s + 1) + "c.0.layer." + conv + ".conv.weight";
				assertArrayEquals(new long[] { ch, ch, 3, 3, 3 }, v2.get(key), key);
			}
		}
		assertTrue(v2.keySet().containsAll(v1.keySet()));
	}

	@Test
	void patchNormAndBatchNormTakeTheirParameters() {
		Map<String, Object> c = small();
		c.put("patch_norm", true);
		c.put("norm_name", "batch");
		ParameterShapes p = ParameterShapes.of(configure(c));
		assertArrayEquals(new long[] { 12 }, p.shapes().get("swinViT.patch_embed.norm.weight"));
		assertArrayEquals(new long[] { 12 }, p.shapes().get("encoder1.layer.norm1.running_var"));
		assertTrue(p.optionalKeys().contains("decoder1.conv_block.norm3.num_batches_tracked"));
		assertFalse(p.shapes().containsKey("swinViT.layers1c.0.layer.norm1.running_var"));
	}

	@Test
	void aRelativePositionIndexOfAnotherWindowIsRefused() throws Exception {
		StateDict weights = MiniSwinBundle.weights();
		String key = "swinViT.layers2.0.blocks.1.attn.relative_position_index";
		Map<String, FloatTensor> tensors = new LinkedHashMap<>(weights.tensors());
		FloatTensor index = tensors.get(key);
		float[] changed = index.data().clone();
		changed[5] += 1;
		tensors.put(key, new FloatTensor(index.shape(), changed));
		Map<String, Object> c = MiniSwinBundle.kwargs(MiniSwinBundle.forward());
		WeightImportException ex = assertThrows(WeightImportException.class,
				() -> NetworkGraph.build(configure(c), new StateDict(tensors, "changed.pt"), Layers.WeightStorage.CONSTANTS).close());
		assertTrue(ex.getMessage().contains(key) && ex.getMessage().contains("window_size"), ex.getMessage());
	}

	private static Map<String, String> text(Map<String, long[]> shapes) {
		Map<String, String> t = new java.util.TreeMap<>();
		shapes.forEach((k, v) -> t.put(k, java.util.Arrays.toString(v)));
		return t;
	}
}
