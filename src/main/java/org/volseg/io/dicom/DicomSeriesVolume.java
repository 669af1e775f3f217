package org.volseg.io.dicom;

import java.util.List;

import org.volseg.volume.Volume;

/**
 * A series read into a volume: float voxels (x = column, y = row, z = slice[, channel for colour]),
 * rescaled per slice (CT in Hounsfield units), MONOCHROME1 inverted, placed in LPS; with the
 * series it came from and the warnings raised while reading it. Immutable (the voxels are not).
 */
public final class DicomSeriesVolume {

	private final Volume volume;
	private final DicomSeries series;
	private final List<String> warnings;

	DicomSeriesVolume(Volume volume, DicomSeries series, List<String> warnings) {
		this.volume = volume;
		this.series = series;
		this.warnings = List.copyOf(warnings);
	}

	public Volume volume() {
		return volume;
	}

	public DicomSeries series() {
		return series;
	}

	/** The series' assembly warnings plus those raised while decoding. */
	public List<String> warnings() {
		return warnings;
	}
}
