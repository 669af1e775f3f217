package org.volseg.io.dicom;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.volseg.VolumeFormatException;

/**
 * Turns a file's header into the image planes it holds: one for a classic single-frame image;
 * one per frame for a multi-frame image, placed by the per-frame functional groups (enhanced CT,
 * MR, PET), by GridFrameOffsetVector (RT dose) or by the slice spacing along the normal; one per
 * tile for a Siemens MOSAIC ({@link SiemensMosaic}).
 * Stateless and thread-safe.
 */
final class SliceExtractor {

	private static final double MIN_UNIT = 0.5;

	private SliceExtractor() {
	}

	/**
	 * @return the planes; empty for a DICOM file without an image (a report, a structure set)
	 * @throws VolumeFormatException if the image attributes are inconsistent
	 */
	static List<DicomSlice> slices(DicomFile header, Consumer<String> warnings) {
		DicomDataset ds = header.dataset();
		Path file = header.path();
		if (!ds.contains(Tags.ROWS) || !ds.contains(Tags.COLUMNS))
			return List.of();
		PixelFormat f = PixelFormat.of(file, ds);
		String seriesUid = ds.string(Tags.SERIES_INSTANCE_UID, "(no SeriesInstanceUID: " + (file.getParent() == null ? file : file.getParent()) + ")");
		String imageType = ds.string(Tags.IMAGE_TYPE, "").toUpperCase(Locale.ROOT);
		boolean localizer = imageType.contains("LOCALIZER") || imageType.contains("SCOUT");
		int instance = ds.integer(Tags.INSTANCE_NUMBER, 0);
		double[] ipp = vector(ds.doubles(Tags.IMAGE_POSITION_PATIENT), 3);
		double[] iop = orientation(file, ds.doubles(Tags.IMAGE_ORIENTATION_PATIENT), warnings);
		double[] spacing = spacing(ds.doubles(Tags.PIXEL_SPACING));
		double slope = ds.decimal(Tags.RESCALE_SLOPE, 1);
		double intercept = ds.decimal(Tags.RESCALE_INTERCEPT, 0);
		Double doseScaling = ds.decimal(Tags.DOSE_GRID_SCALING);
		if (doseScaling != null && !ds.contains(Tags.RESCALE_SLOPE))
			slope = doseScaling;
		List<DicomSlice> out = new ArrayList<>();
		List<DicomDataset> perFrame = ds.sequence(Tags.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE);
		DicomDataset shared = ds.item(Tags.SHARED_FUNCTIONAL_GROUPS_SEQUENCE);
		if (!perFrame.isEmpty() || shared != null) {
			if (!perFrame.isEmpty() && perFrame.size() != f.frames())
				warnings.accept(file + ": the per-frame functional groups hold " + perFrame.size() + " items for "
						+ f.frames() + " frames; frames without an item use the shared groups");
			for (int k = 0; k < f.frames(); k++) {
				DicomDataset own = k < perFrame.size() ? perFrame.get(k) : null;
				double[] p = vector(group(own, shared, Tags.PLANE_POSITION_SEQUENCE, Tags.IMAGE_POSITION_PATIENT), 3);
				double[] o = orientation(file, group(own, shared, Tags.PLANE_ORIENTATION_SEQUENCE,
						Tags.IMAGE_ORIENTATION_PATIENT), warnings);
				double[] s = spacing(group(own, shared, Tags.PIXEL_MEASURES_SEQUENCE, Tags.PIXEL_SPACING));
				double[] sl = group(own, shared, Tags.PIXEL_VALUE_TRANSFORMATION_SEQUENCE, Tags.RESCALE_SLOPE);
				double[] ic = group(own, shared, Tags.PIXEL_VALUE_TRANSFORMATION_SEQUENCE, Tags.RESCALE_INTERCEPT);
				out.add(new DicomSlice(file, k, header, seriesUid, f.rows(), f.columns(), f.samples(),
						p != null ? p : ipp, o != null ? o : iop, s != null ? s : spacing,
						sl != null ? sl[0] : slope, ic != null ? ic[0] : intercept, instance, localizer));
			}
			return out;
		}
		SiemensMosaic mosaic = SiemensMosaic.of(file, ds, f, warnings);
		if (mosaic != null) {
			double thickness = ds.decimal(Tags.SPACING_BETWEEN_SLICES, ds.decimal(Tags.SLICE_THICKNESS, 0));
			if (!(thickness > 0)) {
				if (ipp != null && iop != null)
					warnings.accept(file + ": a MOSAIC without SpacingBetweenSlices or SliceThickness; assuming 1 mm");
				thickness = 1;
			}
			double[][] tiles = ipp != null && iop != null
					? mosaic.positions(ipp, iop, spacing != null ? spacing : new double[] { 1, 1 }, f.rows(), f.columns(),
							thickness)
					: null;
			for (int k = 0; k < mosaic.count; k++)
				out.add(new DicomSlice(file, k, header, seriesUid, mosaic.tileRows, mosaic.tileColumns, f.samples(),
						tiles == null ? null : tiles[k], iop, spacing, slope, intercept, instance, localizer, mosaic));
			return out;
		}
		double[] offsets = ds.doubles(Tags.GRID_FRAME_OFFSET_VECTOR);
		if (f.frames() > 1 && ipp != null && iop != null) {
			double[] n = new DicomSlice(file, 0, header, seriesUid, 1, 1, 1, ipp, iop, spacing, 1, 0, 0, false).normal();
			double step = ds.decimal(Tags.SPACING_BETWEEN_SLICES, ds.decimal(Tags.SLICE_THICKNESS, 0));
			boolean grid = offsets != null && offsets.length == f.frames();
			if (!grid && step <= 0) {
				warnings.accept(file + ": a multi-frame image without per-frame positions, GridFrameOffsetVector,"
						+ " SpacingBetweenSlices or SliceThickness; assuming 1 mm between frames");
				step = 1;
			}
			for (int k = 0; k < f.frames(); k++) {
				double d = grid ? offsets[k] : k * step;
				double[] p = { ipp[0] + d * n[0], ipp[1] + d * n[1], ipp[2] + d * n[2] };
				out.add(new DicomSlice(file, k, header, seriesUid, f.rows(), f.columns(), f.samples(), p, iop, spacing,
						slope, intercept, instance, localizer));
			}
			return out;
		}
		for (int k = 0; k < f.frames(); k++)
			out.add(new DicomSlice(file, k, header, seriesUid, f.rows(), f.columns(), f.samples(), ipp, iop, spacing,
					slope, intercept, instance, localizer));
		return out;
	}

