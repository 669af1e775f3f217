package org.volseg.io.dicom;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.volseg.volume.Geometry;

/**
 * Groups image planes into series (SeriesInstanceUID, then orientation, image size and samples
 * per pixel, which splits off localizers), sorts each by position along the slice normal and
 * derives its voxel-to-LPS geometry, checking the slice spacing. Stateless and thread-safe.
 */
final class SeriesAssembler {

	/** Orientation cosines closer than this belong to one stack. */
	private static final double SAME_ORIENTATION = 1e-2;
	/** Two slices closer than this (mm) along the normal are at the same position. */
	private static final double SAME_POSITION = 1e-3;
	/** A gap this many times the typical spacing means slices are missing. */
	private static final double MISSING_GAP = 1.5;

	private SeriesAssembler() {
	}

	/** Whether two planes hold identical stored values (decodes both); used only for planes at one position. */
	interface PixelComparison {
		boolean identical(DicomSlice a, DicomSlice b);
	}

	static List<DicomSeries> assemble(List<DicomSlice> slices) {
		return assemble(slices, (a, b) -> false);
	}

	/**
	 * @param samePixels decides whether two planes of different files at the same position are exact
	 *        duplicates (then one is dropped with a warning, as dcm2niix does)
	 */
	static List<DicomSeries> assemble(List<DicomSlice> slices, PixelComparison samePixels) {
		Map<String, List<List<DicomSlice>>> bySeries = new LinkedHashMap<>();
		for (DicomSlice s : slices) {
			List<List<DicomSlice>> groups = bySeries.computeIfAbsent(s.seriesUid, k -> new ArrayList<>());
			List<DicomSlice> home = null;
			for (List<DicomSlice> g : groups)
				if (sameStack(g.get(0), s)) {
					home = g;
					break;
				}
			if (home == null) {
				home = new ArrayList<>();
				groups.add(home);
			}
			home.add(s);
		}
		List<DicomSeries> out = new ArrayList<>();
		for (List<List<DicomSlice>> groups : bySeries.values())
			for (List<DicomSlice> g : groups)
				out.add(build(g, samePixels));
		out.sort(Comparator.comparing((DicomSeries s) -> s.seriesNumber() == null ? Integer.MAX_VALUE : s.seriesNumber())
				.thenComparing(s -> -s.sliceCount()));
		return out;
	}

	private static boolean sameStack(DicomSlice a, DicomSlice b) {
		if (a.rows != b.rows || a.columns != b.columns || a.samples != b.samples || a.localizer != b.localizer
				|| (a.mosaic == null) != (b.mosaic == null))
			return false;
		if (a.orientation == null || b.orientation == null)
			return a.orientation == b.orientation;
		for (int i = 0; i < 6; i++)
			if (Math.abs(a.orientation[i] - b.orientation[i]) > SAME_ORIENTATION)
				return false;
		return true;
	}

	private static DicomSeries build(List<DicomSlice> group, PixelComparison samePixels) {
		DicomDataset first = group.get(0).header.dataset();
		List<String> warnings = new ArrayList<>();
		String[] problem = new String[1];
		List<DicomSlice> sorted = group.get(0).mosaic == null && group.stream().allMatch(DicomSlice::hasGeometry)
				? withoutDuplicates(group, samePixels, warnings)
				: new ArrayList<>(group);
		Geometry geometry = group.get(0).mosaic != null ? mosaic(sorted, warnings, problem)
				: group.stream().allMatch(DicomSlice::hasGeometry) ? placed(sorted, warnings, problem)
				: unplaced(sorted, warnings, problem);
		DicomSlice s0 = sorted.get(0);
		boolean colour = s0.samples == 3;
		String description = first.string(Tags.SERIES_DESCRIPTION, "");
		if (colour)
			warnings.add("series " + first.string(Tags.SERIES_NUMBER, "?") + " ('" + description + "') is a colour"
					+ " series: it is read with 3 channels, but segmentation models expect a monochrome CT or MR series");
		boolean localizer = s0.localizer;
		return new DicomSeries(s0.seriesUid, first.integer(Tags.SERIES_NUMBER), description,
				first.string(Tags.MODALITY, ""), sorted, geometry, colour, localizer, warnings, problem[0]);
	}

