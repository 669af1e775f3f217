package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.testutil.CliRunner;
import org.volseg.util.Json;
import org.volseg.model.ModelPackage;
import org.volseg.nets.BundleFixtures;
import org.volseg.nets.ParityFixtures;
import org.volseg.nets.SafeTensors;
import org.volseg.nets.StateDict;

/**
 * {@code volseg convert --arch unet|segresnet} and {@code volseg forward} end to end: the packages
 * reproduce MONAI's output of the mini spleen bundle (UNet) and our PyTorch transcription's output
 * (SegResNet; see src/test/resources/transcribed/README.md) on inputs of another size than the
 * default patch.
 */
class MonaiCnnConvertForwardTest {

	@TempDir
	Path dir;

	@Test
	void unetOfTheSpleenBundle() throws Exception {
		String bundle = "mini/spleen_ct_segmentation";
		Path config = dir.resolve("network_def.json");
		Files.writeString(config, Json.writeCompact(BundleFixtures.networkDef(bundle)), StandardCharsets.UTF_8);
		Path weights = asSafetensors(BundleFixtures.path(bundle + "/models/model.pt"));
		convertAndCompare("unet", config, weights, BundleFixtures.path(bundle + "/forward.safetensors"), "unet");
	}

	@Test
	void segResNet() throws Exception {
		Path reference = Paths.get(getClass().getResource("/transcribed/segresnet_small_nontrainable.safetensors").toURI());
		Path config = dir.resolve("config.json");
		Files.writeString(config, SafeTensors.read(reference).metadata().get("config"), StandardCharsets.UTF_8);
		Path weights = asSafetensors(Paths.get(getClass().getResource("/transcribed/segresnet_small_nontrainable.pt").toURI()));
		convertAndCompare("segresnet", config, weights, reference, "segresnet");
	}

	@Test
	void presetOfAnotherArchitectureIsRefusedNamingTheRightOnes() {
		CliRunner bad = CliRunner.run("convert", "--arch", "segresnet", "--config", "spleen-ct", "--random-weights", "--out",
				dir.resolve("x").toString());
		assertTrue(bad.exitCode != 0);
		assertTrue(bad.err.contains("brats-mri") && bad.err.contains("wholebody-ct"), bad.err);
		assertTrue(Files.notExists(dir.resolve("x")));
	}

	/** torch.save checkpoint -> safetensors (convert reads safetensors). */
	private Path asSafetensors(Path pt) {
		StateDict sd = StateDict.read(pt);
		Path out = dir.resolve(pt.getFileName() + ".safetensors");
		SafeTensors.write(out, sd.tensors(), Map.of());
		return out;
	}

	private void convertAndCompare(String arch, Path config, Path weights, Path reference, String expectedArch) throws Exception {
		Path pkg = dir.resolve(arch + "-pkg");
		CliRunner c = CliRunner.run("convert", "--arch", arch, "--config", config.toString(), "--weights", weights.toString(), "--out",
				pkg.toString());
		assertEquals(0, c.exitCode, c.err);
		try (ModelPackage p = ModelPackage.open(pkg)) {
			assertEquals(expectedArch, p.descriptor().volseg().network().architecture());
		}
		Path out = dir.resolve(arch + "-out.safetensors");
		CliRunner f = CliRunner.run("forward", "--model", pkg.toString(), "--input", reference.toString(), "--output", out.toString());
		assertEquals(0, f.exitCode, f.err);
		ParityFixtures.assertClose(SafeTensors.read(reference).tensors().get("expected_output"), SafeTensors.read(out).tensors().get("output"));
	}
}
