package org.volseg.model;

import java.util.Locale;

/**
 * Over which voxels per-sample intensity statistics ({@code zero_mean_unit_variance},
 * {@code scale_range}) are computed. MRI models trained with nnU-Net's "nonzero" normalisation use
 * {@link #FOREGROUND}.
 */
public enum NormalizationRegion {
	/** Every voxel of the volume. */
	VOLUME,
	/** Only voxels whose value is not 0 (the foreground of a skull-stripped or cropped MRI). */
	FOREGROUND;

	public String yamlName() {
		return name().toLowerCase(Locale.ROOT);
	}
}
