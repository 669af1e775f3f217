package org.volseg.io.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.VolumeFormatException;

/**
 * Issue 15 item 5: a folder with a truncated file, an uncompressed YBR_FULL_422 file and a file
 * with a bad VR. The YBR file is decoded (values as pydicom gives them); the other two are named
 * with their real reasons, kept with every series and in the warnings; one bad file alone says why.
 */
class SkippedFilesTest {

	@TempDir
	Path tmp;

	static Path copy(String resource, Path target) throws Exception {
		Files.createDirectories(target.getParent());
		try (InputStream in = SkippedFilesTest.class.getResourceAsStream(resource)) {
			Files.write(target, in.readAllBytes());
		}
		return target;
	}

	/** MR_small.dcm with the VR of Modality (0008,0060) replaced by "ZZ". */
	static Path badVr(Path target) throws Exception {
		Path f = copy("/dicom/MR_small.dcm", target);
		byte[] b = Files.readAllBytes(f);
		for (int i = 132; i + 6 < b.length; i++)
			if (b[i] == 0x08 && b[i + 1] == 0 && b[i + 2] == 0x60 && b[i + 3] == 0 && b[i + 4] == 'C' && b[i + 5] == 'S') {
				b[i + 4] = 'Z';
				b[i + 5] = 'Z';
				Files.write(f, b);
				return f;
			}
		throw new AssertionError("no Modality element");
	}

	static Path folder(Path dir) throws Exception {
		copy("/dicom/MR_small.dcm", dir.resolve("good.dcm"));
		copy("/dicom/MR_truncated.dcm", dir.resolve("truncated.dcm"));
		copy("/dicom/wild/SC_ybr_full_422_uncompressed.dcm", dir.resolve("ybr422.dcm"));
		badVr(dir.resolve("badvr.dcm"));
		return dir;
	}

	@Test
	void skippedFilesAreNamedWithTheirReasons() throws Exception {
		Path dir = folder(tmp.resolve("mixed"));
		List<String> warnings = new ArrayList<>();
		DicomFolderReader reader = new DicomFolderReader(new OwnDicomSource(), warnings::add, 2);
		List<DicomSeries> series = reader.scan(dir);
		assertEquals(2, series.size(), series.toString()); // MR_small and the YBR_FULL_422 image
		for (DicomSeries s : series) {
			List<SkippedFile> skipped = s.skipped();
			assertEquals(2, skipped.size(), skipped.toString());
			assertEquals(dir.resolve("badvr.dcm"), skipped.get(0).file());
			assertTrue(skipped.get(0).reason().contains("unknown VR 'ZZ' at (0008,0060)"), skipped.get(0).reason());
			assertEquals(dir.resolve("truncated.dcm"), skipped.get(1).file());
			assertTrue(skipped.get(1).reason().contains("truncated"), skipped.get(1).reason());
		}
		DicomSeries mr = series.stream().filter(s -> !s.colour()).findFirst().orElseThrow();
		DicomSeriesVolume read = reader.read(mr);
		assertTrue(read.warnings().contains("skipped " + dir.resolve("truncated.dcm") + ": " + mr.skipped().get(1).reason()),
				read.warnings().toString());
		assertTrue(warnings.stream().anyMatch(w -> w.startsWith("skipped " + dir.resolve("badvr.dcm"))), warnings.toString());
	}

	@Test
	void uncompressedYbrFull422IsDecodedAsPydicomDoes() throws Exception {
		Path f = copy("/dicom/wild/SC_ybr_full_422_uncompressed.dcm", tmp.resolve("ybr.dcm"));
		DicomFile file = DicomParser.readFile(f);
		PixelDecoder d = PixelDecoder.of(file);
		double[] v = new double[100 * 100 * 3];
		d.decodeFrame(0, v);
		double sum = 0, sumSq = 0;
		for (double x : v) {
			sum += x;
			sumSq += x * x;
		}
		// pydicom 2.3.1: convert_color_space(ds.pixel_array, 'YBR_FULL', 'RGB'): sum 3832000, sum of squares 804107800,
		// pixel (0, 0) = (254, 0, 0), pixel (50, 50) = (125, 130, 255)
		assertEquals(254, v[0]);
		assertEquals(0, v[1]);
		assertEquals(0, v[2]);
		int p = (50 * 100 + 50) * 3;
		assertEquals(125, v[p]);
		assertEquals(130, v[p + 1]);
		assertEquals(255, v[p + 2]);
		assertEquals(3832000, sum);
		assertEquals(804107800, sumSq);
	}

	@Test
	void aSingleBadFileSaysWhy() throws Exception {
		Path f = copy("/dicom/MR_truncated.dcm", tmp.resolve("only/truncated.dcm"));
		DicomFolderReader reader = new DicomFolderReader();
		VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> reader.scan(f));
		assertTrue(e.getMessage().contains("1 unreadable: " + f + " (") && e.getMessage().contains("truncated"),
				e.getMessage());
		VolumeFormatException folder = assertThrows(VolumeFormatException.class, () -> reader.scan(f.getParent()));
		assertTrue(folder.getMessage().contains(f + " ("), folder.getMessage());
	}
}
