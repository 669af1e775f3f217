package org.volseg.runtime;


/**
 * A network loaded by an {@link EngineRuntime}: a {@link PatchPredictor} (float arrays, channels
 * last) that says where it runs and must be closed to free TensorFlow's memory. Not thread-safe:
 * one {@code predict} at a time.
 */
public interface LoadedNetwork extends PatchPredictor, AutoCloseable {

	/** The device actually used: {@code cpu} or {@code gpu}. */
	String device();

	/** One line for logs: model, device and why, threads, signature and shapes. */
	String summary();

	/** Releases the session and the graph; idempotent. */
	@Override
	void close();
}
