package org.volseg.tiling;

import org.volseg.runtime.PatchPredictor;

/**
 * What a sliding-window inference did.
 *
 * @param windows windows predicted
 * @param batches predictor calls
 * @param predictorNanos time spent inside {@link PatchPredictor#predict}
 * @param totalNanos time of the whole inference, from planning to the last slab handed on
 */
public record InferenceStats(int windows, int batches, long predictorNanos, long totalNanos) {

	/** Whole time over predictor time: 1 means the pipeline around the predictor costs nothing. */
	public double overhead() {
		return predictorNanos == 0 ? Double.NaN : (double) totalNanos / predictorNanos;
	}
}
