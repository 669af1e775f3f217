package org.volseg.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.volseg.VolSegException;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * VolSeg's DICOM SEG of the sample CT phantom (axial, and rotated obliquely) checked against what
 * pydicom 2.3 reads from it (frame count, per-frame segment, position and voxel count, segment
 * labels and codes: {@code src/test/resources/dicom/seg/*.pydicom.txt}), against dciodvfy when it is
 * installed, and read back voxel for voxel; SEGs of another tool (dcmqi's liver SEG from pydicom's
 * test files, little and big endian) read with the geometry computed by hand from their functional groups.
 */
class SegRoundTripTest {

	private static final Path REFERENCES = Path.of("src", "test", "resources", "dicom", "seg");

	@TempDir
	Path tmp;

	private Path writeSeg(String kind, DicomSeries series) {
		Path seg = tmp.resolve(kind + "_seg.dcm");
		new SegWriter().algorithmName("volseg-phantom-unetr").write(SegTestData.labels().withGeometry(series.geometry()),
				series, SegTestData.SEGMENTS, seg);
		return seg;
	}

	private DicomSeries series(String kind) {
		return kind.equals("case000") ? SegTestData.series(SegTestData.CASE000_DICOM)
				: SegTestData.writeObliqueSeries(tmp.resolve("oblique"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "case000", "oblique" })
	void dciodvfyReportsNoError(String kind) throws Exception {
		boolean installed = Files.isExecutable(Path.of("/usr/bin/dciodvfy"));
		if (!installed)
			System.out.println("SegRoundTripTest: SKIPPED dciodvfy check: /usr/bin/dciodvfy is not installed"
					+ " (apt-get install dicom3tools; .ci/run installs it)");
		Assumptions.assumeTrue(installed, "dciodvfy (Debian dicom3tools) is not installed");
		Path seg = writeSeg(kind, series(kind));
		Process p = new ProcessBuilder("/usr/bin/dciodvfy", seg.toString()).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(p.waitFor(60, TimeUnit.SECONDS));
		assertTrue(out.contains("Segmentation"), out);
		List<String> errors = out.lines().filter(l -> l.contains("Error")).toList();
		assertEquals(List.of(), errors, out);
	}

	@ParameterizedTest
	@ValueSource(strings = { "case000", "oblique" })
	void framesAreThoseOfPydicomAndSitOnTheirSourceSlices(String kind) throws IOException {
		DicomSeries series = series(kind);
		Path seg = writeSeg(kind, series);
		List<String> ref = Files.readAllLines(REFERENCES.resolve(kind + "_seg.pydicom.txt"));
		DicomFile f = DicomParser.readFile(seg);
		DicomDataset ds = f.dataset();
		List<String[]> frames = ref.stream().filter(l -> l.startsWith("frame ")).map(l -> l.split(" ")).toList();
		assertEquals(Integer.parseInt(value(ref, "frames").split(" ")[0]), ds.integer(Tags.NUMBER_OF_FRAMES));
		assertEquals(frames.size(), ds.integer(Tags.NUMBER_OF_FRAMES));
		assertEquals(value(ref, "labels"), String.join("|", SegReader.segments(ds).stream().map(SegmentInfo::name).toList()));
		assertEquals(value(ref, "types"), String.join("|", SegReader.segments(ds).stream()
				.map(s -> s.type().value() + "^" + s.type().meaning()).toList()));
		List<DicomDataset> perFrame = ds.sequence(Tags.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE);
		PixelData px = f.pixelData();
		int plane = 128 * 128;
		java.util.Map<String, Integer> sliceOfSop = new java.util.HashMap<>();
		for (int z = 0; z < series.sliceCount(); z++)
			sliceOfSop.put(series.slices().get(z).sopInstanceUid(), z);
		for (int i = 0; i < frames.size(); i++) {
			String[] r = frames.get(i);
			DicomDataset item = perFrame.get(i);
			assertEquals(Integer.parseInt(r[2]), item.item(0x0062000A).integer(0x0062000B), "segment of frame " + (i + 1));
			double[] ipp = item.item(Tags.PLANE_POSITION_SEQUENCE).doubles(Tags.IMAGE_POSITION_PATIENT);
			assertArrayEquals(Arrays.stream(r[3].split(",")).mapToDouble(Double::parseDouble).toArray(), ipp, 1e-9);
			// the frame's source instance is the slice at the frame's position, whose IPP text is copied
			String sop = item.item(0x00089124).item(0x00082112).string(0x00081155);
			int z = sliceOfSop.get(sop);
			DicomSlice slice = series.slices().get(z);
			assertEquals(slice.header.dataset().string(Tags.IMAGE_POSITION_PATIENT),
					item.item(Tags.PLANE_POSITION_SEQUENCE).string(Tags.IMAGE_POSITION_PATIENT));
			assertEquals(z + 1, (int) item.item(Tags.FRAME_CONTENT_SEQUENCE).doubles(0x00209157)[1]);
			long ones = 0;
			for (long k = (long) i * plane; k < (long) (i + 1) * plane; k++)
				ones += (px.buffer[px.offset + (int) (k >>> 3)] >> (k & 7)) & 1;
			assertEquals(Long.parseLong(r[4]), ones, "voxels of frame " + (i + 1));
			assertTrue(ones > 0, "empty frames are left out");
		}
		assertEquals(series.slices().get(0).header.dataset().string(Tags.IMAGE_ORIENTATION_PATIENT),
				ds.item(Tags.SHARED_FUNCTIONAL_GROUPS_SEQUENCE).item(Tags.PLANE_ORIENTATION_SEQUENCE)
						.string(Tags.IMAGE_ORIENTATION_PATIENT));
		assertEquals(series.seriesUid(), ds.item(0x00081115).string(Tags.SERIES_INSTANCE_UID));
		assertEquals(series.sliceCount(), ds.item(0x00081115).sequence(0x0008114A).size());
		assertTrue(ds.string(Tags.SOP_INSTANCE_UID).matches("2\\.25\\.\\d+"));
		assertNotEquals(series.seriesUid(), ds.string(Tags.SERIES_INSTANCE_UID));
	}

	@ParameterizedTest
	@ValueSource(strings = { "case000", "oblique" })
	void segToLabelsRoundTripIsIdentical(String kind) {
		DicomSeries series = series(kind);
		Path seg = writeSeg(kind, series);
		Volume original = SegTestData.labels().withGeometry(series.geometry());
		DicomSegmentation own = SegReader.read(seg);
		assertEquals(List.of(), own.warnings());
		assertArrayEquals(original.dimensions(), own.labels().dimensions());
		assertTrue(own.labels().geometry().equalsWithin(series.geometry(), 1e-5),
				own.labels().geometry() + " vs " + series.geometry());
		assertSameVoxels(original, own.labels());
		DicomSegmentation onReference = SegReader.read(seg, series);
		assertEquals(series.geometry(), onReference.labels().geometry());
		assertSameVoxels(original, onReference.labels());
		assertEquals(List.of("body", "liver", "spleen", "right kidney", "left kidney", "spine"),
				own.segments().stream().map(SegmentInfo::name).toList());
		assertEquals(series.seriesUid(), own.referencedSeriesUid());
	}

	@ParameterizedTest
	@ValueSource(strings = { "liver_1frame", "seg/liver_expb_1frame" })
	void anotherToolsSegReadsWithTheGeometryOfItsFunctionalGroups(String name) throws IOException {
		List<String> ref = Files.readAllLines(REFERENCES.resolve(Path.of(name).getFileName() + ".pydicom.txt"));
		DicomSegmentation s = SegReader.read(Path.of("src", "test", "resources", "dicom", name + ".dcm"));
		assertArrayEquals(new long[] { 512, 512, 1 }, s.labels().dimensions());
		double[] affine = Arrays.stream(value(ref, "affine_lps").split(",")).mapToDouble(Double::parseDouble).toArray();
		double[][] a = s.labels().geometry().affineLps();
		for (int i = 0; i < 12; i++)
			assertEquals(affine[i], a[i / 4][i % 4], 1e-6, "affine entry " + i);
		assertEquals("Liver", s.segments().get(0).name());
		assertEquals("T-62000", s.segments().get(0).type().value());
		long count = 0, sumX = 0, sumY = 0;
		Cursor<FloatType> c = Views.flatIterable(s.labels().voxels()).localizingCursor();
		while (c.hasNext())
			if (c.next().get() == 1f) {
				count++;
				sumX += c.getLongPosition(0);
				sumY += c.getLongPosition(1);
			}
		assertEquals("{1: " + count + "}", value(ref, "sum_per_segment"));
		assertEquals(value(ref, "centroid_sums"), sumX + " " + sumY);
		assertTrue(s.warnings().stream().anyMatch(w -> w.contains("3 items for 1 frame")), s.warnings().toString());
	}

	@Test
	void refusesLabelsOffTheSeriesGridAndEmptyLabels() {
		DicomSeries series = SegTestData.series(SegTestData.CASE000_DICOM);
		Volume labels = SegTestData.labels();
		Volume shifted = labels.withGeometry(SegTestData.oblique(series.geometry()));
		VolSegException e = assertThrows(VolSegException.class,
				() -> new SegWriter().write(shifted, series, SegTestData.SEGMENTS, tmp.resolve("x.dcm")));
		assertTrue(e.getMessage().contains("differs from the DICOM series"), e.getMessage());
		Volume empty = Volume.allocate(series.geometry(), series.dimensions());
		e = assertThrows(VolSegException.class, () -> new SegWriter().write(empty, series, SegTestData.SEGMENTS, tmp.resolve("y.dcm")));
		assertTrue(e.getMessage().contains("holds no label"), e.getMessage());
		assertTrue(Files.notExists(tmp.resolve("y.dcm")));
	}

	@Test
	void overlappingSegmentsKeepTheLastAndSaySo() throws IOException {
		DicomSeries series = SegTestData.series(SegTestData.CASE000_DICOM);
		Path seg = writeSeg("case000", series);
		DicomDataset ds = DicomParser.readHeader(seg).dataset();
		List<DicomDataset> perFrame = ds.sequence(Tags.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE);
		int liverFrame = 0;
		while (perFrame.get(liverFrame).item(0x0062000A).integer(0x0062000B) != 2)
			liverFrame++;
		int z = (int) perFrame.get(liverFrame).item(Tags.FRAME_CONTENT_SEQUENCE).doubles(0x00209157)[1] - 1;
		// the liver frame of slice z claims the whole slice, so it overlaps the body there
		byte[] bytes = Files.readAllBytes(seg);
		int pixels = lastIndexOf(bytes, new byte[] { (byte) 0xE0, 0x7F, 0x10, 0, 'O', 'B', 0, 0 }) + 12;
		int plane = 128 * 128;
		Arrays.fill(bytes, pixels + liverFrame * plane / 8, pixels + (liverFrame + 1) * plane / 8, (byte) 0xFF);
		Path edited = tmp.resolve("overlap.dcm");
		Files.write(edited, bytes);
		long body = 0;
		Cursor<FloatType> c = Views.flatIterable(Views.hyperSlice(SegTestData.labels().voxels(), 2, z)).cursor();
		while (c.hasNext())
			if (c.next().get() == 1f)
				body++;
		assertTrue(body > 0);
		DicomSegmentation s = SegReader.read(edited);
		assertTrue(s.warnings().contains("overlap.dcm: segments 1 (body) and 2 (liver) overlap in " + body + " voxels; a"
				+ " label image holds one label per voxel, so they were given to segment 2 (the last)"), s.warnings().toString());
		long bodyLeft = 0;
		c = Views.flatIterable(Views.hyperSlice(s.labels().voxels(), 2, z)).cursor();
		while (c.hasNext())
			if (c.next().get() == 1f)
				bodyLeft++;
		assertEquals(0, bodyLeft);
	}

	private static int lastIndexOf(byte[] data, byte[] pattern) {
		outer:
		for (int i = data.length - pattern.length; i >= 0; i--) {
			for (int j = 0; j < pattern.length; j++)
				if (data[i + j] != pattern[j])
					continue outer;
			return i;
		}
		return -1;
	}

	private static String value(List<String> ref, String key) {
		for (String l : ref)
			if (l.startsWith(key + " "))
				return l.substring(key.length() + 1);
		throw new AssertionError("no " + key + " in the reference");
	}

	static void assertSameVoxels(Volume expected, Volume actual) {
		Cursor<FloatType> a = Views.flatIterable(expected.voxels()).cursor();
		Cursor<FloatType> b = Views.flatIterable(actual.voxels()).cursor();
		long differ = 0;
		List<String> first = new ArrayList<>();
		while (a.hasNext()) {
			float x = a.next().get(), y = b.next().get();
			if (x != y) {
				differ++;
				if (first.size() < 3)
					first.add(x + " vs " + y);
			}
		}
		assertEquals(0, differ, "voxels differ, e.g. " + first);
	}
}
