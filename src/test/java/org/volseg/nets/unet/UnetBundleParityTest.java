package org.volseg.nets.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.volseg.nets.Architectures;
import org.volseg.nets.BundleFixtures;
import org.volseg.nets.Layers;
import org.volseg.nets.Network;
import org.volseg.nets.NetworkGraph;
import org.volseg.nets.ParityFixtures;
import org.volseg.nets.SafeTensors;
import org.volseg.nets.StateDict;

/**
 * The UNet of the mini spleen_ct_segmentation bundle, built from its network_def with the weights
 * of its models/model.pt (a training checkpoint), reproduces MONAI 1.5's output on the bundle's
 * forward.safetensors (batch norm with running statistics, PReLU, residual units, 4 levels).
 */
class UnetBundleParityTest {

	private static final String BUNDLE = "mini/spleen_ct_segmentation";

	@ParameterizedTest
	@EnumSource(Layers.WeightStorage.class)
	void matchesMonai(Layers.WeightStorage storage) throws Exception {
		assertEquals("UNet", BundleFixtures.target(BUNDLE));
		Network net = Architectures.byName("unet").configure(BundleFixtures.networkDef(BUNDLE));
		SafeTensors forward = SafeTensors.read(BundleFixtures.path(BUNDLE + "/forward.safetensors"));
		StateDict weights = StateDict.read(BundleFixtures.path(BUNDLE + "/models/model.pt"));
		try (NetworkGraph g = NetworkGraph.build(net, weights, storage)) {
			ParityFixtures.assertClose(forward.tensors().get("expected_output"), g.runChannelsFirst(forward.tensors().get("input")));
		}
	}
}
