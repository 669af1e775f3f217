package org.volseg.batch;

import java.util.Locale;

/** What happened to one input (one DICOM series) of a batch, as written in {@code summary.csv}. */
public enum BatchStatus {
	/** Segmented in this run; its outputs were written. */
	DONE,
	/** Not segmented: its outputs were complete from an earlier run, or it is not a volume to segment (a DICOM localizer). */
	SKIPPED,
	/** Could not be segmented; the row's error says why. Nothing was written for it. */
	FAILED;

	/** The lower-case word in {@code summary.csv}. */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The status of a {@link #id()}, or null. */
	static BatchStatus ofId(String id) {
		for (BatchStatus s : values())
			if (s.id().equals(id))
				return s;
		return null;
	}
}
