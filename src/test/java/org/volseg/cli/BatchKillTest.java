package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.testutil.CliRunner;
import org.volseg.engine.TestNetworks;
import org.volseg.io.nifti.NiftiReader;
import org.volseg.io.nifti.NiftiWriter;

/**
 * {@code volseg batch} in a child JVM killed with SIGKILL while it writes an output (the moment a
 * temporary output file appears): every file under a final name is whole, and a rerun finishes the
 * batch with no corrupt output and no temporary file left.
 */
class BatchKillTest {

	@TempDir
	Path dir;

	@Test
	void aBatchKilledWithSigkillMidWriteIsResumedWithoutACorruptOutput() throws Exception {
		Path model = new TestNetworks(1, 3, 42).export(dir.resolve("model"), 16, 16, 16, false, false);
		Path in = Files.createDirectories(dir.resolve("in")), out = dir.resolve("out");
		int scans = 4;
		for (int i = 0; i < scans; i++)
			NiftiWriter.writeFloat32(BatchCommandTest.scan(40, 36, 24, i), in.resolve("s" + i + ".nii.gz"));
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), VolSegCli.class.getName(), "batch", "--model",
				model.toString(), "--input", in.toString(), "--output", out.toString(), "--device", "cpu", "--threads", "1",
				"--save-probabilities", "--progress", "none"));
		Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile())
				.start();
		boolean midWrite = false;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (child.isAlive() && System.nanoTime() < deadline) {
			if (!temporaryFiles(out).isEmpty() && finalOutputs(out).size() >= 2) {
				child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
				midWrite = true;
				break;
			}
			Thread.sleep(1);
		}
		child.waitFor(30, TimeUnit.SECONDS);
		assertTrue(midWrite, "the child was not caught writing: " + Files.readString(dir.resolve("child.log")));
		assertNotEquals(0, child.exitValue());
		// Whatever the moment: every file under a final name reads completely.
		for (Path p : finalOutputs(out))
			NiftiReader.read(p).volume();

		CliRunner r = CliRunner.run("batch", "--model", model.toString(), "--input", in.toString(), "--output",
				out.toString(), "--device", "cpu", "--save-probabilities", "--progress", "none");
		assertEquals(0, r.exitCode, r.toString());
		assertTrue(r.out.matches("(?s)volseg batch: [1-9]\\d* done, \\d+ skipped, 0 failed.*"), r.out);
		assertEquals(List.of(), temporaryFiles(out));
		for (int i = 0; i < scans; i++) {
			assertArrayEquals(new long[] { 40, 36, 24 }, NiftiReader.read(out.resolve("s" + i + "_labels.nii.gz")).volume().dimensions());
			assertArrayEquals(new long[] { 40, 36, 24, 3 },
					NiftiReader.read(out.resolve("s" + i + "_probabilities.nii.gz")).volume().dimensions());
		}
		assertEquals(scans + 1, Files.readAllLines(out.resolve("summary.csv")).size());
	}

	private static List<Path> temporaryFiles(Path out) throws IOException {
		return list(out).stream().filter(p -> p.getFileName().toString().startsWith(".")).collect(Collectors.toList());
	}

	private static List<Path> finalOutputs(Path out) throws IOException {
		return list(out).stream().filter(p -> p.getFileName().toString().endsWith(".nii.gz")
				&& !p.getFileName().toString().startsWith(".")).collect(Collectors.toList());
	}

	private static List<Path> list(Path out) throws IOException {
		if (!Files.isDirectory(out))
			return List.of();
		try (Stream<Path> s = Files.list(out)) {
			return s.collect(Collectors.toList());
		} catch (java.nio.file.NoSuchFileException | java.io.UncheckedIOException e) {
			return List.of(); // a file vanished while listing (renamed into place)
		}
	}
}
