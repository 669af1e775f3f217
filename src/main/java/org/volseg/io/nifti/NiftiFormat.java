package org.volseg.io.nifti;

import org.volseg.io.VolumeFormat;
import org.volseg.io.VolumeSource;

/** NIfTI-1 and NIfTI-2 files ({@code .nii}, {@code .nii.gz}), tried first. Registered as a service. */
public final class NiftiFormat implements VolumeFormat {

	@Override
	public int order() {
		return 10;
	}

	@Override
	public VolumeSource source(String dicomSeries) {
		return new NiftiSource();
	}
}
