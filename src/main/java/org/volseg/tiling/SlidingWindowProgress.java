package org.volseg.tiling;

/**
 * How far a sliding-window inference has come.
 *
 * <p>The first batch is slower than the others (the engine prepares its kernels on its first
 * call), so the estimate of the time left extrapolates the windows done after it: until a second
 * batch is done there is no estimate.</p>
 *
 * @param windowsDone windows predicted and stitched so far
 * @param windowsTotal windows in the plan
 * @param elapsedNanos time since the inference started
 * @param firstBatchWindows windows in the first batch (0: extrapolate from the start)
 * @param firstBatchNanos time from the start until the first batch was stitched
 */
public record SlidingWindowProgress(long windowsDone, long windowsTotal, long elapsedNanos, long firstBatchWindows,
		long firstBatchNanos) {

	/** Progress whose estimate extrapolates the mean time per window since the start. */
	public SlidingWindowProgress(long windowsDone, long windowsTotal, long elapsedNanos) {
		this(windowsDone, windowsTotal, elapsedNanos, 0, 0);
	}

	/** Fraction done, 0 to 1. */
	public double fraction() {
		return windowsTotal == 0 ? 1 : (double) windowsDone / windowsTotal;
	}

	/**
	 * Estimated seconds left: the mean time per window after the first batch times the windows left;
	 * 0 when all are done; NaN while no window after the first batch is done.
	 */
	public double etaSeconds() {
		if (windowsDone >= windowsTotal)
			return 0;
		long steadyWindows = windowsDone - firstBatchWindows;
		if (steadyWindows <= 0)
			return Double.NaN;
		return (elapsedNanos - firstBatchNanos) * 1e-9 / steadyWindows * (windowsTotal - windowsDone);
	}

	/** Windows per second after the first batch (NaN until there is a second batch). */
	public double windowsPerSecond() {
		long steadyWindows = windowsDone - firstBatchWindows;
		double seconds = (elapsedNanos - firstBatchNanos) * 1e-9;
		return steadyWindows <= 0 || seconds <= 0 ? Double.NaN : steadyWindows / seconds;
	}
}
