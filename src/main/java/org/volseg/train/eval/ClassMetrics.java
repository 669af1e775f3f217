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
 * @param voxelMl the volume of one voxel, mL (the affine's determinant in mm^3 / 1000)
 */
public record ClassMetrics(int label, long referenceVoxels, long predictionVoxels, double dice, double hd95Mm,
		double voxelMl) {

	/** The label's volume in the reference, mL. */
	public double volumeReferenceMl() {
		return referenceVoxels * voxelMl;
	}

	/** The label's volume in the prediction, mL. */
	public double volumePredictionMl() {
		return predictionVoxels * voxelMl;
	}

	/** Prediction minus reference volume, mL (from the voxel counts, so equal counts give exactly 0). */
	public double volumeDifferenceMl() {
		return (predictionVoxels - referenceVoxels) * voxelMl;
	}

	/** {@link #volumeDifferenceMl()} divided by the reference volume; NaN if the reference lacks the label. */
	public double volumeDifferenceRelative() {
		return referenceVoxels == 0 ? Double.NaN : (double) (predictionVoxels - referenceVoxels) / referenceVoxels;
	}

	/** Where the label occurs: {@code both}, {@code reference_only}, {@code prediction_only} or {@code neither}. */
	public String presence() {
		if (referenceVoxels > 0)
			return predictionVoxels > 0 ? "both" : "reference_only";
		return predictionVoxels > 0 ? "prediction_only" : "neither";
	}
}
