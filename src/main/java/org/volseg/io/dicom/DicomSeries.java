package org.volseg.io.dicom;

import java.util.Collections;
import java.util.List;

import org.volseg.volume.Geometry;
import org.volseg.volume.Orientation;

/**
 * One volume's worth of images found in a folder: a DICOM series, or one part of it when the
 * series mixes orientations or image sizes (localizers are split off this way). Its slices are
 * sorted by their position along the slice normal; its geometry maps (column, row, slice) voxel
 * indices to LPS millimetres. Immutable.
 */
public final class DicomSeries {

	private final String seriesUid;
	private final Integer seriesNumber;
	private final String description;
	private final String modality;
	private final List<DicomSlice> slices;
	private final Geometry geometry;
	private final boolean colour;
	private final boolean localizer;
	private final List<String> warnings;
	private final String problem;
	private final List<SkippedFile> skipped;

	DicomSeries(String seriesUid, Integer seriesNumber, String description, String modality, List<DicomSlice> slices,
			Geometry geometry, boolean colour, boolean localizer, List<String> warnings, String problem) {
		this(seriesUid, seriesNumber, description, modality, slices, geometry, colour, localizer, warnings, problem,
				List.of());
	}

	private DicomSeries(String seriesUid, Integer seriesNumber, String description, String modality, List<DicomSlice> slices,
			Geometry geometry, boolean colour, boolean localizer, List<String> warnings, String problem,
			List<SkippedFile> skipped) {
		this.skipped = List.copyOf(skipped);
		this.seriesUid = seriesUid;
		this.seriesNumber = seriesNumber;
		this.description = description;
		this.modality = modality;
		this.slices = List.copyOf(slices);
		this.geometry = geometry;
		this.colour = colour;
		this.localizer = localizer;
		this.warnings = List.copyOf(warnings);
		this.problem = problem;
	}

	/**
	 * Why this series cannot be read as a correctly placed volume (slices missing, several slices
	 * at one position), or null. Reading such a series fails with this message.
	 */
	public String problem() {
		return problem;
	}

	/**
	 * The DICOM files of the scanned folder that could not be read, with the reason: the same list
	 * for every series of one scan (a skipped file belongs to no series). Empty if none.
	 */
	public List<SkippedFile> skipped() {
		return skipped;
	}

	/** This series with the scan's skipped files and the warnings about its own files (found while reading headers) attached. */
	DicomSeries withScanResults(List<SkippedFile> files, List<String> fileWarnings) {
		List<String> all = new java.util.ArrayList<>(fileWarnings);
		all.addAll(warnings);
		return new DicomSeries(seriesUid, seriesNumber, description, modality, slices, geometry, colour, localizer,
				all, problem, files);
	}

	public String seriesUid() {
		return seriesUid;
	}

	/** SeriesNumber, or null if the files have none. */
	public Integer seriesNumber() {
		return seriesNumber;
	}

	/** SeriesDescription, or "" if absent. */
	public String description() {
		return description;
	}

	/** Modality (CT, MR, ...), or "" if absent. */
	public String modality() {
		return modality;
	}

	/** The slices in volume order (slice index z). */
	public List<DicomSlice> slices() {
		return Collections.unmodifiableList(slices);
	}

	public int sliceCount() {
		return slices.size();
	}

	/**
	 * Volume dimensions (x = columns, y = rows, z = slices); for a series of several Siemens MOSAIC
	 * files a fourth, the time points (one per file): (x, y, tiles per mosaic, files).
	 */
	public long[] dimensions() {
		DicomSlice s = slices.get(0);
		int t = timePoints();
		return t == 1 ? new long[] { s.columns, s.rows, slices.size() }
				: new long[] { s.columns, s.rows, slices.size() / t, t };
	}

	/** Volumes in the series: the number of MOSAIC files for a mosaic series, else 1. */
	public int timePoints() {
		DicomSlice s = slices.get(0);
		return s.mosaic == null ? 1 : Math.max(1, slices.size() / s.mosaic.count);
	}

	/** True if the series is made of Siemens MOSAIC images (each file one volume, unpacked into slices). */
	public boolean mosaic() {
		return slices.get(0).mosaic != null;
	}

	/** Voxel to LPS affine (mm); sheared for a gantry tilt. */
	public Geometry geometry() {
		return geometry;
	}

	/** Voxel spacing (x, y, z) in mm. */
	public double[] spacing() {
		return geometry.spacing();
	}

	/** Orientation code of the voxel axes, e.g. "LPS" (see nibabel's aff2axcodes). */
	public String orientationCode() {
		return Orientation.of(geometry).code();
	}

	/** True for RGB / YBR images (3 samples per pixel); segmentation needs a monochrome series. */
	public boolean colour() {
		return colour;
	}

	/** True if the images say they are localizers or scouts (ImageType). */
	public boolean localizer() {
		return localizer;
	}

	/** Problems found while assembling the series (uneven spacing, gantry tilt, missing geometry, ...). */
	public List<String> warnings() {
		return warnings;
	}

	/**
	 * The stored pixel type of the first slice: "uint8", "int8", "uint16", "int16", "uint32",
	 * "int32" or "bit" (BitsAllocated and PixelRepresentation); voxels are read as rescaled floats.
	 */
	public String storedDataType() {
		DicomDataset ds = slices.get(0).header.dataset();
		int bits = ds.integer(Tags.BITS_ALLOCATED, 16);
		boolean signed = ds.integer(Tags.PIXEL_REPRESENTATION, 0) == 1;
		return bits == 1 ? "bit" : (signed ? "int" : "uint") + bits;
	}

	@Override
	public String toString() {
		return "DicomSeries(" + seriesNumber + " '" + description + "' " + modality + ", " + slices.size() + " slices)";
	}
}
