package org.volseg.train.eval;

/**
 * How one label of a prediction compares with the same label of a reference.
 *
 * @param label the label value (an integer above 0 for foreground classes)
 * @param referenceVoxels voxels holding {@code label} in the reference
 * @param predictionVoxels voxels holding {@code label} in the prediction
 * @param dice {@code 2 |R ∩ P| / (|R| + |P|)}; NaN when the label is absent from both
 * @param hd95Mm symmetric percentile Hausdorff distance in mm (see {@link SurfaceDistances});
 *        NaN when the label is absent from both, +Infinity when it is absent from exactly one
 * @param volumeReferenceMl the label's volume in the reference, mL
 * @param volumePredictionMl the label's volume in the prediction, mL
 */
public record ClassMetrics(int label, long referenceVoxels, long predictionVoxels, double dice, double hd95Mm,
		double volumeReferenceMl, double volumePredictionMl) {

	/** Prediction minus reference volume, mL. */
	public double volumeDifferenceMl() {
		return volumePredictionMl - volumeReferenceMl;
	}

	/** {@link #volumeDifferenceMl()} divided by the reference volume; NaN if the reference lacks the label. */
	public double volumeDifferenceRelative() {
		return referenceVoxels == 0 ? Double.NaN : volumeDifferenceMl() / volumeReferenceMl;
	}

	/** Where the label occurs: {@code both}, {@code reference_only}, {@code prediction_only} or {@code neither}. */
	public String presence() {
		if (referenceVoxels > 0)
			return predictionVoxels > 0 ? "both" : "reference_only";
		return predictionVoxels > 0 ? "prediction_only" : "neither";
	}
}
