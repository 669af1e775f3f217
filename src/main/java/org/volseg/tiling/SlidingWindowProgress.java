package org.volseg.tiling;

/**
 * How far a sliding-window inference has come.
 *
 * @param windowsDone windows predicted and stitched so far
 * @param windowsTotal windows in the plan
 * @param elapsedNanos time since the inference started
 */
public record SlidingWindowProgress(long windowsDone, long windowsTotal, long elapsedNanos) {

	/** Fraction done, 0 to 1. */
	public double fraction() {
		return windowsTotal == 0 ? 1 : (double) windowsDone / windowsTotal;
	}

	/** Estimated seconds left, extrapolating the mean time per window so far; NaN before the first window. */
	public double etaSeconds() {
		if (windowsDone == 0)
			return Double.NaN;
		return elapsedNanos * 1e-9 / windowsDone * (windowsTotal - windowsDone);
	}
}
