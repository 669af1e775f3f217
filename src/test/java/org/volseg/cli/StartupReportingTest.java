package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.engine.TestNetworks;
import org.volseg.io.nifti.NiftiWriter;
import org.volseg.testutil.CliRunner;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

/**
 * Where the start-up time goes, as the command line reports it: the {@code start-up:} line and JSON
 * keys of {@code volseg segment --summary}, {@code volseg bench startup} (its argument checks, its
 * phase lines and medians, and one real cold and warm run), and the CLI registering only the
 * subcommand it runs.
 */
class StartupReportingTest {

	@TempDir
	Path dir;

	@Test
	void startupLineSeparatesTheFirstBatchFromTheSteadyOnes() {
		assertEquals("start-up:    model load 2.50 s, first batch 1.20 s (TensorFlow's warm-up included), then 0.30 s"
				+ " per batch (warm-up cost about 0.90 s)\n", SegmentCommand.startupLine(2.5, 1.2, 0.3));
		assertEquals("start-up:    model load 0.75 s, first batch 0.40 s (TensorFlow's warm-up included), the only batch\n",
				SegmentCommand.startupLine(0.75, 0.4, Double.NaN));
		assertEquals("start-up:    model load 1.00 s\n", SegmentCommand.startupLine(1, Double.NaN, Double.NaN));
		assertTrue(SegmentCommand.startupLine(1, 0.2, 0.3).contains("warm-up cost about 0.00 s"), "never negative");
	}

	@Test
	void segmentSummaryReportsLoadFirstBatchAndSteadyBatchesThatAddUpToTheEngineTime() throws Exception {
		Path model = new TestNetworks(1, 3, 42).export(dir.resolve("model"), 16, 16, 16, false, false);
		Path scan = dir.resolve("scan.nii");
		NiftiWriter.writeFloat32(Volume.allocate(Geometry.ofSpacing(1.5, 1.5, 2), 40, 40, 30), scan);
		Path json = dir.resolve("summary.json");
		CliRunner r = CliRunner.run("segment", "--model", model.toString(), "--input", scan.toString(), "--output",
				dir.resolve("l.nii.gz").toString(), "--roi", "16,16,16", "--batch", "1", "--device", "cpu", "--summary",
				json.toString(), "--progress", "none");
		assertEquals(0, r.exitCode, r.err);
		assertTrue(r.out.matches("(?s).*\nstart-up:    model load \\d+\\.\\d\\d s, first batch \\d+\\.\\d\\d s \\(TensorFlow's"
				+ " warm-up included\\), then \\d+\\.\\d\\d s per batch \\(warm-up cost about \\d+\\.\\d\\d s\\)\n.*"), r.out);
		Map<?, ?> m = (Map<?, ?>) org.volseg.testutil.JsonParser.parse(Files.readString(json));
		double engine = num(m, "seconds_engine"), first = num(m, "seconds_first_batch"),
				after = num(m, "seconds_per_batch_after_first");
		long batches = ((Number) m.get("batches")).longValue();
		assertTrue(batches > 1, "several batches: " + batches);
		assertTrue(num(m, "seconds_model_load") > 0);
		assertTrue(first > 0 && after > 0, first + " " + after);
		double sum = first + (batches - 1) * after;
		// timed just inside the sliding window's own timing of the same calls
		assertTrue(sum <= engine + 1e-6 && sum >= engine - Math.max(0.01, 0.02 * engine), sum + " vs " + engine);
	}

	private static double num(Map<?, ?> m, String key) {
		assertTrue(m.get(key) instanceof Number, key + " in " + m);
		return ((Number) m.get(key)).doubleValue();
	}

	@Test
	void benchStartupRefusesCountsThatMakeNoRun() {
		String model = dir.resolve("no-model").toString();
		CliRunner none = CliRunner.run("bench", "startup", "--model", model, "--cold", "0", "--warm", "0");
		assertEquals(1, none.exitCode);
		assertTrue(none.err.contains("--cold") && none.err.contains("at least one run"), none.err);
		CliRunner negative = CliRunner.run("bench", "startup", "--model", model, "--cold", "-1");
		assertEquals(1, negative.exitCode);
		assertTrue(negative.err.contains("--cold") && negative.err.contains("-1"), negative.err);
		CliRunner warm = CliRunner.run("bench", "startup", "--model", model, "--warm", "-2");
		assertEquals(1, warm.exitCode);
		assertTrue(warm.err.contains("--warm"), warm.err);
		CliRunner threads = CliRunner.run("bench", "startup", "--model", model, "--threads", "-1");
		assertEquals(1, threads.exitCode);
		assertTrue(threads.err.contains("--threads"), threads.err);
		assertEquals(2, CliRunner.run("bench", "startup").exitCode, "--model is required");
	}

