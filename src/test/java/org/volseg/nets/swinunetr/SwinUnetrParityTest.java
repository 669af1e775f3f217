package org.volseg.nets.swinunetr;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.volseg.util.Json;
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

	@BeforeAll
	static void load() {
		forward = MiniSwinBundle.forward();
		weights = MiniSwinBundle.weights();
	}

	private static Map<String, Object> kwargs(String order) throws Json.SyntaxException {
		Map<String, Object> k = MiniSwinBundle.kwargs(forward);
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
		FloatTensor first = MiniSwinBundle.firstSample(forward.tensors().get("input"));
		try (NetworkGraph g = NetworkGraph.build(net, weights, Layers.WeightStorage.VARIABLES)) {
			ParityFixtures.assertClose(forward.tensors().get("expected_output_monai14"), g.runChannelsFirst(first));
		}
	}
}