	/** An attribute inside a functional group macro: the frame's own item first, then the shared one. */
	private static double[] group(DicomDataset own, DicomDataset shared, int sequenceTag, int tag) {
		for (DicomDataset g : new DicomDataset[] { own, shared }) {
			if (g == null)
				continue;
			DicomDataset item = g.item(sequenceTag);
			if (item != null && item.doubles(tag) != null)
				return item.doubles(tag);
		}
		return null;
	}

	private static double[] vector(double[] v, int n) {
		return v != null && v.length >= n ? java.util.Arrays.copyOf(v, n) : null;
	}

	private static double[] spacing(double[] v) {
		if (v == null || v.length < 2 || !(v[0] > 0) || !(v[1] > 0))
			return null;
		return new double[] { v[0], v[1] };
	}

	/** ImageOrientationPatient normalised; null (with a warning) if absent or degenerate. */
	private static double[] orientation(Path file, double[] v, Consumer<String> warnings) {
		if (v == null || v.length < 6)
			return null;
		double nr = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
		double nc = Math.sqrt(v[3] * v[3] + v[4] * v[4] + v[5] * v[5]);
		double dot = (v[0] * v[3] + v[1] * v[4] + v[2] * v[5]) / (nr * nc);
		if (nr < MIN_UNIT || nc < MIN_UNIT || Math.abs(dot) > 1e-2) {
			warnings.accept(file + ": ImageOrientationPatient " + java.util.Arrays.toString(v)
					+ " is not two orthogonal unit vectors; ignoring it");
			return null;
		}
		return new double[] { v[0] / nr, v[1] / nr, v[2] / nr, v[3] / nc, v[4] / nc, v[5] / nc };
	}
}