	@Test
	void coldRunsStartThisJavaWithTheExtraOptionsAndTheChildFlag() {
		BenchStartupCommand c = new BenchStartupCommand();
		c.model = dir.resolve("m");
		c.device = "cpu";
		c.threads = 1;
		c.javaOptions = List.of("-Xshare:off");
		List<String> command = c.childCommand();
		assertTrue(Path.of(command.get(0)).getFileName().toString().startsWith("java"), command.get(0));
		int cp = command.indexOf("-cp");
		assertTrue(cp > 0 && command.subList(1, cp).contains("-Xshare:off"), command.toString());
		assertEquals(System.getProperty("java.class.path"), command.get(cp + 1));
		assertEquals(List.of(VolSegCli.class.getName(), "bench", "startup", "--child", "--model", c.model.toString(),
				"--device", "cpu", "--threads", "1"), command.subList(cp + 2, command.size()));
		assertTrue(command.stream().noneMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit")), command.toString());
	}

	@Test
	void phaseLinesRoundTripAndMediansSumThePhases() {
		StartupProbe.Phase p = new StartupProbe.Phase(StartupProbe.LOAD, 1.25, 0.5);
		assertEquals("phase model-load 1.2500 0.5000", p.line());
		assertEquals(p, StartupProbe.Phase.parse(p.line()));
		assertThrows(IllegalArgumentException.class, () -> StartupProbe.Phase.parse("model-load 1 2"));
		List<StartupProbe.Phase> run = BenchStartupCommand.parse(List.of("some JVM warning", "phase jvm-to-command 1.0 0.8",
				"phase model-load 2.0 1.5", "phase first-patch 3.0 2.0", "phase second-patch 0.5 0.4"));
		assertEquals(4, run.size());
		assertEquals(6.0, BenchStartupCommand.upTo(run, StartupProbe.FIRST, false), 1e-12);
		assertEquals(4.3, BenchStartupCommand.upTo(run, StartupProbe.FIRST, true), 1e-12);
		assertTrue(Double.isNaN(BenchStartupCommand.upTo(run, "no-such-phase", false)));
		assertEquals(0.4, BenchStartupCommand.phase(run, StartupProbe.SECOND, true), 1e-12);
		assertThrows(org.volseg.VolSegException.class, () -> BenchStartupCommand.parse(List.of("Error: no main class")));
		assertEquals(2.0, BenchStartupCommand.median(new double[] { 3, 1, 2 }), 1e-12);
		assertEquals(2.5, BenchStartupCommand.median(new double[] { 4, 1, Double.NaN, 2, 3 }), 1e-12);
		assertTrue(Double.isNaN(BenchStartupCommand.median(new double[] { Double.NaN })));
		List<StartupProbe.Phase> other = BenchStartupCommand.parse(List.of("phase jvm-to-command 2.0 1.0",
				"phase model-load 1.0 1.0", "phase first-patch 1.0 1.0"));
		String medians = BenchStartupCommand.medians("cold", List.of(run, other), StartupProbe.FIRST, true);
		assertTrue(medians.contains("cold medians of 2: jvm-to-command 1.500 (cpu 0.900) model-load 1.500 (cpu 1.250)"),
				medians);
		// start-ups 6.0 and 4.0 s wall, 4.3 and 3.0 s CPU
		assertTrue(medians.endsWith("cold start-up (JVM start to the end of the first patch): median 5.000 s wall, 3.650 s CPU"),
				medians);
	}

	@Test
	void coldAndWarmRunsReportEveryPhase() throws Exception {
		Path model = new TestNetworks(1, 3, 42).export(dir.resolve("model"), 16, 16, 16, false, true);
		CliRunner r = CliRunner.run("bench", "startup", "--model", model.toString(), "--cold", "1", "--warm", "1",
				"--threads", "1");
		assertEquals(0, r.exitCode, r.err + r.out);
		for (String phase : List.of("jvm-to-command", "open-package", "engine-classes", "tensorflow-native", "model-load",
				"first-patch", "second-patch", "process"))
			assertTrue(r.out.matches("(?s).*\ncold 1:.* " + phase + " \\d+\\.\\d{3}.*"), phase + " in\n" + r.out);
		assertTrue(r.out.matches("(?s).*\nwarm 1: model-load \\d+\\.\\d{3} \\(cpu \\d+\\.\\d{3}\\) first-patch .*"), r.out);
		assertTrue(r.out.contains("cold start-up (JVM start to the end of the first patch): median "), r.out);
		assertTrue(r.out.contains("warm start-up (model load to the end of the first patch): median "), r.out);
		assertTrue(r.out.contains("cached (a model kept loaded, as Fiji does): one patch, median "), r.out);
	}

	@Test
	void theCommandLineRegistersOnlyTheSubcommandItRuns() {
		assertSame(SegmentCommand.class, VolSegCli.commandNamed("segment"));
		assertSame(BenchCommand.class, VolSegCli.commandNamed("bench"));
		assertNull(VolSegCli.commandNamed("help"), "help needs every command");
		assertNull(VolSegCli.commandNamed("--version"));
		assertNull(VolSegCli.commandNamed("no-such-command"));
		CliRunner usage = CliRunner.run();
		assertEquals(2, usage.exitCode);
		for (String command : List.of("segment", "batch", "info", "convert", "train", "evaluate"))
			assertTrue(usage.err.contains("\n  " + command + " "), command + " listed in\n" + usage.err);
		CliRunner help = CliRunner.run("help", "segment");
		assertEquals(0, help.exitCode);
		assertTrue(help.out.contains("Usage: volseg segment"), help.out);
		CliRunner unknown = CliRunner.run("segmnet");
		assertEquals(2, unknown.exitCode);
		assertTrue(unknown.err.contains("segmnet"), unknown.err);
	}
}
