package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.testutil.CliRunner;
import org.volseg.batch.BatchStatus;
import org.volseg.batch.SummaryCsv;
import org.volseg.batch.SummaryRow;
import org.volseg.engine.TestNetworks;
import org.volseg.io.nifti.NiftiWriter;

/**
 * Issue 16, item 5: {@code volseg batch --shard K/N} as a SLURM job array on a real single-node
 * SLURM ({@link SingleNodeSlurm}), submitted with the job script users get,
 * {@code docs/slurm/volseg-array.sh}: a 4-task array over a folder of 8 scans, task 2 cancelled
 * with {@code scancel} after it finished its first scan and while it segments its second (a larger
 * one), then resubmitted alone ({@code VOLSEG_SHARDS=4 sbatch --array=2}). Asserts that every input
 * has its output, that the shard summaries hold every input once, that the summary merged by one
 * unsharded run equals the summary of a one-machine run of the same folder (input, output, status,
 * error, device, series, voxel counts and volumes per class, model, settings; not the times), and
 * that the label files are byte-identical to the one-machine run's. Skipped, with the reason on
 * standard error, where SLURM cannot start (not root, or slurm-wlm/munge not installed).
 */
class SlurmArrayTest {

	private static final int SHARDS = 4;
	/** Scan s5 is shard 2's second input (positions 1 and 5 of 8): large, so the cancel finds it running. */
	private static final int SCANS = 8, BIG = 5;

	@TempDir
	Path dir;

