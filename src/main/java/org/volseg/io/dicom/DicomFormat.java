package org.volseg.io.dicom;

import org.volseg.io.VolumeFormat;
import org.volseg.io.VolumeSource;

/**
 * DICOM files and folders (one series of a folder), tried after NIfTI. Registered as a service
 * ({@code META-INF/services/org.volseg.io.VolumeFormat}); the one place that chooses the default
 * {@link DicomSource}, VolSeg's own parser ({@link OwnDicomSource}).
 */
public final class DicomFormat implements VolumeFormat {

	private static final DicomSource PARSER = new OwnDicomSource();

	/** The default DICOM parser (VolSeg's own; stateless, thread-safe). */
	public static DicomSource parser() {
		return PARSER;
	}

	@Override
	public int order() {
		return 20;
	}

	/** A {@link DicomVolumeSource} with {@link #parser() the default parser}. */
	@Override
	public VolumeSource source(String dicomSeries) {
		return new DicomVolumeSource(PARSER, dicomSeries);
	}
}
