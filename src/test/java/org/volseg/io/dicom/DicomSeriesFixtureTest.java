package org.volseg.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.volseg.volume.Geometry;

import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * The synthetic series (shuffled file names without extensions, a second series in the folder)
 * read to the voxel positions and values pydicom wrote and to dcm2niix's affine and statistics.
 */
class DicomSeriesFixtureTest {

	private static List<String[]> rows(String folder, String kind) throws IOException {
		List<String[]> out = new ArrayList<>();
		for (String line : Files.readAllLines(DicomFixtureDecodeTest.resource("expected_series.tsv"), StandardCharsets.UTF_8)) {
			String[] f = line.split("\t");
			if (f[0].equals(kind) && f[1].equals(folder))
				out.add(f);
		}
		return out;
	}

	private static double[] numbers(String csv) {
		String[] p = csv.split(",");
		double[] d = new double[p.length];
		for (int i = 0; i < p.length; i++)
			d[i] = Double.parseDouble(p[i]);
		return d;
	}

	@ParameterizedTest
	@ValueSource(strings = { "series/axial_ct", "series/sagittal_mr" })
	void readsTheMainSeriesAtItsTruePositions(String folder) throws IOException {
		List<String> warnings = new ArrayList<>();
		DicomFolderReader reader = new DicomFolderReader(new OwnDicomSource(), warnings::add, 2);
		List<DicomSeries> all = reader.scan(DicomFixtureDecodeTest.resource(folder));
		DicomSeries main = DicomFolderReader.mainSeries(all);
		String[] info = rows(folder, "series").get(0);
		assertEquals(Integer.parseInt(info[2]), main.sliceCount());
		assertEquals(Integer.parseInt(info[3]), main.seriesNumber());
		assertEquals(info[4], main.modality());
		double[] shape = numbers(info[5]);
		assertArrayEquals(new long[] { (long) shape[0], (long) shape[1], (long) shape[2] }, main.dimensions());
		assertArrayEquals(numbers(info[6]), main.spacing(), 1e-6);
		assertEquals(main, DicomFolderReader.seriesNumbered(all, main.seriesNumber()));

		DicomSeriesVolume read = reader.read(main);
		Geometry g = read.volume().geometry();
		RandomAccess<FloatType> ra = read.volume().voxels().randomAccess();
		for (String[] v : rows(folder, "voxel")) {
			long slice = Long.parseLong(v[2]), row = Long.parseLong(v[3]), column = Long.parseLong(v[4]);
			double[] world = new double[3];
			g.voxelToWorld(new double[] { column, row, slice }, world);
			assertArrayEquals(numbers(v[5]), world, 1e-3, "world position of slice " + slice + " row " + row + " column " + column);
			ra.setPosition(new long[] { column, row, slice });
			assertEquals(Double.parseDouble(v[6]), ra.get().get(), 0, "value at slice " + slice + " row " + row);
		}

		// dcm2niix's affine may index voxels in another order: compare the world positions of the corners
		String[] a = rows(folder, "affine_ras").get(0)[2].split(";");
		double[][] ras = new double[4][];
		for (int r = 0; r < 4; r++)
			ras[r] = numbers(a[r]);
		Geometry theirs = Geometry.ofRas(ras);
		assertArrayEquals(numbers(info[6]), theirs.spacing(), 1e-5);
		List<double[]> ourCorners = corners(g, main.dimensions());
		for (double[] c : corners(theirs, new long[] { (long) shape[0], (long) shape[1], (long) shape[2] })) {
			boolean found = ourCorners.stream().anyMatch(o -> Math.abs(o[0] - c[0]) < 1e-3 && Math.abs(o[1] - c[1]) < 1e-3
					&& Math.abs(o[2] - c[2]) < 1e-3);
			assertTrue(found, "dcm2niix corner " + java.util.Arrays.toString(c) + " is not a corner of our volume " + ourCorners);
		}

		String[] data = rows(folder, "data").get(0);
		double sum = 0, sumSq = 0, min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
		for (FloatType t : Views.flatIterable(read.volume().voxels())) {
			double x = t.get();
			sum += x;
			sumSq += x * x;
			min = Math.min(min, x);
			max = Math.max(max, x);
		}
		assertEquals(Double.parseDouble(data[2]), sum, 0);
		assertEquals(Double.parseDouble(data[3]), sumSq, 0);
		assertEquals(Double.parseDouble(data[4]), min, 0);
		assertEquals(Double.parseDouble(data[5]), max, 0);
		assertNotNull(read.warnings());
	}


	private static List<double[]> corners(Geometry g, long[] dims) {
		List<double[]> out = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			double[] w = new double[3];
			g.voxelToWorld(new double[] { (i & 1) * (dims[0] - 1), ((i >> 1) & 1) * (dims[1] - 1), ((i >> 2) & 1) * (dims[2] - 1) }, w);
			out.add(w);
		}
		return out;
	}
}
