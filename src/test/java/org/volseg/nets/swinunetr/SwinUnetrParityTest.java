package org.volseg.nets.swinunetr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.volseg.io.Json;
import org.volseg.nets.Architectures;
import org.volseg.nets.FloatTensor;
import org.volseg.nets.Layers;
import org.volseg.nets.Network;
import org.volseg.nets.NetworkGraph;
import org.volseg.nets.ParityFixtures;
import org.volseg.nets.SafeTensors;
import org.volseg.nets.StateDict;

/**
 * SwinUNETR built from the mini swin_unetr_btcv_segmentation bundle's network_def and model.pt
 * (read by the PyTorch checkpoint reader) reproduces MONAI's outputs for both patch merging
 * orders (fixtures made with MONAI 1.5.0, and with its PatchMerging patched back to the 1.4
 * order; see src/test/resources/bundles/README.md).
 */
class SwinUnetrParityTest {

	private static SafeTensors forward;
	private static StateDict weights;

	static Path bundleFile(String relative) {
		try {
			return Paths.get(SwinUnetrParityTest.class.getResource("/bundles/" + relative).toURI());
		} catch (URISyntaxException | NullPointerException ex) {
			throw new IllegalStateException("missing test resource bundles/" + relative, ex);
		}
	}

	@BeforeAll
	static void load() {
		forward = SafeTensors.read(bundleFile("mini/swin_unetr_btcv_segmentation/forward.safetensors"));
		weights = StateDict.read(bundleFile("mini/swin_unetr_btcv_segmentation/models/model.pt"));
	}

	/** The fixture's network_def as keyword arguments, for a graph of the fixture input's size. */
	private static Map<String, Object> kwargs(String order) throws Json.SyntaxException {
		Map<String, Object> k = new LinkedHashMap<>(Json.parseObject(forward.metadata().get("network_def")));
		assertEquals("SwinUNETR", k.remove("_target_"));
		long[] s = forward.tensors().get("input").shape();
		k.put("img_size", List.of(s[2], s[3], s[4]));
		k.put(SwinUnetr.PATCH_MERGING_ORDER, order);
		return k;
	}

	@Test
	void matchesMonai15() throws Exception {
		Network net = Architectures.byName("swinunetr").configure(kwargs("monai15"));
		try (NetworkGraph g = NetworkGraph.build(net, weights, Layers.WeightStorage.CONSTANTS)) {
			ParityFixtures.assertClose(forward.tensors().get("expected_output"), g.runChannelsFirst(forward.tensors().get("input")));
		}
	}

	@Test
	void matchesMonai14WithOldPatchMerging() throws Exception {
		Network net = Architectures.byName("swinunetr").configure(kwargs("monai14"));
		FloatTensor input = forward.tensors().get("input");
		long[] one = input.shape().clone();
		one[0] = 1;
		FloatTensor first = new FloatTensor(one, Arrays.copyOf(input.data(), (int) FloatTensor.elementCount(one)));
		try (NetworkGraph g = NetworkGraph.build(net, weights, Layers.WeightStorage.VARIABLES)) {
			ParityFixtures.assertClose(forward.tensors().get("expected_output_monai14"), g.runChannelsFirst(first));
		}
	}
}
