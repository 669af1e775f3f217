package org.volseg.pipeline;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import org.volseg.VolSegException;

/**
 * A model loading on its own thread ({@code volseg-model-load}) while the caller does something else,
 * such as reading and preprocessing the scan ({@link Segmenter#prepare}): on two cores the model load
 * (TensorFlow's library, the SavedModel) and the first read of a scan in a fresh JVM each leave a core
 * mostly idle, so together they take little more wall time than the longer of the two.
 *
 * <p>{@link #await()} hands the loaded {@link Segmenter} out (it stays owned by this object);
 * {@link #close()} always waits for the load to end, whatever happened meanwhile, and closes the
 * segmenter if one was loaded: after {@code close} no thread of this class is running and no model is
 * left open. Failures of the load are rethrown by {@link #await()} as they were thrown (a
 * {@link VolSegException} stays one). One instance per load; {@code await} and {@code close} are for the
 * thread that started it.</p>
 */
public final class ModelLoading implements AutoCloseable {

	private final CompletableFuture<Segmenter> future = new CompletableFuture<>();
	private final Thread thread;
	private volatile double seconds = Double.NaN;

	private ModelLoading(Supplier<Segmenter> load) {
		Objects.requireNonNull(load, "load");
		thread = new Thread(() -> {
			long t0 = System.nanoTime();
			try {
				Segmenter s = load.get();
				seconds = (System.nanoTime() - t0) * 1e-9;
				future.complete(Objects.requireNonNull(s, "the loader returned no segmenter"));
			} catch (Throwable e) {
				seconds = (System.nanoTime() - t0) * 1e-9;
				future.completeExceptionally(e);
			}
		}, "volseg-model-load");
		thread.setDaemon(true);
	}

	/**
	 * Starts loading on a new thread and returns at once.
	 *
	 * @param load loads the model (for example {@code () -> Segmenter.load(path, options)}); runs on the new thread
	 */
	public static ModelLoading start(Supplier<Segmenter> load) {
		ModelLoading loading = new ModelLoading(load);
		loading.thread.start();
		return loading;
	}

	/** True once the load has ended with an error (never blocks). */
	public boolean failed() {
		return future.isCompletedExceptionally();
	}

	/**
	 * Waits for the load and returns the segmenter (closed by {@link #close()}, not by the caller).
	 *
	 * @throws RuntimeException or Error: what the load threw, unchanged
	 */
	public Segmenter await() {
		try {
			return uninterruptibly();
		} catch (ExecutionException e) {
			Throwable cause = e.getCause();
			if (cause instanceof RuntimeException r)
				throw r;
			if (cause instanceof Error err)
				throw err;
			throw new VolSegException("loading the model failed: " + cause, cause);
		}
	}

	/** Wall-clock seconds the load took (on its thread); NaN while it runs. */
	public double seconds() {
		return seconds;
	}

	/** Waits for the load to end (a model load cannot be interrupted half-way) and closes what it loaded. */
	@Override
	public void close() {
		try {
			uninterruptibly().close();
		} catch (ExecutionException e) {
			// the load failed: nothing to close; await() reported the failure
		}
	}

	/** Waits for the loading thread to end (the future is complete then) and returns its result. */
	private Segmenter uninterruptibly() throws ExecutionException {
		boolean interrupted = false;
		try {
			while (thread.isAlive())
				try {
					thread.join();
				} catch (InterruptedException e) {
					interrupted = true;
				}
			return future.getNow(null);
		} catch (java.util.concurrent.CompletionException e) {
			throw new ExecutionException(e.getCause());
		} finally {
			if (interrupted)
				Thread.currentThread().interrupt();
		}
	}
}
