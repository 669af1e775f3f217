package org.volseg.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.VolSegException;
import org.volseg.VolumeFormatException;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/** Series written by {@link DicomSeriesWriter} (or crafted) read back: geometry, values, warnings, refusals. */
class DicomFolderReaderTest {

	@TempDir
	Path tmp;

	/** A volume whose voxel values encode their index, in whole HU. */
	private static Volume ramp(Geometry g, int nx, int ny, int nz) {
		Volume v = Volume.allocate(g, nx, ny, nz);
		Cursor<FloatType> c = Views.flatIterable(v.voxels()).localizingCursor();
		while (c.hasNext()) {
			c.fwd();
			c.get().set(-1000 + c.getIntPosition(0) + 7 * c.getIntPosition(1) + 97 * c.getIntPosition(2));
		}
		return v;
	}

	/** The volume with {@code k} HU added to every voxel. */
	private static Volume plus(Volume v, int k) {
		for (FloatType t : Views.flatIterable(v.voxels()))
			t.set(t.get() + k);
		return v;
	}

	private static Geometry oblique(double sx, double sy, double sz, double[] origin) {
		double a = Math.toRadians(30), cos = Math.cos(a), sin = Math.sin(a);
		return Geometry.ofLps(new double[][] { { cos * sx, -sin * sy, 0, origin[0] }, { sin * sx, cos * sy, 0, origin[1] },
				{ 0, 0, sz, origin[2] }, { 0, 0, 0, 1 } });
	}

	private static void assertSameVoxels(Volume expected, Volume actual) {
		assertArrayEquals(expected.dimensions(), actual.dimensions());
		Cursor<FloatType> e = Views.flatIterable(expected.voxels()).cursor();
		Cursor<FloatType> a = Views.flatIterable(actual.voxels()).cursor();
		while (e.hasNext())
			assertEquals(e.next().get(), a.next().get(), 0);
	}

	@Test
	void writtenSeriesReadsBackWithItsGeometryAndValues() {
		Geometry g = oblique(0.7, 0.8, 1.25, new double[] { -100.5, 20.25, -300 });
		Volume v = ramp(g, 24, 20, 9);
		List<Path> files = new DicomSeriesWriter().seriesNumber(7).description("ramp").write(v, tmp.resolve("s"));
		assertEquals(9, files.size());
		// shuffle the order on disk: names must not matter
		Collections2.reverseRename(files);
		List<String> warnings = new ArrayList<>();
		DicomFolderReader reader = new DicomFolderReader(new OwnDicomSource(), warnings::add, 2);
		DicomSeriesVolume read = reader.readMain(tmp.resolve("s"));
		assertTrue(read.volume().geometry().equalsWithin(g, 1e-6), read.volume().geometry() + " vs " + g);
		assertSameVoxels(v, read.volume());
		assertEquals(7, read.series().seriesNumber());
		assertEquals("ramp", read.series().description());
		assertEquals("CT", read.series().modality());
		assertEquals("int16", read.series().storedDataType());
		assertTrue(warnings.isEmpty(), warnings.toString());
		// one thread reads the same
		DicomSeriesVolume single = new DicomFolderReader(new OwnDicomSource(), w -> {
		}, 1).readMain(tmp.resolve("s"));
		assertSameVoxels(v, single.volume());
	}

	@Test
	void gantryTiltKeepsTheShearedAffineAndWarns() {
		double shear = Math.tan(Math.toRadians(15)) * 2.0;
		Geometry g = Geometry.ofLps(new double[][] { { 0.5, 0, 0, 0 }, { 0, 0.5, shear, 0 }, { 0, 0, 2.0, 0 }, { 0, 0, 0, 1 } });
		Volume v = ramp(g, 16, 16, 6);
		new DicomSeriesWriter().write(v, tmp);
		List<String> warnings = new ArrayList<>();
		DicomSeriesVolume read = new DicomFolderReader(new OwnDicomSource(), warnings::add, 2).readMain(tmp);
		assertTrue(read.volume().geometry().equalsWithin(g, 1e-6), read.volume().geometry().toString());
		assertTrue(warnings.stream().anyMatch(w -> w.contains("gantry tilt") && w.contains("15.00 degrees")), warnings.toString());
		assertSameVoxels(v, read.volume());
	}

