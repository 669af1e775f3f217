package org.volseg.io.dicom;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.volseg.VolSegException;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Writes a 3D volume as a minimal DICOM CT series: one explicit VR little endian file per slice,
 * signed 16-bit stored values with a rescale slope and intercept, and the geometry in
 * ImagePositionPatient (per slice), ImageOrientationPatient and PixelSpacing. For tests,
 * benchmarks and exporting sample phantoms; not a full CT IOD (no patient/study module beyond
 * the UIDs).
 *
 * <p>Stored value = round((value - intercept) / slope), clamped to the int16 range. Files are
 * named {@code IM00001} ... in slice order, each written to a temporary file and moved into
 * place; existing files are never overwritten. Not thread-safe.</p>
 */
public final class DicomSeriesWriter {

	private String modality = "CT";
	private String description = "VolSeg export";
	private int seriesNumber = 1;
	private double slope = 1, intercept = -1024;
	private String seriesUid = DicomElementWriter.newUid();
	private String studyUid = DicomElementWriter.newUid();

	/** Modality (default CT). */
	public DicomSeriesWriter modality(String m) {
		this.modality = m;
		return this;
	}

	/** SeriesDescription (default "VolSeg export"). */
	public DicomSeriesWriter description(String d) {
		this.description = d;
		return this;
	}

	/** SeriesNumber (default 1). */
	public DicomSeriesWriter seriesNumber(int n) {
		this.seriesNumber = n;
		return this;
	}

	/** SeriesInstanceUID (default: a fresh 2.25 UID). */
	public DicomSeriesWriter seriesUid(String uid) {
		this.seriesUid = uid;
		return this;
	}

	/** RescaleSlope and RescaleIntercept (default 1 and -1024, so HU -1024..31743 fit). */
	public DicomSeriesWriter rescale(double newSlope, double newIntercept) {
		if (!(newSlope != 0) || !Double.isFinite(newSlope) || !Double.isFinite(newIntercept))
			throw new IllegalArgumentException("rescale slope must be finite and non-zero, got " + newSlope);
		this.slope = newSlope;
		this.intercept = newIntercept;
		return this;
	}

	/**
	 * Writes every z slice of a 3D volume into {@code folder} (created if needed).
	 *
	 * @return the files written, in slice order
	 * @throws VolSegException if a file exists already or cannot be written
	 */
	public List<Path> write(Volume volume, Path folder) {
		if (volume.voxels().numDimensions() != 3)
			throw new IllegalArgumentException("DicomSeriesWriter writes 3D volumes, got " + volume);
		long[] d = volume.dimensions();
		if (d[0] > 65535 || d[1] > 65535)
			throw new IllegalArgumentException("DICOM images have at most 65535 rows and columns, got " + d[0] + " x " + d[1]);
		Geometry g = volume.geometry();
		double[][] a = g.affineLps();
		double[] spacing = g.spacing();
		double[] iop = { a[0][0] / spacing[0], a[1][0] / spacing[0], a[2][0] / spacing[0], a[0][1] / spacing[1],
				a[1][1] / spacing[1], a[2][1] / spacing[1] };
		try {
			Files.createDirectories(folder);
		} catch (IOException e) {
			throw new VolSegException(folder + ": cannot create the output folder: " + e.getMessage(), e);
		}
		int cols = (int) d[0], rows = (int) d[1];
		List<Path> files = new ArrayList<>();
		byte[] pixels = new byte[cols * rows * 2];
		for (int z = 0; z < d[2]; z++) {
			Cursor<FloatType> c = Views.flatIterable(Views.hyperSlice(volume.voxels(), 2, z)).cursor();
			int p = 0;
			while (c.hasNext()) {
				long s = Math.round((c.next().get() - intercept) / slope);
				s = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, s));
				pixels[p++] = (byte) s;
				pixels[p++] = (byte) (s >> 8);
			}
			double[] ipp = new double[3];
			g.voxelToWorld(new double[] { 0, 0, z }, ipp);
			Path file = folder.resolve(String.format("IM%05d", z + 1));
			writeAtomically(file, slice(z + 1, rows, cols, ipp, iop, spacing, pixels));
			files.add(file);
		}
		return files;
	}

	private byte[] slice(int instance, int rows, int cols, double[] ipp, double[] iop, double[] spacing, byte[] pixels) {
		String sop = DicomElementWriter.newUid();
		DicomElementWriter w = new DicomElementWriter()
				.text(Tags.IMAGE_TYPE, "CS", "ORIGINAL\\PRIMARY\\AXIAL")
				.text(Tags.SOP_CLASS_UID, "UI", DicomElementWriter.CT_IMAGE_STORAGE)
				.text(Tags.SOP_INSTANCE_UID, "UI", sop)
				.text(Tags.MODALITY, "CS", modality)
				.text(Tags.SERIES_DESCRIPTION, "LO", description)
				.decimals(Tags.SLICE_THICKNESS, spacing[2])
				.text(Tags.STUDY_INSTANCE_UID, "UI", studyUid)
				.text(Tags.SERIES_INSTANCE_UID, "UI", seriesUid)
				.text(Tags.SERIES_NUMBER, "IS", Integer.toString(seriesNumber))
				.text(Tags.INSTANCE_NUMBER, "IS", Integer.toString(instance))
				.decimals(Tags.IMAGE_POSITION_PATIENT, ipp)
				.decimals(Tags.IMAGE_ORIENTATION_PATIENT, iop)
				.us(Tags.SAMPLES_PER_PIXEL, 1)
				.text(Tags.PHOTOMETRIC_INTERPRETATION, "CS", "MONOCHROME2")
				.us(Tags.ROWS, rows)
				.us(Tags.COLUMNS, cols)
				.decimals(Tags.PIXEL_SPACING, spacing[1], spacing[0])
				.us(Tags.BITS_ALLOCATED, 16)
				.us(Tags.BITS_STORED, 16)
				.us(Tags.HIGH_BIT, 15)
				.us(Tags.PIXEL_REPRESENTATION, 1)
				.decimals(Tags.RESCALE_INTERCEPT, intercept)
				.decimals(Tags.RESCALE_SLOPE, slope)
				.raw(Tags.PIXEL_DATA, "OW", pixels);
		return DicomElementWriter.part10(DicomElementWriter.CT_IMAGE_STORAGE, sop,
				TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), w.toBytes());
	}

	static void writeAtomically(Path file, byte[] bytes) {
		if (Files.exists(file))
			throw new VolSegException(file + ": exists already; DicomSeriesWriter does not overwrite files,"
					+ " write into an empty folder");
		Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
		try {
			Files.write(tmp, bytes);
			try {
				Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
			} catch (AtomicMoveNotSupportedException e) {
				Files.move(tmp, file);
			}
		} catch (FileAlreadyExistsException e) {
			throw new VolSegException(file + ": exists already; DicomSeriesWriter does not overwrite files", e);
		} catch (IOException e) {
			try {
				Files.deleteIfExists(tmp);
			} catch (IOException ignored) {
				// the temporary file is hidden and harmless
			}
			throw new VolSegException(file + ": cannot write: " + e.getMessage(), e);
		}
	}
}
