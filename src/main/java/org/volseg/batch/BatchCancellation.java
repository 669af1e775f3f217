package org.volseg.batch;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stops a running batch from another thread (a Cancel button, a shutdown hook). Two strengths:
 * {@link #stopAfterCurrent()} lets the file being segmented finish (its outputs and summary row are
 * written) and starts no other; {@link #abort()} also cancels the current file at the next
 * batch of windows, leaving no output for it (and no row). Either way the summary holds every row
 * finished. Thread-safe.
 */
public final class BatchCancellation {

	private final AtomicBoolean stop = new AtomicBoolean();
	private final AtomicBoolean abort = new AtomicBoolean();

	/** Finish the current file, then stop. */
	public void stopAfterCurrent() {
		stop.set(true);
	}

	/** Stop now: the current file is cancelled (nothing is written for it). */
	public void abort() {
		abort.set(true);
		stop.set(true);
	}

	/** True once either kind of stop was asked for. */
	public boolean stopRequested() {
		return stop.get();
	}

	/** True once {@link #abort()} was called. */
	public boolean abortRequested() {
		return abort.get();
	}
}
