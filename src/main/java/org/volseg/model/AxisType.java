package org.volseg.model;

import java.util.Locale;

/** Kinds of tensor axes VolSeg supports (bioimage.io 0.5 axis {@code type}). */
public enum AxisType {
	/** Patches of one batch. */
	BATCH,
	/** Channels (input modalities, output classes). */
	CHANNEL,
	/** A spatial axis, {@code x}, {@code y} or {@code z}. */
	SPACE;

	/** The name used in {@code rdf.yaml}. */
	public String yamlName() {
		return name().toLowerCase(Locale.ROOT);
	}
}
