package org.volseg.nets.unetr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.volseg.nets.Architectures;
import org.volseg.nets.Layers;
import org.volseg.nets.Network;
import org.volseg.nets.NetworkGraph;
import org.volseg.nets.ParityFixtures;
import org.volseg.nets.SafeTensors;
import org.volseg.nets.StateDict;

/** UNETR built from MONAI state dicts reproduces MONAI's outputs (fixtures made with MONAI 1.5). */
class UnetrParityTest {

	@ParameterizedTest
	@CsvSource({ "unetr_small_conv.safetensors, CONSTANTS", "unetr_small_perceptron.safetensors, CONSTANTS",
			"unetr_small_conv.safetensors, VARIABLES" })
	void matchesMonai(String fixture, Layers.WeightStorage storage) throws Exception {
		SafeTensors file = SafeTensors.read(ParityFixtures.path(fixture));
		assertEquals("UNETR", file.metadata().get("architecture"));
		Network net = Architectures.byName("unetr").configure(ParityFixtures.config(file));
		try (NetworkGraph g = NetworkGraph.build(net, StateDict.of(file, null, fixture), storage)) {
			ParityFixtures.assertClose(file.tensors().get("expected_output"), g.runChannelsFirst(file.tensors().get("input")));
		}
	}
}
