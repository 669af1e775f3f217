package org.volseg.io.dicom;

import java.nio.file.Path;

/**
 * One image plane of a series: a single-frame file, or one frame of a multi-frame file, with the
 * attributes that place it (position, orientation, pixel spacing; null when the file has none) and
 * scale it (rescale slope and intercept). Immutable; arrays are not copied, do not modify them.
 */
public final class DicomSlice {

	final Path file;
	final int frame;
	final DicomFile header;
	final String seriesUid;
	final int rows, columns, samples;
	/** ImagePositionPatient (LPS mm), or null. */
	final double[] position;
	/** ImageOrientationPatient: row direction then column direction (unit vectors, LPS), or null. */
	final double[] orientation;
	/** PixelSpacing: (between rows, between columns) in mm, or null. */
	final double[] pixelSpacing;
	final double slope, intercept;
	final int instanceNumber;
	final boolean localizer;
	/** The Siemens MOSAIC this plane is a tile of ({@link #frame} is then the tile index), or null. */
	final SiemensMosaic mosaic;

	DicomSlice(Path file, int frame, DicomFile header, String seriesUid, int rows, int columns, int samples,
			double[] position, double[] orientation, double[] pixelSpacing, double slope, double intercept,
			int instanceNumber, boolean localizer) {
		this(file, frame, header, seriesUid, rows, columns, samples, position, orientation, pixelSpacing, slope,
				intercept, instanceNumber, localizer, null);
	}

	DicomSlice(Path file, int frame, DicomFile header, String seriesUid, int rows, int columns, int samples,
			double[] position, double[] orientation, double[] pixelSpacing, double slope, double intercept,
			int instanceNumber, boolean localizer, SiemensMosaic mosaic) {
		this.mosaic = mosaic;
		this.file = file;
		this.frame = frame;
		this.header = header;
		this.seriesUid = seriesUid;
		this.rows = rows;
		this.columns = columns;
		this.samples = samples;
		this.position = position;
		this.orientation = orientation;
		this.pixelSpacing = pixelSpacing;
		this.slope = slope;
		this.intercept = intercept;
		this.instanceNumber = instanceNumber;
		this.localizer = localizer;
	}

	public Path file() {
		return file;
	}

	/** 0-based frame index within the file (for a tile of a Siemens MOSAIC: the tile index). */
	public int frame() {
		return frame;
	}

	/** ImagePositionPatient in LPS mm (a copy), or null if the file has none. */
	public double[] position() {
		return position == null ? null : position.clone();
	}

	/** The SOPInstanceUID of the instance this plane comes from (kept for references such as a DICOM SEG's), or null. */
	public String sopInstanceUid() {
		return header.dataset().string(Tags.SOP_INSTANCE_UID);
	}

	/** The SOPClassUID of the instance this plane comes from, or null. */
	public String sopClassUid() {
		return header.dataset().string(Tags.SOP_CLASS_UID);
	}

	public double rescaleSlope() {
		return slope;
	}

	public double rescaleIntercept() {
		return intercept;
	}

	boolean hasGeometry() {
		return position != null && orientation != null;
	}

	/** Unit normal of the slice plane: row direction x column direction. */
	double[] normal() {
		double[] r = { orientation[0], orientation[1], orientation[2] };
		double[] c = { orientation[3], orientation[4], orientation[5] };
		return new double[] { r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0] };
	}

	@Override
	public String toString() {
		return file + (frame > 0 ? (mosaic != null ? " tile " : " frame ") + frame : "");
	}
}
