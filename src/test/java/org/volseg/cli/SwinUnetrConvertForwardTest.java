package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.testutil.CliRunner;
import org.volseg.util.Json;
import org.volseg.model.ModelPackage;
import org.volseg.nets.ParityFixtures;
import org.volseg.nets.SafeTensors;
import org.volseg.nets.StateDict;
import org.volseg.nets.swinunetr.MiniSwinBundle;

/**
 * volseg convert --arch swinunetr + volseg forward end to end: the mini BTCV bundle's weights
 * with the MONAI 1.4 patch merging order, recorded in the package, reproduce MONAI's output.
 */
class SwinUnetrConvertForwardTest {

	@TempDir
	Path dir;

	private static void run(String... args) {
		CliRunner r = CliRunner.run(args);
		assertEquals(0, r.exitCode, r.err);
	}

	@Test
	void convertedPackageKeepsTheMonai14OrderAndReproducesMonai() throws Exception {
		SafeTensors forward = MiniSwinBundle.forward();
		StateDict weights = MiniSwinBundle.weights();
		Map<String, Object> config = MiniSwinBundle.kwargs(forward);
		config.put("patch_merging_order", "monai14");
		Path w = dir.resolve("w.safetensors");
		SafeTensors.write(w, weights.tensors(), Map.of("architecture", "SwinUNETR", "config", Json.writeCompact(config)));
		Path pkg = dir.resolve("swin");
		run("convert", "--arch", "swinunetr", "--weights", w.toString(), "--out", pkg.toString());
		try (ModelPackage p = ModelPackage.open(pkg)) {
			assertEquals("swinunetr", p.descriptor().volseg().network().architecture());
			assertEquals("monai14", p.descriptor().volseg().network().config().get("patch_merging_order"));
		}
		Path x = dir.resolve("x.safetensors");
		SafeTensors.write(x, Map.of("input", MiniSwinBundle.firstSample(forward.tensors().get("input"))), Map.of());
		Path y = dir.resolve("y.safetensors");
		run("forward", "--model", pkg.toString(), "--input", x.toString(), "--output", y.toString());
		ParityFixtures.assertClose(forward.tensors().get("expected_output_monai14"), SafeTensors.read(y).tensors().get("output"));
	}
}
