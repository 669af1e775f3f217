package org.volseg.nets.swinunetr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.volseg.util.Json;
import org.volseg.nets.Architectures;
import org.volseg.nets.Network;
import org.volseg.nets.ParameterShapes;

/**
 * The network built from the published swin_unetr_btcv_segmentation bundle's network_def
 * (feature size 48) takes exactly the state dict keys and shapes MONAI 1.5.0 builds for it, so
 * the published model.pt (not in the test resources, 250 MB) loads. No weights are allocated
 * beyond zero placeholders, nothing is run.
 */
class SwinUnetrRealBundleTest {

	@Test
	void parameterNamesAndShapesEqualThePublishedStateDict() throws Exception {
		Map<String, Object> config = Json.parseObject(Files.readString(
				MiniSwinBundle.bundleFile("real/swin_unetr_btcv_segmentation/configs/inference.json")));
		@SuppressWarnings("unchecked")
		Map<String, Object> kwargs = new java.util.LinkedHashMap<>((Map<String, Object>) config.get("network_def"));
		assertEquals("SwinUNETR", kwargs.remove("_target_"));
		Network net = Architectures.byName("swinunetr").configure(kwargs);
		ParameterShapes built = ParameterShapes.of(net);

		Map<String, Object> expected = Json.parseObject(Files.readString(
				MiniSwinBundle.bundleFile("real/swin_unetr_btcv_segmentation/state_dict_shapes.json")));
		assertEquals(159, expected.size());
		assertEquals(shapesAsText(expected), shapesAsText(built.shapes()));
		assertEquals(63_128_488L, built.valueCount());
		assertEquals(List.of(), new ArrayList<>(built.optionalKeys()));
	}

	/** key -> "[a, b, ...]", sorted by key, from JSON lists or long arrays. */
	private static Map<String, String> shapesAsText(Map<String, ?> shapes) {
		Map<String, String> text = new TreeMap<>();
		for (Map.Entry<String, ?> e : shapes.entrySet()) {
			Object v = e.getValue();
			text.put(e.getKey(), v instanceof long[] ? java.util.Arrays.toString((long[]) v) : Json.writeCompact(v).replace(",", ", "));
		}
		return text;
	}
}
