package org.volseg.io.dicom;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.volseg.VolumeFormatException;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Reads a DICOM Segmentation (binary, or fractional thresholded at half its maximum) into a label
 * volume: each segment's voxels get its SegmentNumber as label.
 *
 * <p><b>Geometry.</b> {@link #read(Path)} places the frames by the SEG's own functional groups:
 * PlaneOrientationSequence and PixelMeasuresSequence (shared or per frame) and each frame's
 * PlanePositionSequence. The grid's slices are the distinct frame positions along the plane normal,
 * from the lowest up, SpacingBetweenSlices apart (else the smallest gap between positions, else
 * SliceThickness, else 1 mm); its origin is the lowest frame's position. Slices of the grid that no
 * frame covers stay 0. {@link #read(Path, DicomSeries)} lands the frames on a reference series'
 * grid instead: a frame goes to the slice whose SOPInstanceUID its SourceImageSequence names, else
 * to the slice at its position (within 1% of a voxel); a frame that fits no slice is an error.</p>
 *
 * <p><b>Overlaps.</b> A voxel in several segments keeps the highest SegmentNumber (the last
 * segment), and the overlap is reported once per pair of segments in {@link DicomSegmentation#warnings()}.
 * Stateless and thread-safe.</p>
 */
public final class SegReader {

	private static final double POSITION_TOLERANCE = 1e-2;

	private SegReader() {
	}

	/** True if the file is a DICOM Segmentation (by its SOP class; reads only the header). */
	public static boolean isSeg(Path file) {
		try {
			return SegWriter.SEGMENTATION_STORAGE.equals(DicomParser.readHeader(file).dataset().string(Tags.SOP_CLASS_UID));
		} catch (RuntimeException e) {
			return false;
		}
	}

	/**
	 * Reads a SEG on its own grid.
	 *
	 * @throws VolumeFormatException if the file is not a SEG, its pixel data are compressed, or its
	 *         frames carry no usable geometry
	 */
	public static DicomSegmentation read(Path file) {
		return read(file, null);
	}

	/**
	 * Reads a SEG onto the grid of {@code reference} (the series it segments), or onto its own grid
	 * when {@code reference} is null.
	 */
	public static DicomSegmentation read(Path file, DicomSeries reference) {
		DicomFile f = DicomParser.readFile(file);
		DicomDataset ds = f.dataset();
		if (!SegWriter.SEGMENTATION_STORAGE.equals(ds.string(Tags.SOP_CLASS_UID)))
			throw new VolumeFormatException(file, "not a DICOM Segmentation (SOPClassUID " + ds.string(Tags.SOP_CLASS_UID)
					+ "); give a SEG file, or read images with a DICOM folder");
		int rows = ds.integer(Tags.ROWS, 0), cols = ds.integer(Tags.COLUMNS, 0);
		int bits = ds.integer(Tags.BITS_ALLOCATED, 1);
		String type = ds.string(0x00620001, "BINARY");
		if (rows <= 0 || cols <= 0)
			throw new VolumeFormatException(file, "the SEG has no Rows/Columns");
		if (bits != 1 && bits != 8)
			throw new VolumeFormatException(file, "SEG with BitsAllocated " + bits + " is not supported (1 for BINARY, 8 for FRACTIONAL)");
		PixelData px = f.pixelData();
		if (px == null || px.encapsulated())
			throw new VolumeFormatException(file, "the SEG's pixel data are " + (px == null ? "missing" : "compressed (transfer syntax "
					+ f.transferSyntaxUid() + ")") + "; VolSeg reads uncompressed SEGs: decompress it first (e.g. dcmdjpeg / gdcmconv --raw)");
		List<String> warnings = new ArrayList<>();
		List<DicomDataset> perFrame = ds.sequence(Tags.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE);
		int frames = frameCount(file, ds, px, rows, cols, bits, perFrame.size(), warnings);
		long needed = bits == 1 ? ((long) rows * cols * frames + 7) / 8 : (long) rows * cols * frames;
		if (px.length < needed)
			throw new VolumeFormatException(file, "the pixel data hold " + px.length + " bytes, but " + frames + " frames of "
					+ rows + " x " + cols + " need " + needed + "; the file is truncated");
		int maxFractional = ds.integer(0x00620010, 255);

		List<SegmentInfo> segments = segments(ds);
		Map<Integer, String> names = new HashMap<>();
		for (SegmentInfo s : segments)
			names.put(s.label(), s.name());
		DicomDataset shared = ds.item(Tags.SHARED_FUNCTIONAL_GROUPS_SEQUENCE);
		Frame[] fr = new Frame[frames];
		for (int i = 0; i < frames; i++)
			fr[i] = frame(file, i, perFrame.get(i), shared);

		long[] dims;
		Geometry geometry;
		int[] sliceOf = new int[frames];
		if (reference == null) {
			Grid g = ownGrid(file, fr, cols, rows, warnings);
			dims = g.dims;
			geometry = g.geometry;
			sliceOf = g.sliceOf;
		} else {
			dims = reference.dimensions();
			geometry = reference.geometry();
			if (dims[0] != cols || dims[1] != rows)
				throw new VolumeFormatException(file, "the SEG's frames are " + cols + " x " + rows + " but the reference series'"
						+ " images are " + dims[0] + " x " + dims[1] + "; give the series the SEG was made from");
			Map<String, Integer> bySop = new HashMap<>();
			for (int z = 0; z < reference.sliceCount(); z++)
				bySop.put(reference.slices().get(z).sopInstanceUid() + "#" + (reference.slices().get(z).frame + 1), z);
			Geometry inverse = geometry.inverse();
			double[] refOrientation = reference.slices().get(0).orientation;
			for (int i = 0; i < frames; i++) {
				if (refOrientation != null)
					for (int k = 0; k < 6; k++)
						if (Math.abs(fr[i].orientation[k] - refOrientation[k]) > 1e-3)
							throw new VolumeFormatException(file, "frame " + (i + 1) + "'s ImageOrientationPatient differs from the"
									+ " reference series' (" + Arrays.toString(fr[i].orientation) + " vs "
									+ Arrays.toString(refOrientation) + "); give the series the SEG was made from");
				sliceOf[i] = onReference(file, fr[i], bySop, geometry, inverse, dims);
			}
		}

		Volume labels = Volume.allocate(geometry, dims);
		RandomAccess<FloatType> ra = labels.voxels().randomAccess();
		Integer[] order = new Integer[frames];
		for (int i = 0; i < frames; i++)
			order[i] = i;
		Arrays.sort(order, (a, b) -> Integer.compare(fr[a].segment, fr[b].segment));
		TreeMap<String, long[]> overlaps = new TreeMap<>();
		long plane = (long) rows * cols;
		for (int i : order) {
			int z = sliceOf[i];
			if (z < 0)
				continue;
			int segment = fr[i].segment;
			long base = i * plane;
			for (int y = 0; y < rows; y++)
				for (int x = 0; x < cols; x++) {
					long k = base + (long) y * cols + x;
					boolean on = bits == 1 ? (px.buffer[px.offset + (int) (k >>> 3)] >> (k & 7) & 1) != 0
							: (px.buffer[px.offset + (int) k] & 0xFF) * 2 >= maxFractional && (px.buffer[px.offset + (int) k] & 0xFF) > 0;
					if (!on)
						continue;
					ra.setPosition(new long[] { x, y, z });
					FloatType v = ra.get();
					int before = (int) v.get();
					if (before != 0 && before != segment)
						overlaps.computeIfAbsent(before + "," + segment, s -> new long[1])[0]++;
					v.set(segment);
				}
		}
		for (Map.Entry<String, long[]> e : overlaps.entrySet()) {
			String[] ab = e.getKey().split(",");
			int a = Integer.parseInt(ab[0]), b = Integer.parseInt(ab[1]);
			warnings.add(String.format(Locale.ROOT, "%s: segments %d (%s) and %d (%s) overlap in %d voxels; a label image holds"
					+ " one label per voxel, so they were given to segment %d (the last)", file.getFileName(), a,
					names.getOrDefault(a, "?"), b, names.getOrDefault(b, "?"), e.getValue()[0], b));
		}
		if (!"BINARY".equals(type))
			warnings.add(file.getFileName() + ": a " + type + " SEG: voxels at or above half of MaximumFractionalValue ("
					+ maxFractional + ") were taken as inside their segment");
		DicomDataset ref = ds.item(0x00081115);
		return new DicomSegmentation(labels, segments, ref == null ? null : ref.string(Tags.SERIES_INSTANCE_UID), warnings);
	}

	/**
	 * NumberOfFrames; for a SEG without it (it is type 1, but files lacking it exist), the frames
	 * the pixel data hold. Per-frame items beyond the frames are ignored with a warning.
	 */
	private static int frameCount(Path file, DicomDataset ds, PixelData px, int rows, int cols, int bits, int items,
			List<String> warnings) {
		Integer declared = ds.integer(Tags.NUMBER_OF_FRAMES);
		long frameBits = (long) rows * cols * bits;
		int frames = declared != null ? declared : (int) (px.length * 8L / frameBits);
		if (declared == null)
			warnings.add(file.getFileName() + ": no NumberOfFrames; the pixel data hold " + frames + " frame(s)");
		if (items < frames || frames < 1)
			throw new VolumeFormatException(file, "PerFrameFunctionalGroupsSequence has " + items + " items for "
					+ frames + " frames; every frame needs its position and segment");
		if (items > frames)
			warnings.add(file.getFileName() + ": PerFrameFunctionalGroupsSequence has " + items + " items for " + frames
					+ " frame(s); the items past the frames were ignored");
		return frames;
	}

	/** The SegmentSequence as segment infos (label = SegmentNumber). */
	static List<SegmentInfo> segments(DicomDataset ds) {
		List<SegmentInfo> out = new ArrayList<>();
		for (DicomDataset s : ds.sequence(0x00620002)) {
			int number = s.integer(0x00620004, out.size() + 1);
			String label = s.string(0x00620005, "segment " + number);
			double[] lab = s.doubles(0x0062000D);
			int rgb = lab != null && lab.length == 3 ? CieLab.toRgb(new int[] { (int) lab[0], (int) lab[1], (int) lab[2] }) : -1;
			out.add(new SegmentInfo(number, label, code(s.item(0x00620003)), code(s.item(0x0062000F)), rgb));
		}
		out.sort((a, b) -> Integer.compare(a.label(), b.label()));
		return out;
	}

	private static CodedConcept code(DicomDataset item) {
		if (item == null)
			return CodedConcept.TISSUE;
		return new CodedConcept(item.string(0x00080100, item.string(0x00080119, "")), item.string(0x00080102, ""),
				item.string(0x00080104, ""));
	}

	/** One frame's placement: its segment, position, orientation, pixel spacing, thickness, and source reference. */
	private record Frame(int segment, double[] position, double[] orientation, double[] pixelSpacing, Double between,
			Double thickness, String sourceKey) {}

	private static Frame frame(Path file, int i, DicomDataset item, DicomDataset shared) {
		DicomDataset segId = group(item, shared, 0x0062000A);
		if (segId == null || segId.integer(0x0062000B) == null)
			throw new VolumeFormatException(file, "frame " + (i + 1) + " has no SegmentIdentificationSequence");
		DicomDataset pos = group(item, shared, Tags.PLANE_POSITION_SEQUENCE);
		DicomDataset ori = group(item, shared, Tags.PLANE_ORIENTATION_SEQUENCE);
		DicomDataset meas = group(item, shared, Tags.PIXEL_MEASURES_SEQUENCE);
		double[] ipp = pos == null ? null : pos.doubles(Tags.IMAGE_POSITION_PATIENT);
		double[] iop = ori == null ? null : ori.doubles(Tags.IMAGE_ORIENTATION_PATIENT);
		double[] ps = meas == null ? null : meas.doubles(Tags.PIXEL_SPACING);
		if (ipp == null || ipp.length != 3 || iop == null || iop.length != 6 || ps == null || ps.length != 2)
			throw new VolumeFormatException(file, "frame " + (i + 1) + " has no PlanePosition, PlaneOrientation or PixelMeasures"
					+ " (ImagePositionPatient, ImageOrientationPatient, PixelSpacing); VolSeg places SEG frames by them");
		String key = null;
		DicomDataset derivation = item.item(0x00089124);
		DicomDataset src = derivation == null ? null : derivation.item(0x00082112);
		if (src != null && src.string(0x00081155) != null)
			key = src.string(0x00081155) + "#" + src.integer(0x00081160, 1);
		return new Frame(segId.integer(0x0062000B), ipp, iop, ps, meas.decimal(Tags.SPACING_BETWEEN_SLICES),
				meas.decimal(Tags.SLICE_THICKNESS), key);
	}

	/** A functional group from the frame's item, else from the shared item. */
	private static DicomDataset group(DicomDataset frame, DicomDataset shared, int tag) {
		DicomDataset g = frame.item(tag);
		if (g == null && shared != null)
			g = shared.item(tag);
		return g;
	}

	private record Grid(long[] dims, Geometry geometry, int[] sliceOf) {}

	private static Grid ownGrid(Path file, Frame[] fr, int cols, int rows, List<String> warnings) {
		Frame f0 = fr[0];
		double[] r = { f0.orientation[0], f0.orientation[1], f0.orientation[2] };
		double[] c = { f0.orientation[3], f0.orientation[4], f0.orientation[5] };
		double[] n = cross(r, c);
		double[] d = new double[fr.length];
		double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
		int lowest = 0;
		for (int i = 0; i < fr.length; i++) {
			for (int k = 0; k < 6; k++)
				if (Math.abs(fr[i].orientation[k] - f0.orientation[k]) > 1e-3)
					throw new VolumeFormatException(file, "frames have different ImageOrientationPatient (frame 1 and frame "
							+ (i + 1) + "); VolSeg reads a SEG of one stack of parallel planes");
			d[i] = SeriesAssembler.dot(fr[i].position, n);
			if (d[i] < min) {
				min = d[i];
				lowest = i;
			}
			max = Math.max(max, d[i]);
		}
		double[] sorted = d.clone();
		Arrays.sort(sorted);
		double gap = Double.POSITIVE_INFINITY;
		for (int i = 1; i < sorted.length; i++)
			if (sorted[i] - sorted[i - 1] > 1e-3)
				gap = Math.min(gap, sorted[i] - sorted[i - 1]);
		double spacing = f0.between != null && f0.between > 0 ? f0.between
				: Double.isFinite(gap) ? gap : f0.thickness != null && f0.thickness > 0 ? f0.thickness : 1;
		long slices = Math.round((max - min) / spacing) + 1;
		double[] origin = fr[lowest].position;
		int[] sliceOf = new int[fr.length];
		for (int i = 0; i < fr.length; i++) {
			double z = (d[i] - min) / spacing;
			sliceOf[i] = (int) Math.round(z);
			double[] off = new double[3];
			for (int k = 0; k < 3; k++)
				off[k] = fr[i].position[k] - origin[k] - n[k] * (d[i] - min);
			if (Math.abs(z - sliceOf[i]) > 0.05 || Math.sqrt(SeriesAssembler.dot(off, off)) > 0.05 * Math.min(f0.pixelSpacing[0], f0.pixelSpacing[1]))
				warnings.add(String.format(Locale.ROOT, "%s: frame %d is off the grid (%.3f slices along the normal, %.3f mm"
						+ " across); placed on the nearest slice", file.getFileName(), i + 1, z, Math.sqrt(SeriesAssembler.dot(off, off))));
		}
		double[][] a = new double[4][4];
		for (int k = 0; k < 3; k++) {
			a[k][0] = r[k] * f0.pixelSpacing[1];
			a[k][1] = c[k] * f0.pixelSpacing[0];
			a[k][2] = n[k] * spacing;
			a[k][3] = origin[k];
		}
		a[3][3] = 1;
		return new Grid(new long[] { cols, rows, slices }, Geometry.ofLps(a), sliceOf);
	}

	private static int onReference(Path file, Frame f, Map<String, Integer> bySop, Geometry g, Geometry inverse, long[] dims) {
		if (f.sourceKey != null && bySop.containsKey(f.sourceKey))
			return bySop.get(f.sourceKey);
		double[] v = new double[3];
		inverse.voxelToWorld(f.position, v);
		int z = (int) Math.round(v[2]);
		if (Math.abs(v[0]) > POSITION_TOLERANCE || Math.abs(v[1]) > POSITION_TOLERANCE || Math.abs(v[2] - z) > POSITION_TOLERANCE
				|| z < 0 || z >= dims[2])
			throw new VolumeFormatException(file, String.format(Locale.ROOT, "a frame of segment %d at (%.3f, %.3f, %.3f) mm"
					+ " matches no slice of the reference series (voxel %.3f, %.3f, %.3f); give the series the SEG was made"
					+ " from, or read the SEG without a reference", f.segment, f.position[0], f.position[1], f.position[2],
					v[0], v[1], v[2]));
		return z;
	}

	private static double[] cross(double[] a, double[] b) {
		return new double[] { a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0] };
	}
}