	@Test
	void aFourTaskArrayWithOneTaskCancelledAndResubmittedEqualsAOneMachineRun() throws Exception {
		String reason = SingleNodeSlurm.unavailableReason();
		if (reason != null)
			System.err.println("SlurmArrayTest SKIPPED: " + reason);
		Assumptions.assumeTrue(reason == null, reason);
		Path script = Path.of("docs/slurm/volseg-array.sh").toAbsolutePath();
		assertTrue(Files.isExecutable(script), script + " is missing or not executable");

		TestNetworks networks = new TestNetworks(1, 3, 42);
		Path model = networks.export(dir.resolve("model"), 16, 16, 16, false, false);
		Path in = Files.createDirectories(dir.resolve("in")), out = dir.resolve("out"), ref = dir.resolve("ref");
		Path logs = Files.createDirectories(dir.resolve("logs"));
		for (int i = 0; i < SCANS; i++)
			NiftiWriter.writeFloat32(i == BIG ? BatchCommandTest.scan(160, 160, 96, i) : BatchCommandTest.scan(40, 36, 24, i),
					in.resolve("s" + i + ".nii.gz"));
		Path volseg = launcher();
		List<String> job = List.of(script.toString(), model.toString(), in.toString(), out.toString(), "--device", "cpu",
				"--progress", "lines");
		Map<String, String> env = Map.of("VOLSEG", volseg.toString());

		long start = System.nanoTime();
		try (SingleNodeSlurm slurm = SingleNodeSlurm.start(dir.resolve("slurm"))) {
			System.err.printf("SlurmArrayTest: node idle after %.1f s%n", (System.nanoTime() - start) / 1e9);
			String first = submit(slurm, env, "--array=1-" + SHARDS, logs, job);
			Path firstOfTask2 = out.resolve("s1_labels.nii.gz"), big = out.resolve("s" + BIG + "_labels.nii.gz");
			SingleNodeSlurm.waitFor(120, () -> Files.exists(firstOfTask2) || taskGone(slurm, first, 2));
			assertTrue(Files.exists(firstOfTask2), "task 2 wrote no output (in 120 s); " + state(slurm, logs, first));
			assertTrue(slurm.tasks(first).contains(first + "_2 RUNNING"), "task 2 is not running any more: "
					+ state(slurm, logs, first));
			slurm.client("scancel", first + "_2");
			assertTrue(SingleNodeSlurm.waitFor(60, () -> taskGone(slurm, first, 2)), "task 2 still there 60 s after scancel");
			String cancelledLog = SingleNodeSlurm.tail(logs.resolve(first + "_2.log"), 100_000);
			assertTrue(cancelledLog.contains("CANCELLED"), "task 2's log does not show the cancel: " + cancelledLog);
			assertFalse(Files.exists(big), "task 2 finished its second scan before scancel reached it: " + cancelledLog);
			// only task 2's own: the other tasks are still writing theirs (a check of the whole folder failed once on
			// shard 1's label map being written)
			assertEquals(List.of(), temporaryFiles(out, "s1_", "s" + BIG + "_", "summary-shard-2-"),
					"the cancelled task left temporary files: " + cancelledLog);
			System.err.printf("SlurmArrayTest: task 2 cancelled at %.1f s%n", (System.nanoTime() - start) / 1e9);

			String again = submit(slurm, Map.of("VOLSEG", volseg.toString(), "VOLSEG_SHARDS", String.valueOf(SHARDS)),
					"--array=2", logs, job);
			assertTrue(SingleNodeSlurm.waitFor(240, () -> {
				try {
					return slurm.tasks(first, again).isEmpty();
				} catch (IOException e) {
					return false;
				}
			}), "the array has not finished in 4 minutes: " + state(slurm, logs, first));
			for (int k = 1; k <= SHARDS; k++) {
				Path log = logs.resolve((k == 2 ? again : first) + "_" + k + ".log");
				String text = SingleNodeSlurm.tail(log, 100_000);
				assertTrue(text.matches("(?s).*volseg batch: \\d+ done, \\d+ skipped, 0 failed \\(summary: "
						+ out.resolve("summary-shard-" + k + "-of-" + SHARDS + ".csv") + "\\)\\s*"), log + ":\n" + text);
			}
			System.err.printf("SlurmArrayTest: array finished at %.1f s%n", (System.nanoTime() - start) / 1e9);
		}

		CliRunner one = CliRunner.run("batch", "--model", model.toString(), "--input", in.toString(), "--output",
				ref.toString(), "--device", "cpu", "--threads", "1", "--progress", "none");
		assertEquals(0, one.exitCode, one.err);
		CliRunner merge = CliRunner.run("batch", "--model", model.toString(), "--input", in.toString(), "--output",
				out.toString(), "--device", "cpu", "--threads", "1", "--progress", "none");
		assertEquals(0, merge.exitCode, merge.err);
		assertTrue(merge.out.startsWith("volseg batch: 0 done, " + SCANS + " skipped, 0 failed"), merge.out);

		SummaryCsv layout = new SummaryCsv(networks.descriptor(16, 16, 16, false).volseg().classes());
		Map<String, SummaryRow> reference = byInput(layout.read(ref.resolve("summary.csv")));
		assertEquals(SCANS, reference.size());
		for (SummaryRow r : reference.values())
			assertEquals(BatchStatus.DONE, r.status(), r.toString());
		// The merged summary: every input, skipped (made by the array), with the one-machine run's content.
		assertEquals(comparable(reference, ref, BatchStatus.SKIPPED), comparable(byInput(layout.read(out.resolve("summary.csv"))), out, null));
		// The shard summaries together: every input once; done, but for the scan task 2 had finished before
		// it was cancelled, which its second run skipped.
		List<SummaryRow> shardRows = new ArrayList<>();
		for (int k = 1; k <= SHARDS; k++)
			shardRows.addAll(layout.read(out.resolve("summary-shard-" + k + "-of-" + SHARDS + ".csv")));
		Map<String, SummaryRow> shards = byInput(shardRows);
		assertEquals(SCANS, shardRows.size());
		assertEquals(BatchStatus.SKIPPED, shards.get(in.resolve("s1.nii.gz").toString()).status());
		Map<String, String> expected = comparable(reference, ref, null);
		expected.put(in.resolve("s1.nii.gz").toString(), comparable(reference.get(in.resolve("s1.nii.gz").toString()), ref,
				BatchStatus.SKIPPED));
		assertEquals(expected, comparable(shards, out, null));

		for (int i = 0; i < SCANS; i++) {
			String name = "s" + i + "_labels.nii.gz";
			assertArrayEquals(Files.readAllBytes(ref.resolve(name)), Files.readAllBytes(out.resolve(name)), name);
		}
		assertEquals(List.of(), temporaryFiles(out));
	}

