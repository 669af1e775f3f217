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
					new OutputFiles.Output("labels", dir.resolve("l.nii.gz"), p -> {
						try {
							Thread.sleep(300);
						} catch (InterruptedException ie) {
							Thread.currentThread().interrupt();
						}
						write(p, "labels");
						slowEnded.set(System.nanoTime());
					}), new OutputFiles.Output("montage", dir.resolve("m.png"), p -> {
						throw broken;
					})), () -> {
					}));
			thrown = System.nanoTime();
			assertSame(broken, e);
			assertTrue(slowEnded.get() != 0 && slowEnded.get() <= thrown, "thrown before the other writer ended");
		}
		assertEquals(List.of(), files());
	}
}