	@Test
	void missingSlicesAreRefusedUnlessTolerated() throws IOException {
		Volume v = ramp(Geometry.ofSpacing(1, 1, 3), 8, 8, 6);
		List<Path> files = new DicomSeriesWriter().write(v, tmp);
		Files.delete(files.get(3));
		DicomFolderReader reader = new DicomFolderReader(new OwnDicomSource(), w -> {
		}, 2);
		DicomSeries s = DicomFolderReader.mainSeries(reader.scan(tmp));
		assertNotNull(s.problem());
		VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> reader.read(s));
		assertTrue(e.getMessage().contains("slices are missing") && e.getMessage().contains("6.000 mm"), e.getMessage());
		List<String> warnings = new ArrayList<>();
		DicomSeriesVolume read = new DicomFolderReader(new OwnDicomSource(), warnings::add, 2).tolerateIrregularSlices(true)
				.read(s);
		assertEquals(5, read.volume().dimension(2));
		assertTrue(warnings.stream().anyMatch(w -> w.contains("read anyway")), warnings.toString());
	}

	@Test
	void unevenSpacingWarnsWithThePlacementError() {
		String uid = DicomElementWriter.newUid();
		double[] zs = { 0, 2, 4, 6.3, 8 };
		for (int i = 0; i < zs.length; i++) {
			Geometry g = Geometry.ofLps(new double[][] { { 1, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0, 2, zs[i] }, { 0, 0, 0, 1 } });
			new DicomSeriesWriter().seriesUid(uid).write(ramp(g, 4, 4, 1), tmp.resolve("part" + i));
		}
		List<String> warnings = new ArrayList<>();
		DicomSeriesVolume read = new DicomFolderReader(new OwnDicomSource(), warnings::add, 2).readMain(tmp);
		assertEquals(5, read.volume().dimension(2));
		assertTrue(warnings.stream().anyMatch(w -> w.contains("uneven slice spacing") && w.contains("0.300 mm")),
				warnings.toString());
	}

	@Test
	void duplicatePositionsAreAProblem() {
		String uid = DicomElementWriter.newUid();
		// echoes differ in their values (identical copies are duplicates, dropped: SeriesChoiceAndDuplicatesTest)
		for (int i = 0; i < 2; i++)
			new DicomSeriesWriter().seriesUid(uid).write(plus(ramp(Geometry.ofSpacing(1, 1, 1), 4, 4, 3), i), tmp.resolve("echo" + i));
		DicomSeries s = DicomFolderReader.mainSeries(new DicomFolderReader().scan(tmp));
		assertTrue(s.problem().contains("share a position"), s.problem());
		// all at one position: still named as such, not as a degenerate affine
		String one = DicomElementWriter.newUid();
		for (int i = 0; i < 3; i++)
			new DicomSeriesWriter().seriesUid(one).write(plus(ramp(Geometry.ofSpacing(1, 1, 1), 4, 4, 1), i), tmp.resolve("same" + i));
		DicomSeries same = DicomFolderReader.mainSeries(new DicomFolderReader().scan(tmp).stream()
				.filter(x -> x.seriesUid().equals(one)).collect(java.util.stream.Collectors.toList()));
		assertTrue(same.problem().contains("2 slice(s) share a position"), same.problem());
	}

	@Test
	void aBadFileInTheFolderIsSkippedAndTheSeriesStillRead() throws IOException {
		Volume v = ramp(Geometry.ofSpacing(0.5, 0.5, 1), 12, 10, 5);
		List<Path> files = new DicomSeriesWriter().write(v, tmp);
		byte[] copy = Files.readAllBytes(files.get(2));
		Files.write(tmp.resolve("BROKEN"), Arrays.copyOf(copy, copy.length - 40));
		Files.writeString(tmp.resolve("README.txt"), "not DICOM");
		Files.createDirectories(tmp.resolve("sub"));
		Files.write(tmp.resolve("sub").resolve("HALF"), Arrays.copyOf(copy, 300));
		List<String> warnings = new ArrayList<>();
		DicomSeriesVolume read = new DicomFolderReader(new OwnDicomSource(), warnings::add, 2).readMain(tmp);
		assertSameVoxels(v, read.volume());
		assertEquals(2, warnings.size(), warnings.toString());
		assertTrue(warnings.stream().anyMatch(w -> w.startsWith("skipped " + tmp.resolve("BROKEN")) && w.contains("truncated")),
				warnings.toString());
		assertTrue(warnings.stream().anyMatch(w -> w.startsWith("skipped " + tmp.resolve("sub").resolve("HALF"))),
				warnings.toString());
	}

	@Test
	void aFolderWithoutImagesIsRefused() throws IOException {
		Files.writeString(tmp.resolve("a.txt"), "nothing here");
		VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> new DicomFolderReader().scan(tmp));
		assertTrue(e.getMessage().startsWith(tmp.toString()) && e.getMessage().contains("no DICOM images found")
				&& e.getMessage().contains("1 not DICOM"), e.getMessage());
		assertThrows(VolumeFormatException.class, () -> new DicomFolderReader().scan(tmp.resolve("missing")));
	}

	@Test
	void writerRefusesToOverwrite() {
		Volume v = ramp(Geometry.identity(), 4, 4, 2);
		new DicomSeriesWriter().write(v, tmp);
		VolSegException e = assertThrows(VolSegException.class, () -> new DicomSeriesWriter().write(v, tmp));
		assertTrue(e.getMessage().contains("exists already"), e.getMessage());
	}

	@Test
	void seriesAreGroupedByUidOrientationAndSize() {
		new DicomSeriesWriter().seriesNumber(2).write(ramp(Geometry.ofSpacing(1, 1, 1), 8, 8, 5), tmp.resolve("a"));
		String uid = DicomElementWriter.newUid();
		new DicomSeriesWriter().seriesNumber(3).seriesUid(uid).write(ramp(Geometry.ofSpacing(1, 1, 1), 8, 8, 10), tmp.resolve("b"));
		// a "localizer" in the same series: another orientation (coronal) and size
		Geometry coronal = Geometry.ofLps(new double[][] { { 1, 0, 0, 0 }, { 0, 0, 1, 50 }, { 0, -1, 0, 0 }, { 0, 0, 0, 1 } });
		new DicomSeriesWriter().seriesNumber(3).seriesUid(uid).write(ramp(coronal, 6, 5, 1), tmp.resolve("c"));
		List<DicomSeries> all = new DicomFolderReader().scan(tmp);
		assertEquals(3, all.size());
		DicomSeries main = DicomFolderReader.mainSeries(all);
		assertEquals(10, main.sliceCount());
		assertEquals(main, DicomFolderReader.seriesNumbered(all, 3));
		assertEquals(5, DicomFolderReader.seriesNumbered(all, 2).sliceCount());
		assertNull(DicomFolderReader.seriesNumbered(all, 4));
		assertEquals(main, DicomFolderReader.select(all, null, "--series"));
		assertEquals(5, DicomFolderReader.select(all, 2, "--series").sliceCount());
		org.volseg.InvalidParameterException e = assertThrows(org.volseg.InvalidParameterException.class,
				() -> DicomFolderReader.select(all, 4, "--series"));
		assertTrue(e.getMessage().contains("--series") && e.getMessage().contains("(2, 3)"), e.getMessage());
		assertEquals("LPS", main.orientationCode());
		assertTrue(all.stream().anyMatch(s -> s.orientationCode().equals("LIP")));
	}

	/** Renames files so that their names run against slice order. */
	static final class Collections2 {
		static void reverseRename(List<Path> files) {
			try {
				for (int i = 0; i < files.size(); i++)
					Files.move(files.get(i), files.get(i).resolveSibling("tmp" + i));
				for (int i = 0; i < files.size(); i++)
					Files.move(files.get(i).resolveSibling("tmp" + i), files.get(files.size() - 1 - i));
			} catch (IOException e) {
				throw new IllegalStateException(e);
			}
		}
	}

	@Test
	void voxelAccessMatchesWorldPositions() {
		Geometry g = oblique(1, 1, 2, new double[] { 5, 6, 7 });
		Volume v = ramp(g, 5, 4, 3);
		new DicomSeriesWriter().write(v, tmp);
		DicomSeriesVolume read = new DicomFolderReader().readMain(tmp);
		RandomAccess<FloatType> ra = read.volume().voxels().randomAccess();
		ra.setPosition(new long[] { 4, 3, 2 });
		assertEquals(-1000 + 4 + 21 + 194, ra.get().get(), 0);
		double[] w = new double[3];
		read.volume().geometry().voxelToWorld(new double[] { 0, 0, 2 }, w);
		assertArrayEquals(new double[] { 5, 6, 11 }, w, 1e-9);
	}
}
