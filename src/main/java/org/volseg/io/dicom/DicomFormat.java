package org.volseg.io.dicom;

import org.volseg.io.VolumeFormat;
import org.volseg.io.VolumeSource;

/** DICOM files and folders (one series of a folder), tried after NIfTI. Registered as a service. */
public final class DicomFormat implements VolumeFormat {

	@Override
	public int order() {
		return 20;
	}

	@Override
	public VolumeSource source(String dicomSeries) {
		return DicomVolumeSource.of(dicomSeries);
	}
}
