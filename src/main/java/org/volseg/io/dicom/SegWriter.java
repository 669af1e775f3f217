package org.volseg.io.dicom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.volseg.VolSegException;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Writes a label volume as a binary DICOM Segmentation (PS3.3 A.51, SOP class
 * 1.2.840.10008.5.1.4.1.1.66.4) that references the DICOM series the labels were computed from.
 *
 * <p><b>Contract.</b> The label volume must be on the series' grid: dimensions (columns, rows,
 * slices) and voxel-to-LPS affine equal to {@link DicomSeries#geometry()} (within 1e-3 mm), label z
 * being the series' slice z. Each non-zero label present becomes one segment, numbered 1, 2, ...
 * in increasing label order (so labels 1..N come back unchanged from {@link SegReader}); the
 * {@link SegmentInfo} given for the label supplies SegmentLabel, the property category and type
 * codes and the display colour (a label without one is named {@code label N}, coded Tissue/Tissue).
 * One frame per segment and slice that holds the segment (empty frames are left out), ordered by
 * segment then slice; each frame has its PlanePositionSequence (the source slice's
 * ImagePositionPatient, its text copied verbatim when the source has one), its
 * FrameContentSequence DimensionIndexValues (segment number, 1-based slice index) and a
 * DerivationImageSequence whose SourceImageSequence names the source instance (and frame, for a
 * multi-frame source). Orientation and pixel measures are shared. Patient and study attributes,
 * StudyInstanceUID and FrameOfReferenceUID are copied from the first source slice (a source without
 * a FrameOfReferenceUID or StudyInstanceUID gets a new one, reported in the warnings). New UIDs
 * are {@code 2.25.} + the decimal of a random UUID. Explicit VR little endian; the file is written
 * atomically (temporary sibling, then one rename).</p>
 *
 * <p>Not thread-safe (the builder's settings); {@link #write} may be called several times.</p>
 */
public final class SegWriter {

	/** Segmentation Storage. */
	public static final String SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4";

	private String algorithmName = "VolSeg";
	private String seriesDescription = "VolSeg segmentation";
	private int seriesNumber = 300;
	private final List<String> warnings = new ArrayList<>();

	/** SegmentAlgorithmName of every segment (the model's name); default "VolSeg". */
	public SegWriter algorithmName(String name) {
		this.algorithmName = name == null || name.isBlank() ? "VolSeg" : truncate(name, 64);
		return this;
	}

	/** SeriesDescription; default "VolSeg segmentation". */
	public SegWriter seriesDescription(String description) {
		this.seriesDescription = truncate(description, 64);
		return this;
	}

	/** SeriesNumber; default 300. */
	public SegWriter seriesNumber(int number) {
		this.seriesNumber = number;
		return this;
	}

	/** What the last {@link #write} had to make up (a missing Frame of Reference or Study UID). */
	public List<String> warnings() {
		return List.copyOf(warnings);
	}

	/**
	 * Writes {@code labels} as a SEG of {@code source} to {@code target}.
	 *
	 * @param segments what to write for each label (by label value); labels missing here get defaults
	 * @return the segments written, in segment-number order (their {@code label} is the label value)
	 * @throws VolSegException if the labels are not on the series' grid, the series has no geometry
	 *         or SOP Instance UIDs, the volume holds no label, or the file cannot be written
	 */
	public List<SegmentInfo> write(Volume labels, DicomSeries source, Map<Integer, SegmentInfo> segments, Path target) {
		warnings.clear();
		checkGrid(labels, source, target);
		List<DicomSlice> slices = source.slices();
		int cols = (int) labels.dimension(0), rows = (int) labels.dimension(1), depth = (int) labels.dimension(2);
		int plane = cols * rows;
		int[][] planes = new int[depth][];
		TreeMap<Integer, boolean[]> present = new TreeMap<>();
		for (int z = 0; z < depth; z++) {
			int[] p = new int[plane];
			Cursor<FloatType> c = Views.flatIterable(Views.hyperSlice(labels.voxels(), 2, z)).cursor();
			int i = 0;
			while (c.hasNext()) {
				int v = Math.round(c.next().get());
				p[i++] = v;
				if (v != 0) {
					if (v < 0 || v > 65535)
						throw new VolSegException(target + ": label " + v + " at slice " + z
								+ " cannot be a DICOM segment; labels must be 1..65535");
					present.computeIfAbsent(v, k -> new boolean[depth])[z] = true;
				}
			}
			planes[z] = p;
		}
		if (present.isEmpty())
			throw new VolSegException(target + ": the label volume holds no label (all voxels 0); a DICOM SEG needs at"
					+ " least one segment, so nothing was written");
		if (present.size() > 65535)
			throw new VolSegException(target + ": too many labels for one SEG");

		DicomDataset first = slices.get(0).header.dataset();
		List<SegmentInfo> written = new ArrayList<>();
		List<DicomWriter> segmentItems = new ArrayList<>();
		List<DicomWriter> frameItems = new ArrayList<>();
		List<int[]> frameSources = new ArrayList<>(); // {label, z}
		int number = 0;
		for (Map.Entry<Integer, boolean[]> e : present.entrySet()) {
			number++;
			int label = e.getKey();
			SegmentInfo info = segments.get(label);
			if (info == null)
				info = new SegmentInfo(label, "label " + label, CodedConcept.TISSUE, CodedConcept.TISSUE, -1);
			written.add(info);
			segmentItems.add(segmentItem(number, info));
			for (int z = 0; z < depth; z++)
				if (e.getValue()[z]) {
					frameItems.add(frameItem(number, z, slices.get(z)));
					frameSources.add(new int[] { label, z });
				}
		}
		byte[] pixels = pack(planes, frameSources, plane);

		String now = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT));
		String sopInstance = DicomElementWriter.newUid();
		String dimensionUid = DicomElementWriter.newUid();
		DicomWriter ds = new DicomWriter();
		if (first.contains(0x00080005))
			ds.copy(first, 0x00080005, "CS");
		ds.text(0x00080008, "CS", "DERIVED\\PRIMARY")
				.text(0x00080012, "DA", now.substring(0, 8)).text(0x00080013, "TM", now.substring(8))
				.text(Tags.SOP_CLASS_UID, "UI", SEGMENTATION_STORAGE).text(Tags.SOP_INSTANCE_UID, "UI", sopInstance)
				.copy(first, 0x00080020, "DA").text(0x00080021, "DA", now.substring(0, 8))
				.text(0x00080023, "DA", now.substring(0, 8))
				.copy(first, 0x00080030, "TM").text(0x00080031, "TM", now.substring(8)).text(0x00080033, "TM", now.substring(8))
				.copy(first, 0x00080050, "SH")
				.text(Tags.MODALITY, "CS", "SEG")
				.text(0x00080070, "LO", "VolSeg")
				.copy(first, 0x00080090, "PN")
				.text(Tags.SERIES_DESCRIPTION, "LO", seriesDescription)
				.text(0x00081090, "LO", "VolSeg")
				.sequence(0x00081115, referencedSeries(source))
				.copy(first, 0x00100010, "PN").copy(first, 0x00100020, "LO").copy(first, 0x00100030, "DA")
				.copy(first, 0x00100040, "CS")
				.text(0x00181000, "LO", "1")
				.text(0x00181020, "LO", softwareVersion())
				.text(Tags.STUDY_INSTANCE_UID, "UI", uidOrNew(first, Tags.STUDY_INSTANCE_UID, "StudyInstanceUID"))
				.text(Tags.SERIES_INSTANCE_UID, "UI", DicomElementWriter.newUid())
				.copy(first, 0x00200010, "SH")
				.text(Tags.SERIES_NUMBER, "IS", Integer.toString(seriesNumber))
				.text(Tags.INSTANCE_NUMBER, "IS", "1")
				.text(0x00200052, "UI", uidOrNew(first, 0x00200052, "FrameOfReferenceUID"))
				.copy(first, 0x00201040, "LO")
				.sequence(0x00209221, new DicomWriter().text(0x00209164, "UI", dimensionUid))
				.sequence(0x00209222, List.of(
						dimension(dimensionUid, 0x0062000B, 0x0062000A, "ReferencedSegmentNumber"),
						dimension(dimensionUid, Tags.IMAGE_POSITION_PATIENT, Tags.PLANE_POSITION_SEQUENCE,
								"ImagePositionPatient")))
				.us(Tags.SAMPLES_PER_PIXEL, 1).text(Tags.PHOTOMETRIC_INTERPRETATION, "CS", "MONOCHROME2")
				.text(Tags.NUMBER_OF_FRAMES, "IS", Integer.toString(frameItems.size()))
				.us(Tags.ROWS, rows).us(Tags.COLUMNS, cols)
				.us(Tags.BITS_ALLOCATED, 1).us(Tags.BITS_STORED, 1).us(Tags.HIGH_BIT, 0).us(Tags.PIXEL_REPRESENTATION, 0)
				.text(0x00282110, "CS", "00")
				.text(0x00620001, "CS", "BINARY")
				.sequence(0x00620002, segmentItems)
				.text(0x00700080, "CS", "VOLSEG")
				.text(0x00700081, "LO", "Segmentation by " + algorithmName)
				.text(0x00700084, "PN", "")
				.sequence(Tags.SHARED_FUNCTIONAL_GROUPS_SEQUENCE, shared(source))
				.sequence(Tags.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE, frameItems)
				.raw(Tags.PIXEL_DATA, "OB", pixels);
		byte[] file = DicomElementWriter.part10(SEGMENTATION_STORAGE, sopInstance,
				TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), ds.toBytes());
		writeFile(target, file, source);
		return List.copyOf(written);
	}

	private static void checkGrid(Volume labels, DicomSeries source, Path target) {
		if (labels.voxels().numDimensions() != 3)
			throw new VolSegException(target + ": a DICOM SEG is written from a 3D label volume, got " + labels);
		if (source.problem() != null)
			throw new VolSegException(target + ": the source series cannot be referenced: " + source.problem());
		long[] want = source.dimensions();
		if (!Arrays.equals(want, labels.dimensions()))
			throw new VolSegException(target + ": the labels (" + dims(labels.dimensions()) + ") are not on the grid of the"
					+ " DICOM series they should reference (" + dims(want) + "); write the SEG from labels of that series");
		if (!labels.geometry().equalsWithin(source.geometry(), 1e-3))
			throw new VolSegException(target + ": the labels' geometry " + labels.geometry() + " differs from the DICOM"
					+ " series' " + source.geometry() + "; write the SEG from labels computed on that series");
		for (DicomSlice s : source.slices()) {
			if (!s.hasGeometry())
				throw new VolSegException(target + ": the source slice " + s + " has no ImagePositionPatient or"
						+ " ImageOrientationPatient; a SEG needs placed source images");
			if (s.sopInstanceUid() == null || s.sopClassUid() == null)
				throw new VolSegException(target + ": the source slice " + s + " has no SOPInstanceUID or SOPClassUID,"
						+ " so the SEG cannot reference it");
		}
	}

	private static String dims(long[] d) {
		return d[0] + " x " + d[1] + " x " + d[2];
	}

	private DicomWriter segmentItem(int number, SegmentInfo info) {
		DicomWriter w = new DicomWriter()
				.sequence(0x00620003, DicomWriter.code(info.category()))
				.us(0x00620004, number)
				.text(0x00620005, "LO", truncate(info.name(), 64))
				.text(0x00620008, "CS", "AUTOMATIC")
				.text(0x00620009, "LO", algorithmName)
				.sequence(0x0062000F, DicomWriter.code(info.type()));
		if (info.rgb() >= 0)
			w.us(0x0062000D, CieLab.ofRgb(info.rgb()));
		return w;
	}

	private static DicomWriter frameItem(int segment, int z, DicomSlice slice) {
		DicomWriter source = new DicomWriter().text(0x00081150, "UI", slice.sopClassUid())
				.text(0x00081155, "UI", slice.sopInstanceUid())
				.sequence(0x0040A170, DicomWriter.code(new CodedConcept("121322", "DCM",
						"Source image for image processing operation")));
		if (slice.header.dataset().integer(Tags.NUMBER_OF_FRAMES, 1) > 1)
			source.text(0x00081160, "IS", Integer.toString(slice.frame + 1));
		DicomWriter derivation = new DicomWriter().sequence(0x00082112, source)
				.sequence(0x00089215, DicomWriter.code(new CodedConcept("113076", "DCM", "Segmentation")));
		DicomWriter position = new DicomWriter();
		String ipp = slice.frame == 0 ? slice.header.dataset().string(Tags.IMAGE_POSITION_PATIENT) : null;
		if (ipp != null && slice.header.dataset().integer(Tags.NUMBER_OF_FRAMES, 1) == 1)
			position.text(Tags.IMAGE_POSITION_PATIENT, "DS", ipp);
		else
			position.decimals(Tags.IMAGE_POSITION_PATIENT, slice.position);
		return new DicomWriter().sequence(0x00089124, derivation)
				.sequence(Tags.FRAME_CONTENT_SEQUENCE, new DicomWriter().ul(0x00209157, segment, z + 1))
				.sequence(Tags.PLANE_POSITION_SEQUENCE, position)
				.sequence(0x0062000A, new DicomWriter().us(0x0062000B, segment));
	}

	private static DicomWriter dimension(String uid, int pointer, int group, String label) {
		return new DicomWriter().text(0x00209164, "UI", uid).at(0x00209165, pointer).at(0x00209167, group)
				.text(0x00209421, "LO", label);
	}

	private static List<DicomWriter> referencedSeries(DicomSeries source) {
		List<DicomWriter> instances = new ArrayList<>();
		java.util.Set<String> seen = new java.util.HashSet<>();
		for (DicomSlice s : source.slices())
			if (seen.add(s.sopInstanceUid()))
				instances.add(new DicomWriter().text(0x00081150, "UI", s.sopClassUid()).text(0x00081155, "UI",
						s.sopInstanceUid()));
		return List.of(new DicomWriter().sequence(0x0008114A, instances).text(Tags.SERIES_INSTANCE_UID, "UI",
				source.seriesUid()));
	}

	/** Shared groups: plane orientation and pixel measures (pixel spacing, slice thickness, spacing between slices). */
	private static DicomWriter shared(DicomSeries source) {
		DicomSlice s0 = source.slices().get(0);
		DicomDataset ds = s0.header.dataset();
		boolean single = ds.integer(Tags.NUMBER_OF_FRAMES, 1) == 1;
		DicomWriter orientation = new DicomWriter();
		String iop = single ? ds.string(Tags.IMAGE_ORIENTATION_PATIENT) : null;
		if (iop != null)
			orientation.text(Tags.IMAGE_ORIENTATION_PATIENT, "DS", iop);
		else
			orientation.decimals(Tags.IMAGE_ORIENTATION_PATIENT, s0.orientation);
		double between = source.spacing()[2];
		double[] n = s0.normal();
		if (source.sliceCount() > 1) {
			List<DicomSlice> sl = source.slices();
			between = Math.abs(SeriesAssembler.dot(sl.get(sl.size() - 1).position, n) - SeriesAssembler.dot(s0.position, n))
					/ (sl.size() - 1);
		}
		Double thickness = single ? ds.decimal(Tags.SLICE_THICKNESS) : null;
		DicomWriter measures = new DicomWriter();
		String spacing = single ? ds.string(Tags.PIXEL_SPACING) : null;
		if (spacing != null && s0.pixelSpacing != null)
			measures.text(Tags.PIXEL_SPACING, "DS", spacing);
		else {
			double[] sp = source.spacing();
			measures.decimals(Tags.PIXEL_SPACING, sp[1], sp[0]);
		}
		measures.decimals(Tags.SLICE_THICKNESS, thickness != null && thickness > 0 ? thickness : between)
				.decimals(Tags.SPACING_BETWEEN_SLICES, between);
		return new DicomWriter().sequence(Tags.PLANE_ORIENTATION_SEQUENCE, orientation)
				.sequence(Tags.PIXEL_MEASURES_SEQUENCE, measures);
	}

	/** Frames packed bit by bit (PS3.5 8.1.1: first pixel in the lowest bit), frames back to back, padded to even length. */
	static byte[] pack(int[][] planes, List<int[]> frames, int plane) {
		long bits = (long) frames.size() * plane;
		long bytes = (bits + 7) / 8;
		if (bytes % 2 == 1)
			bytes++;
		if (bytes > Integer.MAX_VALUE - 16)
			throw new VolSegException("the SEG would hold " + bytes + " bytes of pixel data, more than one DICOM"
					+ " element can (2 GB); write fewer labels or a smaller volume");
		byte[] out = new byte[(int) bytes];
		long k = 0;
		for (int[] f : frames) {
			int[] p = planes[f[1]];
			int label = f[0];
			for (int i = 0; i < plane; i++, k++)
				if (p[i] == label)
					out[(int) (k >>> 3)] |= (byte) (1 << (k & 7));
		}
		return out;
	}

	private String uidOrNew(DicomDataset first, int tag, String name) {
		String uid = first.string(tag);
		if (uid != null)
			return uid;
		warnings.add("the source series has no " + name + "; the SEG got a new one, so viewers will not place it"
				+ " with the scan's other objects by that UID");
		return DicomElementWriter.newUid();
	}

	private static String softwareVersion() {
		String v = SegWriter.class.getPackage().getImplementationVersion();
		return v == null ? "VolSeg (development build)" : "VolSeg " + v;
	}

	private static void writeFile(Path target, byte[] bytes, DicomSeries source) {
		for (DicomSlice s : source.slices())
			if (org.volseg.util.SameFile.as(s.file, target))
				throw new VolSegException(target + ": is one of the source images; write the SEG to another file");
		try {
			Path parent = target.toAbsolutePath().getParent();
			if (parent != null)
				Files.createDirectories(parent);
			org.volseg.util.AtomicFiles.write(target, out -> out.write(bytes));
		} catch (IOException e) {
			throw new VolSegException(target + ": cannot write the DICOM SEG (" + e.getMessage()
					+ "); check the folder exists and is writable", e);
		}
	}

	private static String truncate(String s, int max) {
		return s.length() <= max ? s : s.substring(0, max);
	}
}
