package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.testutil.CliRunner;
import org.volseg.engine.TestNetworks;
import org.volseg.io.dicom.DicomSegmentation;
import org.volseg.io.dicom.SegReader;
import org.volseg.io.dicom.SegmentInfo;
import org.volseg.io.nifti.NiftiReader;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * DICOM SEG through the command line: {@code segment --output-seg}, {@code batch --seg} and
 * {@code convert-volume SEG.dcm labels.nii.gz [--reference DICOM_FOLDER]}, with a small real
 * TensorFlow model on the synthetic axial CT series; and the error for NIfTI inputs.
 */
class SegCommandsTest {

	@TempDir
	Path dir;

	private Path model() throws Exception {
		return new TestNetworks(1, 3, 42).export(dir.resolve("model"), 16, 16, 16, false, false);
	}

	private static Path series() throws Exception {
		return Paths.get(SegCommandsTest.class.getResource("/dicom/series/axial_ct").toURI());
	}

	@Test
	void segmentWritesASegThatConvertsBackToTheSameLabels() throws Exception {
		Path labels = dir.resolve("labels.nii.gz"), seg = dir.resolve("out/labels.seg.dcm");
		CliRunner r = CliRunner.run("segment", "--model", model().toString(), "--input", series().toString(), "--series", "3",
				"--output", labels.toString(), "--output-seg", seg.toString(), "--progress", "none");
		assertEquals(0, r.exitCode, r.err);
		assertTrue(r.out.contains("wrote:       " + seg + " (seg)"), r.out);
		Volume written = NiftiReader.read(labels).volume();
		DicomSegmentation read = SegReader.read(seg);
		List<String> names = read.segments().stream().map(SegmentInfo::name).toList();
		assertFalse(names.isEmpty());
		Volume back = NiftiReader.read(convert(seg, null)).volume();
		assertArrayEquals(written.dimensions(), back.dimensions());
		assertTrue(back.geometry().equalsWithin(written.geometry(), 1e-4), back.geometry() + " vs " + written.geometry());
		assertEquals(0, countDifferences(written, back, read));
		Volume onReference = NiftiReader.read(convert(seg, series())).volume();
		assertEquals(0, countDifferences(written, onReference, read));
		String json = Files.readString(dir.resolve("back.segments.json"));
		assertTrue(json.contains("\"name\": \"" + names.get(0) + "\"") || json.contains("\"name\":\"" + names.get(0) + "\""), json);
		try (var files = Files.list(dir.resolve("out"))) {
			assertEquals(1, files.count(), "the SEG and no temporary file");
		}
	}

	private int n;

	private Path convert(Path seg, Path reference) {
		Path out = dir.resolve(n++ == 0 ? "back.nii.gz" : "back" + n + ".nii.gz");
		CliRunner r = reference == null ? CliRunner.run("convert-volume", seg.toString(), out.toString())
				: CliRunner.run("convert-volume", seg.toString(), out.toString(), "--reference", reference.toString());
		assertEquals(0, r.exitCode, r.err);
		assertTrue(r.out.contains("wrote " + out), r.out);
		return out;
	}

	/** Voxels whose label differs from the SEG's segment of that label (segments are numbered in label order). */
	private static long countDifferences(Volume labels, Volume segLabels, DicomSegmentation seg) {
		java.util.TreeSet<Integer> present = new java.util.TreeSet<>();
		for (FloatType v : Views.flatIterable(labels.voxels()))
			if (v.get() != 0)
				present.add((int) v.get());
		Map<Integer, Integer> number = new java.util.HashMap<>();
		int k = 1;
		for (int l : present)
			number.put(l, k++);
		number.put(0, 0);
		Cursor<FloatType> a = Views.flatIterable(labels.voxels()).cursor(), b = Views.flatIterable(segLabels.voxels()).cursor();
		long differ = 0;
		while (a.hasNext())
			if (number.get((int) a.next().get()) != (int) b.next().get())
				differ++;
		return differ;
	}

	@Test
	void aNiftiInputWithOutputSegFailsNamingTheInputAndTheFlag() throws Exception {
		Path nifti = Path.of("sample-volumes", "case000_image.nii.gz");
		Path seg = dir.resolve("x.dcm"), labels = dir.resolve("x.nii.gz");
		CliRunner r = CliRunner.run("segment", "--model", model().toString(), "--input", nifti.toString(), "--output",
				labels.toString(), "--output-seg", seg.toString(), "--progress", "none");
		assertNotEquals(0, r.exitCode);
		assertTrue(r.err.contains("--output-seg") && r.err.contains(nifti.toString()) && r.err.contains("not DICOM"), r.err);
		assertFalse(Files.exists(labels));
		assertFalse(Files.exists(seg));
	}

	@Test
	void batchWritesASegPerDicomSeriesAndFailsNiftiInputs() throws Exception {
		Path in = dir.resolve("in");
		Files.createDirectories(in);
		org.volseg.util.AtomicFiles.copyFolder(series(), in.resolve("ct"));
		Files.copy(Path.of("sample-volumes", "case002_image.nii.gz"), in.resolve("scan.nii.gz"));
		Path out = dir.resolve("out");
		CliRunner r = CliRunner.run("batch", "--model", model().toString(), "--input", in.toString(), "--output",
				out.toString(), "--seg", "--series", "3", "--progress", "none");
		assertNotEquals(0, r.exitCode, "one input failed");
		List<Path> segs;
		try (var files = Files.walk(out)) {
			segs = files.filter(p -> p.toString().endsWith("_seg.dcm")).toList();
		}
		assertEquals(1, segs.size(), segs.toString());
		assertTrue(segs.get(0).getFileName().toString().startsWith("ct_series3"), segs.toString());
		assertTrue(SegReader.isSeg(segs.get(0)));
		String summary = Files.readString(out.resolve("summary.csv"));
		assertTrue(summary.contains("scan.nii.gz is not DICOM, but --seg writes DICOM SEGs"), summary);
	}
}
