package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.testutil.CliRunner;
import org.volseg.model.Axis;
import org.volseg.model.AxisSize;
import org.volseg.model.ModelPackage;
import org.volseg.nets.FloatTensor;
import org.volseg.nets.ParityFixtures;
import org.volseg.nets.SafeTensors;

/** volseg convert --arch segformer3d + volseg forward end to end on the SegFormer3D reference output. */
class SegFormer3dConvertForwardTest {

	@TempDir
	static Path shared;

	@TempDir
	Path dir;

	/** The fixture converted once, shared by the tests that only read it. */
	private static Path converted;

	private static String err;

	@BeforeAll
	static void convert() {
		converted = shared.resolve("segformer-small");
		assertEquals(0, run("convert", "--arch", "segformer3d", "--weights",
				ParityFixtures.path("segformer3d_small.safetensors").toString(), "--out", converted.toString()), err);
	}

	private static int run(String... args) {
		CliRunner r = CliRunner.run(args);
		err = r.err;
		return r.exitCode;
	}

	@Test
	void convertedPackageReproducesTheReference() throws Exception {
		Path fixture = ParityFixtures.path("segformer3d_small.safetensors");
		Path pkg = converted;
		try (ModelPackage p = ModelPackage.open(pkg)) {
			assertEquals("segformer3d", p.descriptor().volseg().network().architecture());
			assertEquals(List.of(8L, 16L, 32L, 64L),
					((List<?>) p.descriptor().volseg().network().config().get("embed_dims")).stream()
							.map(v -> ((Number) v).longValue()).toList());
			assertEquals(3, p.descriptor().volseg().classes().size());
			// any multiple of 4 from 16 up runs (stage 1 must keep sr_ratio = 4 voxels; output = 4 x stage 1)
			Axis x = p.descriptor().input().axes().get(1);
			assertEquals(new AxisSize.Parameterized(16, 4), x.size());
		}
		Path out = dir.resolve("y.safetensors");
		// the fixture's input is 32^3, not the default 128^3 patch: the package takes any admitted size
		assertEquals(0, run("forward", "--model", pkg.toString(), "--input", fixture.toString(), "--output", out.toString()), err);
		SafeTensors reference = SafeTensors.read(fixture);
		ParityFixtures.assertClose(reference.tensors().get("expected_output"), SafeTensors.read(out).tensors().get("output"));
	}

	@Test
	void aSizeTheNetworkCannotRunOnIsRefusedWithTheRule() throws Exception {
		Path pkg = converted;
		Path x = dir.resolve("x.safetensors");
		SafeTensors.write(x, Map.of("input", FloatTensor.zeros(1, 1, 32, 30, 32)), Map.of());
		int code = run("forward", "--model", pkg.toString(), "--input", x.toString(), "--output", dir.resolve("y.safetensors").toString());
		assertTrue(code != 0, "30 is not an admitted size");
		assertTrue(err.contains("30") && err.contains("16") && err.contains("4"), err);
		assertTrue(!Files.exists(dir.resolve("y.safetensors")));
	}

	@Test
	void bratsPresetWithRandomWeights() throws Exception {
		Path pkg = dir.resolve("brats");
		assertEquals(0, run("convert", "--arch", "segformer3d", "--config", "segformer3d-brats", "--random-weights", "--out",
				pkg.toString()), err);
		try (ModelPackage p = ModelPackage.open(pkg)) {
			assertEquals(List.of(128, 128, 128), p.descriptor().volseg().patchSize());
			assertEquals(4, p.descriptor().input().axes().get(4).channelNames().size());
			assertEquals(3, p.descriptor().volseg().classes().size());
		}
	}

	@Test
	void aConfigurationWhoseOutputSizeDiffersFromTheInputIsRefused() throws Exception {
		// stride 2 in stage 1: the decoder's fixed 4x upsampling gives twice the input size
		Path cfg = dir.resolve("cfg.json");
		Files.writeString(cfg, "{\"in_channels\": 1, \"embed_dims\": [8, 16, 32, 64], \"num_heads\": [1, 2, 4, 8], "
				+ "\"depths\": [1, 1, 1, 1], \"decoder_head_embedding_dim\": 16, \"patch_stride\": [2, 2, 2, 2]}");
		Path pkg = dir.resolve("stride2");
		int code = run("convert", "--arch", "segformer3d", "--config", cfg.toString(), "--random-weights", "--out", pkg.toString());
		assertTrue(code != 0);
		assertTrue(err.contains("gives an output of the same size") && err.contains("patch_stride"), err);
		assertTrue(!Files.exists(pkg));
	}
}
