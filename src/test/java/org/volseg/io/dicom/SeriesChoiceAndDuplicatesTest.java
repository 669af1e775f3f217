package org.volseg.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.InvalidParameterException;
import org.volseg.VolumeFormatException;
import org.volseg.io.VolumeIO;

/**
 * Issue 15 items 6 and 10 on pydicom's test files: four patients' series all numbered 1 (a number
 * that picks one of them is refused, listing the candidates; the SeriesInstanceUID picks one), and
 * duplicate slices (the same image in three transfer syntaxes, which dcm2niix reduces to one with
 * "DUPLICATES REMOVED"; a renamed copy; a copy whose pixels differ).
 */
class SeriesChoiceAndDuplicatesTest {

	@TempDir
	Path tmp;

	/** pydicom: CT_small.dcm SeriesInstanceUID. */
	private static final String CT_UID = "1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322";

	@Test
	void aNumberSeveralSeriesShareIsRefusedListingThem() throws Exception {
		Path dir = tmp.resolve("patients");
		for (String f : new String[] { "CT_small.dcm", "MR_small.dcm", "JPEG2000.dcm", "rtdose.dcm" })
			SkippedFilesTest.copy("/dicom/" + f, dir.resolve(f));
		List<DicomSeries> all = new DicomFolderReader().scan(dir);
		assertEquals(4, all.size());
		InvalidParameterException e = assertThrows(InvalidParameterException.class,
				() -> DicomFolderReader.selectSeries(all, "1", "--series"));
		String m = e.getMessage();
		assertTrue(m.contains("--series") && m.contains("4 series in the folder have SeriesNumber 1"), m);
		for (DicomSeries s : all)
			assertTrue(m.contains(s.seriesUid() + " (" + s.modality() + ", '"), m);
		assertTrue(m.contains("(CT, '', 1 slice)"), m);
		assertTrue(m.contains("(RTDOSE, '', 15 slices)"), m);
		DicomSeries ct = DicomFolderReader.selectSeries(all, CT_UID, "--series");
		assertEquals("CT", ct.modality());
		// the same through VolumeIO (volseg segment/convert-volume/info --series)
		assertThrows(InvalidParameterException.class, () -> VolumeIO.forSeries("1").open(dir, false));
		assertArrayEquals(new long[] { 128, 128, 1 }, VolumeIO.forSeries(CT_UID).open(dir, false).volume().dimensions());
		InvalidParameterException none = assertThrows(InvalidParameterException.class,
				() -> DicomFolderReader.selectSeries(all, "7", "--series"));
		assertTrue(none.getMessage().contains("SeriesInstanceUID"), none.getMessage());
	}

	@Test
	void theSameImageInThreeTransferSyntaxesIsOneSliceAsDcm2niixMakesIt() throws Exception {
		Path dir = tmp.resolve("dups");
		for (String f : new String[] { "MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm" })
			SkippedFilesTest.copy("/dicom/" + f, dir.resolve(f));
		List<String> warnings = new ArrayList<>();
		List<DicomSeries> series = new DicomFolderReader(new OwnDicomSource(), warnings::add, 1).scan(dir);
		assertEquals(1, series.size());
		DicomSeries s = series.get(0);
		assertNull(s.problem());
		// dcm2niix 1.0.20220720: "2 images have identical time, series, acquisition and instance values.
		// DUPLICATES REMOVED." -> 64x64x1
		assertArrayEquals(new long[] { 64, 64, 1 }, s.dimensions());
		assertEquals(2, s.warnings().stream().filter(w -> w.startsWith("duplicate slice: ")
				&& w.contains("the same SOPInstanceUID") && w.contains(dir.resolve("MR_small.dcm").toString())).count(),
				s.warnings().toString());
	}

	@Test
	void aRenamedCopyIsDroppedAndADifferentSliceAtTheSamePlaceIsRefusedNamingBoth() throws Exception {
		Path src = Path.of(getClass().getResource("/dicom/series/axial_ct").toURI());
		Path dir = tmp.resolve("ct");
		Files.createDirectories(dir);
		List<Path> files;
		try (Stream<Path> st = Files.list(src)) {
			files = st.sorted().toList();
		}
		for (Path f : files)
			Files.copy(f, dir.resolve(f.getFileName()));
		int before = new DicomFolderReader().scan(dir).stream().mapToInt(DicomSeries::sliceCount).sum();
		// a copy with another SOPInstanceUID and identical pixels: an exact duplicate
		Path first = dir.resolve(files.get(0).getFileName());
		byte[] b = Files.readAllBytes(first);
		String uid = DicomParser.readHeader(first).dataset().string(Tags.SOP_INSTANCE_UID);
		String other = uid.substring(0, uid.length() - 1) + (uid.endsWith("1") ? "2" : "1");
		replaceOnce(b, uid, other);
		Path copy = dir.resolve("zz_copy");
		Files.write(copy, b);
		List<DicomSeries> series = new DicomFolderReader().scan(dir);
		assertEquals(before, series.stream().mapToInt(DicomSeries::sliceCount).sum());
		assertTrue(series.stream().flatMap(s -> s.warnings().stream()).anyMatch(w -> w.contains("duplicate slice: " + copy)
				&& w.contains("the same position and identical pixels") && w.contains(first.toString())),
				series.toString());
		// the copy's last pixel changed: two different slices at one position
		b[b.length - 1] ^= 0x01;
		Files.write(copy, b);
		List<DicomSeries> again = new DicomFolderReader().scan(dir);
		DicomSeries broken = again.stream().filter(s -> s.problem() != null).findFirst().orElseThrow();
		assertTrue(broken.problem().contains(first.toString()) && broken.problem().contains(copy.toString()),
				broken.problem());
		VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> new DicomFolderReader().read(broken));
		assertTrue(e.getMessage().contains(copy.toString()), e.getMessage());
	}

	private static void replaceOnce(byte[] b, String from, String to) {
		byte[] f = from.getBytes(StandardCharsets.ISO_8859_1), t = to.getBytes(StandardCharsets.ISO_8859_1);
		int n = 0;
		outer: for (int i = 0; i + f.length <= b.length; i++) {
			for (int k = 0; k < f.length; k++)
				if (b[i + k] != f[k])
					continue outer;
			System.arraycopy(t, 0, b, i, t.length);
			n++;
		}
		assertTrue(n > 0);
	}
}
