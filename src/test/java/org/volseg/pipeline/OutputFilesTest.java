package org.volseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.VolSegException;

/** {@link OutputFiles#stageAll}: two writers at a time, all files or none, a failure reported after both ended. */
class OutputFilesTest {

	@TempDir
	Path dir;

	private static void write(Path p, String text) {
		try {
			Files.writeString(p, text);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** Writes after a pause, then records when it ended. */
	private static void writeSlowly(Path p, String text, long millis, AtomicLong ended) {
		try {
			Thread.sleep(millis);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		write(p, text);
		ended.set(System.nanoTime());
	}

	private List<String> files() throws IOException {
		try (Stream<Path> s = Files.list(dir)) {
			return s.map(p -> p.getFileName().toString()).sorted().toList();
		}
	}

	@Test
	void outputsAreWrittenOnTwoThreadsAndCommittedTogether() throws Exception {
		AtomicReference<String> secondThread = new AtomicReference<>();
		try (OutputFiles files = new OutputFiles()) {
			files.stageAll(List.of(new OutputFiles.Output("labels", dir.resolve("l.nii.gz"), p -> write(p, "labels")),
					new OutputFiles.Output("montage", dir.resolve("m.png"), p -> {
						secondThread.set(Thread.currentThread().getName());
						write(p, "montage");
					}), new OutputFiles.Output("logits", dir.resolve("x.nii.gz"), p -> write(p, "logits"))), () -> {
					});
			assertEquals(3, files().size()); // hidden temporary files until the commit
			assertTrue(files().stream().allMatch(f -> f.startsWith(".")), files().toString());
			files.commit();
			assertEquals(Map.of("labels", dir.resolve("l.nii.gz"), "montage", dir.resolve("m.png"), "logits",
					dir.resolve("x.nii.gz")), files.written());
		}
		assertEquals(List.of("l.nii.gz", "m.png", "x.nii.gz"), files());
		assertEquals("montage", Files.readString(dir.resolve("m.png")));
		assertEquals("volseg-writer", secondThread.get());
		assertNotEquals(Thread.currentThread().getName(), secondThread.get());
	}

	@Test
	void aFailureIsThrownOnceBothWritersEndedAndNoFileIsLeft() throws Exception {
		VolSegException broken = new VolSegException("m.png: cannot write the montage (test)");
		AtomicLong slowEnded = new AtomicLong();
		long thrown;
		try (OutputFiles files = new OutputFiles()) {
			VolSegException e = assertThrows(VolSegException.class, () -> files.stageAll(List.of(
					new OutputFiles.Output("labels", dir.resolve("l.nii.gz"), p -> writeSlowly(p, "labels", 300, slowEnded)),
					new OutputFiles.Output("montage", dir.resolve("m.png"), p -> {
						throw broken;
					})), () -> {
					}));
			thrown = System.nanoTime();
			assertSame(broken, e);
			assertTrue(slowEnded.get() != 0 && slowEnded.get() <= thrown, "thrown before the other writer ended");
		}
		assertEquals(List.of(), files());
	}
	/**
	 * The work given for meanwhile runs on the caller's thread after its own outputs and while the helper
	 * still writes; its failure comes after the helper ended, and an output's failure comes first.
	 */
	@Test
	void meanwhileRunsOnTheCallersThreadWhileTheHelperWrites() throws Exception {
		java.util.concurrent.CountDownLatch helperWriting = new java.util.concurrent.CountDownLatch(1),
				meanwhileRan = new java.util.concurrent.CountDownLatch(1);
		AtomicReference<String> meanwhileThread = new AtomicReference<>();
		try (OutputFiles files = new OutputFiles()) {
			files.stageAll(List.of(new OutputFiles.Output("labels", dir.resolve("l.nii.gz"), p -> write(p, "labels")),
					new OutputFiles.Output("montage", dir.resolve("m.png"), p -> {
						helperWriting.countDown();
						try {
							assertTrue(meanwhileRan.await(10, java.util.concurrent.TimeUnit.SECONDS), "meanwhile waited for the helper");
						} catch (InterruptedException e) {
							Thread.currentThread().interrupt();
						}
						write(p, "montage");
					})), () -> {
					}, () -> {
						try {
							assertTrue(helperWriting.await(10, java.util.concurrent.TimeUnit.SECONDS));
						} catch (InterruptedException e) {
							Thread.currentThread().interrupt();
						}
						meanwhileThread.set(Thread.currentThread().getName());
						meanwhileRan.countDown();
					});
			files.commit();
		}
		assertEquals(Thread.currentThread().getName(), meanwhileThread.get());
		assertEquals(List.of("l.nii.gz", "m.png"), files());

		IllegalStateException late = new IllegalStateException("counting failed (test)");
		VolSegException broken = new VolSegException("m.png: cannot write the montage (test)");
		AtomicLong helperEnded = new AtomicLong();
		try (OutputFiles files = new OutputFiles()) {
			IllegalStateException e = assertThrows(IllegalStateException.class, () -> files.stageAll(List.of(
					new OutputFiles.Output("labels", dir.resolve("l2.nii.gz"), p -> write(p, "labels")),
					new OutputFiles.Output("montage", dir.resolve("m2.png"), p -> writeSlowly(p, "montage", 200, helperEnded))),
					() -> {
					}, () -> {
						throw late;
					}));
			assertSame(late, e);
			assertTrue(helperEnded.get() != 0 && helperEnded.get() <= System.nanoTime(), "thrown before the helper ended");
			assertSame(broken, assertThrows(VolSegException.class, () -> files.stageAll(List.of(
					new OutputFiles.Output("labels3", dir.resolve("l3.nii.gz"), p -> {
						throw broken;
					})), () -> {
					}, () -> {
						throw late;
					})), "an output's failure before meanwhile's");
		}
	}
}