	/**
	 * The planes without exact duplicates: a plane of another file with the same SOPInstanceUID and
	 * frame, or at the same position with identical stored values, is dropped with a warning naming
	 * both files (dcm2niix does the same); the file that sorts first by name is kept.
	 */
	private static List<DicomSlice> withoutDuplicates(List<DicomSlice> group, PixelComparison samePixels,
			List<String> warnings) {
		double[] n = group.get(0).normal();
		List<DicomSlice> sorted = new ArrayList<>(group);
		sorted.sort(Comparator.comparingDouble((DicomSlice s) -> dot(s.position, n)).thenComparing(s -> s.file.toString())
				.thenComparingInt(s -> s.frame));
		List<DicomSlice> kept = new ArrayList<>();
		for (DicomSlice s : sorted) {
			String why = null;
			DicomSlice original = null;
			for (int k = kept.size() - 1; k >= 0 && why == null; k--) {
				DicomSlice o = kept.get(k);
				if (dot(s.position, n) - dot(o.position, n) >= SAME_POSITION)
					break;
				if (o.file.equals(s.file))
					continue;
				String uid = s.header.dataset().string(Tags.SOP_INSTANCE_UID);
				if (uid != null && uid.equals(o.header.dataset().string(Tags.SOP_INSTANCE_UID)) && o.frame == s.frame)
					why = "the same SOPInstanceUID " + uid;
				else if (samePixels.identical(o, s))
					why = "the same position and identical pixels";
				if (why != null)
					original = o;
			}
			if (why == null)
				kept.add(s);
			else
				warnings.add("duplicate slice: " + s + " has " + why + " as " + original + "; ignored, as dcm2niix does");
		}
		return kept;
	}

	/** Slices with positions and orientations: sorted along the normal; the affine steps from the first to the last. */
	private static Geometry placed(List<DicomSlice> slices, List<String> warnings, String[] problem) {
		DicomSlice s0 = slices.get(0);
		double[] n = s0.normal();
		slices.sort(Comparator.comparingDouble((DicomSlice s) -> dot(s.position, n)).thenComparingInt(s -> s.instanceNumber)
				.thenComparing(s -> s.file.toString()).thenComparingInt(s -> s.frame));
		s0 = slices.get(0);
		DicomSlice last = slices.get(slices.size() - 1);
		String where = "series " + s0.header.dataset().string(Tags.SERIES_NUMBER, "?") + " in " + parent(s0.file);
		double[] ps = pixelSpacing(slices, warnings, where);
		int count = slices.size();
		double[] step;
		if (count == 1) {
			DicomDataset ds = s0.header.dataset();
			double thickness = ds.decimal(Tags.SPACING_BETWEEN_SLICES, ds.decimal(Tags.SLICE_THICKNESS, 1));
			if (!(thickness > 0))
				thickness = 1;
			step = scale(n, thickness);
		} else {
			step = scale(subtract(last.position, s0.position), 1.0 / (count - 1));
			checkSpacing(slices, n, where, warnings, problem);
			double along = dot(step, n);
			double[] across = subtract(step, scale(n, along));
			double shear = Math.sqrt(dot(across, across));
			if (shear > 1e-3 * Math.abs(along) && problem[0] == null)
				warnings.add(where + ": the slices are sheared against their normal by "
						+ String.format("%.2f", Math.toDegrees(Math.atan2(shear, Math.abs(along))))
						+ " degrees (gantry tilt); the affine keeps the sheared geometry, so voxels are at their true"
						+ " positions, but tools that assume orthogonal axes (and NIfTI's qform) will not show it exactly");
		}
		double[] r = { s0.orientation[0], s0.orientation[1], s0.orientation[2] };
		double[] c = { s0.orientation[3], s0.orientation[4], s0.orientation[5] };
		double[][] a = new double[4][4];
		for (int i = 0; i < 3; i++) {
			a[i][0] = r[i] * ps[1];
			a[i][1] = c[i] * ps[0];
			a[i][2] = step[i];
			a[i][3] = s0.position[i];
		}
		a[3][3] = 1;
		String degenerate = Geometry.problem(a);
		if (degenerate == null)
			return Geometry.ofLps(a);
		if (problem[0] == null)
			problem[0] = where + ": the slice positions (ImagePositionPatient), ImageOrientationPatient and PixelSpacing "
					+ Arrays.toString(ps) + " of " + s0.file.getFileName() + " give a degenerate geometry (" + degenerate
					+ "); fix these attributes or read another series";
		// the series stays listed (with its problem) on a stand-in geometry: unit normal and, if the
		// in-plane vectors are degenerate too, axis-aligned 1 mm voxels
		for (int i = 0; i < 3; i++)
			a[i][2] = n[i];
		if (Geometry.problem(a) != null)
			return Geometry.ofSpacing(1, 1, 1);
		return Geometry.ofLps(a);
	}

