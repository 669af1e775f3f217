package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
		PrintStream oldErr = System.err, oldOut = System.out;
		ByteArrayOutputStream e = new ByteArrayOutputStream();
		try {
			System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
			System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
			return VolSegCli.run(args);
		} finally {
			System.setErr(oldErr);
			System.setOut(oldOut);
			err = e.toString(StandardCharsets.UTF_8);
		}
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
}
