package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.volseg.engine.FrozenWeights;
import org.volseg.nets.Architectures;
import org.volseg.nets.Network;
import org.volseg.testutil.CliRunner;
import org.volseg.testutil.TemporaryProperty;
import org.volseg.engine.kernels.FusedKernels;

class BenchForwardCommandTest {

	@Test
	void reportsSegFormer3dAgainstTheMatmulWithTheReferenceCount() {
		CliRunner r = CliRunner.run("bench", "forward", "--size", "32", "--runs", "2", "--weights", "constants",
				"--matmul-size", "256");
		assertEquals(0, r.exitCode, r.err);
		Network net = Architectures.byName("segformer3d").configure(Architectures.byName("segformer3d").presets()
				.get("segformer3d-brats"));
		double flops = net.referenceFlops(new long[] { 32, 32, 32 });
		assertTrue(flops > 1e8, "SegFormer3D counts its reference operations: " + flops);
		assertTrue(r.out.contains("segformer3d segformer3d-brats, input [32, 32, 32], batch 1, weights as constants"), r.toString());
		assertTrue(r.out.contains(String.format(Locale.ROOT, "%.1f GFLOP per forward (the reference network's count)",
				flops / 1e9)), r.toString());
		assertTrue(r.out.contains("over 2 runs"), r.out);
		assertTrue(r.out.contains("kernels: " + FusedKernels.status()), r.out);
		// a small matmul takes little CPU time: its rate must still be measured, not divided by zero
		assertTrue(!r.out.contains("Infinity") && !r.out.contains("NaN"), r.out);
		Matcher percent = Pattern.compile("forward per CPU-second: (\\d+)% of the matmul's").matcher(r.out);
		assertTrue(percent.find(), r.out);
		assertTrue(Integer.parseInt(percent.group(1)) > 0, r.out);
	}

	/**
	 * With variables (the default) SegFormer3D runs as its packages do: variables, unless the freezing
	 * property is set, when its weights are frozen into constants as the engine then freezes them.
	 */
	@Test
	void variablesRunAsSegFormer3dPackagesDo() {
		CliRunner r = CliRunner.run("bench", "forward", "--size", "32", "--runs", "1", "--matmul-size", "256");
		assertEquals(0, r.exitCode, r.err);
		assertTrue(r.out.contains("weights as variables"), r.out);
		assertTrue(r.out.contains("weights: variables, as model packages run"), r.out);
		assertTrue(Pattern.compile("forward per CPU-second: [1-9]\\d*% of the matmul's").matcher(r.out).find(), r.out);
		try (TemporaryProperty limit = TemporaryProperty.set(FrozenWeights.PROPERTY, "64")) {
			CliRunner frozen = CliRunner.run("bench", "forward", "--size", "32", "--runs", "1", "--matmul-size", "256");
			assertEquals(0, frozen.exitCode, frozen.err);
			assertTrue(frozen.out.contains("weights: frozen into constants when loaded"), frozen.out);
		}
	}

	@Test
	void namesTheBadSetting() {
		CliRunner preset = CliRunner.run("bench", "forward", "--preset", "nope", "--matmul-size", "64");
		assertNotEquals(0, preset.exitCode);
		assertTrue(preset.err.contains("--preset") && preset.err.contains("segformer3d-brats"), preset.err);
		CliRunner weights = CliRunner.run("bench", "forward", "--weights", "frozen", "--matmul-size", "64");
		assertNotEquals(0, weights.exitCode);
		assertTrue(weights.err.contains("--weights") && weights.err.contains("frozen"), weights.err);
		CliRunner size = CliRunner.run("bench", "forward", "--size", "32,32", "--matmul-size", "64");
		assertNotEquals(0, size.exitCode);
		assertTrue(size.err.contains("--size"), size.err);
		CliRunner small = CliRunner.run("bench", "forward", "--size", "8", "--matmul-size", "64");
		assertNotEquals(0, small.exitCode);
		assertTrue(small.err.contains("input size") && small.err.contains("8"), small.err);
	}
}
