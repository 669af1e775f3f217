package org.volseg.model;

import java.util.Locale;

/** How overlapping sliding-window outputs are weighted (MONAI {@code sliding_window_inference} {@code mode}). */
public enum BlendMode {
	/** Equal weights. */
	CONSTANT,
	/** Gaussian importance map with sigma = {@code sigma_scale * patch size}. */
	GAUSSIAN;

	public String yamlName() {
		return name().toLowerCase(Locale.ROOT);
	}
}