	/**
	 * Tiles of Siemens MOSAIC files: each file is one volume (a time point), its tiles in stored
	 * order (the CSA slice normal gives their direction, so they are not re-sorted); files ordered
	 * by InstanceNumber, then name. The geometry is the first file's, as dcm2niix does.
	 */
	private static Geometry mosaic(List<DicomSlice> slices, List<String> warnings, String[] problem) {
		slices.sort(Comparator.comparingInt((DicomSlice s) -> s.instanceNumber).thenComparing(s -> s.file.toString())
				.thenComparingInt(s -> s.frame));
		DicomSlice s0 = slices.get(0);
		int perVolume = s0.mosaic.count;
		String where = "series " + s0.header.dataset().string(Tags.SERIES_NUMBER, "?") + " in " + parent(s0.file);
		if (slices.size() % perVolume != 0 || slices.stream().anyMatch(s -> s.mosaic.count != perVolume)) {
			problem[0] = where + ": its MOSAIC files hold different numbers of slices (NumberOfImagesInMosaic); VolSeg"
					+ " reads one volume per file and needs them alike: split the series (e.g. with dcm2niix)";
			return Geometry.ofSpacing(1, 1, 1);
		}
		if (!s0.hasGeometry()) {
			Geometry g = unplaced(new ArrayList<>(slices.subList(0, perVolume)), warnings, problem);
			return g;
		}
		double[] ps = pixelSpacing(slices, warnings, where);
		double[] step;
		if (perVolume > 1)
			step = subtract(slices.get(1).position, s0.position);
		else {
			DicomDataset ds = s0.header.dataset();
			double thickness = ds.decimal(Tags.SPACING_BETWEEN_SLICES, ds.decimal(Tags.SLICE_THICKNESS, 1));
			step = scale(s0.mosaic.normal(s0.orientation), thickness > 0 ? thickness : 1);
		}
		double worst = 0;
		DicomSlice worstFile = null;
		for (int i = perVolume; i < slices.size(); i++) {
			DicomSlice s = slices.get(i), same = slices.get(i % perVolume);
			double[] d = s.position == null ? new double[] { Double.NaN, 0, 0 } : subtract(s.position, same.position);
			double e = Math.sqrt(dot(d, d));
			if (!(e <= worst)) {
				worst = e;
				worstFile = s;
			}
		}
		if (worstFile != null && !(worst <= SAME_POSITION))
			warnings.add(where + ": its " + slices.size() / perVolume + " MOSAIC volumes are not at the same position ("
					+ s0.file.getFileName() + " and " + worstFile.file.getFileName() + " are " + fmt(worst) + " mm apart);"
					+ " all are placed where the first is, as dcm2niix does");
		Geometry g = affine(s0, ps, step);
		if (g == null) {
			problem[0] = where + ": the MOSAIC geometry (ImageOrientationPatient, PixelSpacing " + Arrays.toString(ps)
					+ ", the CSA slice normal) of " + s0.file.getFileName() + " is degenerate; fix these attributes or"
					+ " read another series";
			return Geometry.ofSpacing(1, 1, 1);
		}
		return g;
	}

	/** The voxel-to-LPS affine of the first tile, or null when it is degenerate (see {@link Geometry#problem}). */
	private static Geometry affine(DicomSlice s0, double[] ps, double[] step) {
		double[][] a = new double[4][4];
		for (int i = 0; i < 3; i++) {
			a[i][0] = s0.orientation[i] * ps[1];
			a[i][1] = s0.orientation[3 + i] * ps[0];
			a[i][2] = step[i];
			a[i][3] = s0.position[i];
		}
		a[3][3] = 1;
		return Geometry.problem(a) == null ? Geometry.ofLps(a) : null;
	}

