package org.volseg.pipeline;

import org.volseg.runtime.ForwardingPatchPredictor;
import org.volseg.runtime.PatchPredictor;

/**
 * A {@link PatchPredictor} that times the calls it forwards: the first one apart from the others.
 * TensorFlow optimises the graph and creates its kernels on a session's first run, so the first batch
 * of a freshly loaded model costs more than the steady batches after it (docs/benchmarks.md, "Model
 * start-up"); the summary of {@code volseg segment} reports the two separately.
 *
 * <p>Not thread-safe, like the predictor it wraps: one call at a time, and the times are read after
 * the calls (the sliding window calls the predictor on the thread that runs it). Does not close the
 * wrapped predictor.</p>
 */
final class TimedPredictor extends ForwardingPatchPredictor {

	private long firstNanos = -1;
	private long restNanos;
	private int calls;

	TimedPredictor(PatchPredictor predictor) {
		super(predictor);
	}

	@Override
	public float[] predict(float[] patches, int batch, int[] patchSize, float[] reuse) {
		long t0 = System.nanoTime();
		try {
			return predictor.predict(patches, batch, patchSize, reuse);
		} finally {
			record(System.nanoTime() - t0);
		}
	}

	private void record(long nanos) {
		if (calls++ == 0)
			firstNanos = nanos;
		else
			restNanos += nanos;
	}

	/** Calls made so far. */
	int calls() {
		return calls;
	}

	/** Seconds of the first call; NaN before any call. */
	double firstSeconds() {
		return firstNanos < 0 ? Double.NaN : firstNanos * 1e-9;
	}

	/** Mean seconds of the calls after the first; NaN with fewer than two calls. */
	double meanSecondsAfterFirst() {
		return calls < 2 ? Double.NaN : restNanos * 1e-9 / (calls - 1);
	}
}
