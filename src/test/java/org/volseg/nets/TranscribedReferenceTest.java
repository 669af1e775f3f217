package org.volseg.nets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SegResNet (trilinear, deconv and pixel-shuffle upsampling) and the UNet variants the spleen bundle does not cover (instance norm without residual
 * units, group norm with LeakyReLU, a stride-1 level), each built from the recorded keyword
 * arguments with the weights of a torch.save checkpoint, reproduce the output of VolSeg's own
 * PyTorch transcription of MONAI's networks (src/test/resources/transcribed/README.md: not MONAI's
 * code; the MONAI-made spleen fixture is checked in {@code UnetBundleParityTest}).
 */
class TranscribedReferenceTest {

	@ParameterizedTest
	@ValueSource(strings = { "segresnet_small_nontrainable", "segresnet_small_deconv", "unet_small_instance_nores",
			"unet_small_group_leaky_res1", "segresnet_small_pixelshuffle" })
	void reproducesTranscription(String name) throws Exception {
		SafeTensors file = SafeTensors.read(path(name + ".safetensors"));
		Network net = Architectures.byName(file.metadata().get("architecture").toLowerCase(Locale.ROOT))
				.configure(ParityFixtures.config(file));
		StateDict weights = StateDict.read(path(name + ".pt"));
		try (NetworkGraph g = NetworkGraph.build(net, weights, Layers.WeightStorage.CONSTANTS)) {
			FloatTensor expected = file.tensors().get("expected_output");
			assertEquals(expected.dim(1), net.outputChannels());
			ParityFixtures.assertClose(expected, g.runChannelsFirst(file.tensors().get("input")));
		}
	}

	private static Path path(String name) throws URISyntaxException {
		return Paths.get(TranscribedReferenceTest.class.getResource("/transcribed/" + name).toURI());
	}
}