	/** A launcher for the test's own classes, as the job script's {@code VOLSEG}. */
	private Path launcher() throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Path p = dir.resolve("volseg");
		Files.writeString(p, "#!/bin/sh\nexec '" + java + "' -Xmx1g -Xmn64m -cp '" + System.getProperty("java.class.path")
				+ "' " + VolSegCli.class.getName() + " \"$@\"\n");
		Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
		return p;
	}

	/** Submits the job script; returns the job id. One CPU a task, so TensorFlow runs one thread as the reference. */
	private static String submit(SingleNodeSlurm slurm, Map<String, String> env, String array, Path logs, List<String> job)
			throws IOException {
		List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable", array, "--cpus-per-task=1", "--chdir="
				+ logs, "--output=" + logs.resolve("%A_%a.log")));
		cmd.addAll(job);
		return slurm.client(env, cmd.toArray(String[]::new)).strip().split(";")[0];
	}

	private static boolean taskGone(SingleNodeSlurm slurm, String job, int task) {
		try {
			return slurm.tasks(job).stream().noneMatch(l -> l.startsWith(job + "_" + task + " "));
		} catch (IOException e) {
			return false;
		}
	}

	private static String state(SingleNodeSlurm slurm, Path logs, String job) {
		StringBuilder b = new StringBuilder();
		try {
			b.append("squeue: ").append(slurm.tasks(job)).append('\n');
		} catch (IOException e) {
			b.append(e).append('\n');
		}
		for (int k = 1; k <= SHARDS; k++)
			b.append("--- task ").append(k).append(":\n").append(SingleNodeSlurm.tail(logs.resolve(job + "_" + k + ".log"), 2000));
		return b.append(slurm.logs()).toString();
	}

	private static Map<String, SummaryRow> byInput(List<SummaryRow> rows) {
		Map<String, SummaryRow> m = new TreeMap<>();
		for (SummaryRow r : rows)
			assertEquals(null, m.put(r.input() + (r.series().isEmpty() ? "" : "#" + r.series()), r), "two rows for " + r.input());
		return m;
	}

	private static Map<String, String> comparable(Map<String, SummaryRow> rows, Path outputFolder, BatchStatus status) {
		Map<String, String> m = new TreeMap<>();
		rows.forEach((k, r) -> m.put(k, comparable(r, outputFolder, status)));
		return m;
	}

	/** A row without its times, its output relative to the output folder, and {@code status} if not null. */
	private static String comparable(SummaryRow r, Path outputFolder, BatchStatus status) {
		String output = r.output().isEmpty() ? "" : outputFolder.relativize(Path.of(r.output())).toString();
		return String.join(" | ", output, (status == null ? r.status() : status).id(), r.error(), r.device(), r.series(),
				String.valueOf(new TreeMap<>(r.labels())), r.model(), r.settings());
	}

	private static List<Path> temporaryFiles(Path out) throws IOException {
		return temporaryFiles(out, "");
	}

	/**
	 * The temporary files in {@code out} of outputs whose names start with one of the prefixes: hidden,
	 * {@code .NAME.volseg-...}, or {@code ..NAME.volseg-....part} while the writer of that temporary file
	 * is itself writing atomically.
	 */
	private static List<Path> temporaryFiles(Path out, String... prefixes) throws IOException {
		try (Stream<Path> s = Files.list(out)) {
			return s.filter(p -> {
				String name = p.getFileName().toString();
				String output = name.replaceFirst("^\\.+", "");
				return name.startsWith(".") && Stream.of(prefixes).anyMatch(output::startsWith);
			}).collect(Collectors.toList());
		}
	}
}
