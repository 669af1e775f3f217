package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.testutil.CliRunner;
import org.volseg.model.ModelPackage;
import org.volseg.nets.FloatTensor;
import org.volseg.nets.ParityFixtures;
import org.volseg.nets.SafeTensors;

/** volseg convert + volseg forward end to end on MONAI's reference outputs. */
class ConvertForwardCommandTest {

	@TempDir
	Path dir;

	private String err;

	private int run(String... args) {
		CliRunner r = CliRunner.run(args);
		err = r.err;
		return r.exitCode;
	}

	@Test
	void convertedPackageReproducesMonai() throws Exception {
		Path fixture = ParityFixtures.path("unetr_small_perceptron.safetensors");
		Path pkg = dir.resolve("unetr-small");
		assertEquals(0, run("convert", "--arch", "unetr", "--weights", fixture.toString(), "--out", pkg.toString()), err);
		try (ModelPackage p = ModelPackage.open(pkg)) {
			assertEquals("unetr", p.descriptor().volseg().network().architecture());
			assertEquals("perceptron", p.descriptor().volseg().network().config().get("proj_type"));
			assertEquals(2, p.descriptor().volseg().classes().size());
		}
		assertTrue(Files.isDirectory(pkg.resolve("saved_model").resolve("variables")), "weights are saved as variables");
		Path out = dir.resolve("y.safetensors");
		assertEquals(0, run("forward", "--model", pkg.toString(), "--input", fixture.toString(), "--output", out.toString()), err);
		SafeTensors reference = SafeTensors.read(fixture);
		ParityFixtures.assertClose(reference.tensors().get("expected_output"), SafeTensors.read(out).tensors().get("output"));
	}

	/** An existing --out is refused at once, with the flag that replaces it, not after the conversion with a stack trace. */
	@Test
	void existingOutputFolderIsAClearError() throws Exception {
		Path pkg = Files.createDirectories(dir.resolve("taken"));
		Files.writeString(pkg.resolve("notes.txt"), "keep me");
		assertEquals(1, run("convert", "--arch", "unetr", "--config", "monai-unetr-btcv", "--random-weights", "--out",
				pkg.toString()), err);
		assertTrue(err.startsWith("volseg: error: --out: expected a folder that does not exist yet") && err.contains("--replace")
				&& !err.contains("\tat "), err);
		assertEquals("keep me", Files.readString(pkg.resolve("notes.txt")));
	}

	@Test
	void explicitConfigFileAndTensorName() throws Exception {
		Path fixture = ParityFixtures.path("unetr_small_conv.safetensors");
		SafeTensors reference = SafeTensors.read(fixture);
		Path cfg = dir.resolve("cfg.json");
		Files.writeString(cfg, reference.metadata().get("config"));
		// a state_dict without prefix, as torch's save_file(model.state_dict()) writes it
		Map<String, FloatTensor> stateDict = new LinkedHashMap<>();
		reference.tensors().forEach((k, v) -> {
			if (k.startsWith("model.")) stateDict.put(k.substring(6), v);
		});
		Path weights = dir.resolve("w.safetensors");
		SafeTensors.write(weights, stateDict, Map.of());
		Path x = dir.resolve("x.safetensors");
		SafeTensors.write(x, Map.of("volume", reference.tensors().get("input")), Map.of());
		Path pkg = dir.resolve("pkg");
		assertEquals(0, run("convert", "--arch", "UNETR", "--config", cfg.toString(), "--weights", weights.toString(), "--out", pkg.toString()), err);
		Path out = dir.resolve("y.safetensors");
		assertEquals(0, run("forward", "--model", pkg.toString(), "--input", x.toString(), "--tensor", "volume", "--output", out.toString(),
				"--device", "cpu"), err);
		ParityFixtures.assertClose(reference.tensors().get("expected_output"), SafeTensors.read(out).tensors().get("output"));

		assertEquals(1, run("forward", "--model", pkg.toString(), "--input", x.toString(), "--output", dir.resolve("z").toString()));
		assertTrue(err.contains("--tensor") && err.contains("volume"), err);
	}

	@Test
	void convertRefusesMismatchedWeightsListingKeys() throws Exception {
		Path fixture = ParityFixtures.path("unetr_small_conv.safetensors");
		Path cfg = dir.resolve("cfg.json");
		Files.writeString(cfg, SafeTensors.read(fixture).metadata().get("config").replace("\"hidden_size\": 96", "\"hidden_size\": 128"));
		Path pkg = dir.resolve("pkg");
		assertEquals(1, run("convert", "--arch", "unetr", "--config", cfg.toString(), "--weights", fixture.toString(), "--out", pkg.toString()));
		assertTrue(err.contains("vit.blocks.0.attn.qkv.weight: expected [384, 128], found [288, 96]"), err);
		assertFalse(Files.exists(pkg), "nothing written");

		assertEquals(1, run("convert", "--arch", "unetr", "--random-weights", "--out", pkg.toString()));
		assertTrue(err.contains("--config"), err);
		assertEquals(1, run("convert", "--arch", "unetr", "--config", "no-such-preset", "--random-weights", "--out", pkg.toString()));
		assertTrue(err.contains("monai-unetr-btcv"), err);
		assertEquals(2, run("convert", "--arch", "unetr", "--weights", fixture.toString(), "--random-weights", "--out", pkg.toString()));
	}

	@Test
	void randomWeightsAndSilentConfigDifferences() throws Exception {
		Path fixture = ParityFixtures.path("unetr_small_conv.safetensors");
		String small = SafeTensors.read(fixture).metadata().get("config");
		Path cfg = dir.resolve("heads8.json");
		Files.writeString(cfg, small.replace("\"num_heads\": 4", "\"num_heads\": 8"));
		Path pkg = dir.resolve("heads8");
		// every shape fits, but the file recorded another num_heads: converted, with a warning
		assertEquals(0, run("convert", "--arch", "unetr", "--config", cfg.toString(), "--weights", fixture.toString(), "--out", pkg.toString()), err);
		assertTrue(err.contains("warning") && err.contains("num_heads: 8 (file: 4)"), err);

		Path random = dir.resolve("random");
		assertEquals(0, run("convert", "--arch", "unetr", "--config", cfg.toString(), "--random-weights", "--seed", "3", "--out", random.toString()), err);
		Path out = dir.resolve("y.safetensors");
		assertEquals(0, run("forward", "--model", random.toString(), "--input", fixture.toString(), "--output", out.toString()), err);
		FloatTensor y = SafeTensors.read(out).tensors().get("output");
		assertEquals(java.util.List.of(1L, 3L, 32L, 32L, 32L), java.util.Arrays.stream(y.shape()).boxed().toList());
		assertTrue(y.maxAbs() > 0);
	}
}