	private static void checkSpacing(List<DicomSlice> slices, double[] n, String where, List<String> warnings,
			String[] problem) {
		int count = slices.size();
		double[] d = new double[count];
		for (int i = 0; i < count; i++)
			d[i] = dot(slices.get(i).position, n);
		double[] gaps = new double[count - 1];
		int duplicates = 0, firstAt = -1;
		for (int i = 0; i + 1 < count; i++) {
			gaps[i] = d[i + 1] - d[i];
			if (gaps[i] < SAME_POSITION) {
				duplicates++;
				if (firstAt < 0)
					firstAt = i;
			}
		}
		if (duplicates > 0) {
			problem[0] = where + ": " + duplicates + " slice(s) share a position with another slice but differ (for"
					+ " example " + slices.get(firstAt) + " and " + slices.get(firstAt + 1) + ", at " + fmt(d[firstAt])
					+ " mm along the normal: several echoes, phases or time points in one series?); VolSeg reads one 3D"
					+ " volume per series: split the series (e.g. with dcm2niix) or remove the extra images";
			return;
		}
		double[] sortedGaps = gaps.clone();
		Arrays.sort(sortedGaps);
		double median = sortedGaps[sortedGaps.length / 2];
		double mean = (d[count - 1] - d[0]) / (count - 1);
		double worst = 0;
		int worstAt = 0;
		for (int i = 0; i < gaps.length; i++) {
			if (gaps[i] > MISSING_GAP * median) {
				problem[0] = where + ": slices are missing: a gap of " + fmt(gaps[i]) + " mm between the slices at "
						+ fmt(d[i]) + " and " + fmt(d[i + 1]) + " mm along the normal, where the spacing is " + fmt(median)
						+ " mm (" + slices.get(i).file.getFileName() + ", " + slices.get(i + 1).file.getFileName()
						+ "); voxels past the gap would be misplaced. Add the missing files";
				return;
			}
			if (Math.abs(gaps[i] - mean) > worst) {
				worst = Math.abs(gaps[i] - mean);
				worstAt = i;
			}
		}
		if (worst > Math.max(0.01, 0.01 * mean))
			warnings.add(where + ": uneven slice spacing: gaps from " + fmt(sortedGaps[0]) + " to "
					+ fmt(sortedGaps[sortedGaps.length - 1]) + " mm (worst at slice " + worstAt + "); the volume uses a"
					+ " regular spacing of " + fmt(mean) + " mm, so some slices are off their true position by up to "
					+ fmt(maxPlacementError(d, mean)) + " mm");
	}

	private static double maxPlacementError(double[] d, double mean) {
		double worst = 0;
		for (int i = 0; i < d.length; i++)
			worst = Math.max(worst, Math.abs(d[i] - (d[0] + i * mean)));
		return worst;
	}

	private static double[] pixelSpacing(List<DicomSlice> slices, List<String> warnings, String where) {
		double[] ps = slices.get(0).pixelSpacing;
		if (ps == null) {
			warnings.add(where + ": no PixelSpacing; assuming 1 mm");
			return new double[] { 1, 1 };
		}
		for (DicomSlice s : slices)
			if (s.pixelSpacing == null || Math.abs(s.pixelSpacing[0] - ps[0]) > 1e-4 || Math.abs(s.pixelSpacing[1] - ps[1]) > 1e-4) {
				warnings.add(where + ": PixelSpacing differs between slices (" + Arrays.toString(ps) + " in "
						+ slices.get(0).file.getFileName() + ", " + Arrays.toString(s.pixelSpacing) + " in "
						+ s.file.getFileName() + "); using the first");
				break;
			}
		return ps;
	}

	/** Slices without patient geometry: ordered by InstanceNumber, file name and frame; axis-aligned at the origin. */
	private static Geometry unplaced(List<DicomSlice> slices, List<String> warnings, String[] problem) {
		slices.sort(Comparator.comparingInt((DicomSlice s) -> s.instanceNumber).thenComparing(s -> s.file.toString())
				.thenComparingInt(s -> s.frame));
		DicomSlice s0 = slices.get(0);
		DicomDataset ds = s0.header.dataset();
		double[] ps = s0.pixelSpacing != null ? s0.pixelSpacing : new double[] { 1, 1 };
		double dz = ds.decimal(Tags.SPACING_BETWEEN_SLICES, ds.decimal(Tags.SLICE_THICKNESS, 1));
		if (!(dz > 0))
			dz = 1;
		String where = "series " + ds.string(Tags.SERIES_NUMBER, "?") + " in " + parent(s0.file);
		if (Geometry.problem(new double[][] { { ps[1], 0, 0, 0 }, { 0, ps[0], 0, 0 }, { 0, 0, dz, 0 }, { 0, 0, 0, 1 } }) != null) {
			problem[0] = where + ": PixelSpacing " + Arrays.toString(ps) + " and slice spacing " + dz + " of "
					+ s0.file.getFileName() + " give a degenerate geometry; fix PixelSpacing or read another series";
			return Geometry.identity();
		}
		warnings.add(where
				+ ": no ImagePositionPatient / ImageOrientationPatient; slices ordered by InstanceNumber and placed on"
				+ " axis-aligned LPS axes at the origin with spacing " + ps[1] + " x " + ps[0] + " x " + dz + " mm");
		return Geometry.ofSpacing(ps[1], ps[0], dz);
	}

	private static Path parent(Path p) {
		Path parent = p.getParent();
		return parent == null ? p : parent;
	}

	private static String fmt(double v) {
		return String.format(java.util.Locale.ROOT, "%.3f", v);
	}

	static double dot(double[] a, double[] b) {
		return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
	}

	private static double[] subtract(double[] a, double[] b) {
		return new double[] { a[0] - b[0], a[1] - b[1], a[2] - b[2] };
	}

	private static double[] scale(double[] a, double s) {
		return new double[] { a[0] * s, a[1] * s, a[2] * s };
	}
}
