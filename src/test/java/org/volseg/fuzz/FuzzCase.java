package org.volseg.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.volseg.VolSegException;
import org.volseg.util.AtomicFiles;

/**
 * Runs one fuzz case against a {@link ParserTarget} and checks the property: the parser returns or
 * throws a {@link VolSegException} within the time bound. Each case runs on one worker thread in a
 * fresh temporary folder (deleted afterwards). A timed-out case leaves its thread running (Java cannot
 * stop it); the runner is then unusable and the caller stops. Not thread-safe.
 */
final class FuzzCase implements AutoCloseable {

	/** What went wrong with a case, or {@code null} from {@link #run} when the property held. */
	record Failure(String what, Throwable cause) {
	}

	private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
		Thread t = new Thread(r, "volseg-fuzz-case");
		t.setDaemon(true);
		return t;
	});
	private final Path scratch;
	private final long timeoutMillis;

	FuzzCase(Path scratch, long timeoutMillis) {
		this.scratch = scratch;
		this.timeoutMillis = timeoutMillis;
	}

	Failure run(ParserTarget target, byte[] data) throws IOException, InterruptedException {
		Path dir = Files.createTempDirectory(scratch, "case");
		try {
			Future<?> f = worker.submit(() -> {
				target.parse(data, dir);
				return null;
			});
			try {
				f.get(timeoutMillis, TimeUnit.MILLISECONDS);
				return null;
			} catch (TimeoutException e) {
				f.cancel(true);
				return new Failure("no answer within " + timeoutMillis + " ms", null);
			} catch (ExecutionException e) {
				Throwable c = e.getCause();
				if (c instanceof VolSegException)
					return null;
				return new Failure(c.toString(), c);
			}
		} finally {
			try {
				AtomicFiles.deleteRecursively(dir);
			} catch (IOException ignored) {
				dir.toFile().deleteOnExit();
			}
		}
	}

	@Override
	public void close() {
		worker.shutdownNow();
	}
}
