package org.volseg.io.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.volseg.VolumeFormatException;

/** Every pydicom test file decodes to the statistics pydicom (+GDCM) reported, or is refused clearly. */
class DicomFixtureDecodeTest {

	static Path resource(String name) {
		try {
			return Path.of(DicomFixtureDecodeTest.class.getResource("/dicom/" + name).toURI());
		} catch (Exception e) {
			throw new IllegalStateException("missing test resource dicom/" + name, e);
		}
	}

	static Stream<String[]> fixtures() throws IOException {
		List<String[]> rows = new ArrayList<>();
		for (String line : Files.readAllLines(resource("expected_dicom.tsv"), StandardCharsets.UTF_8))
			if (!line.startsWith("#") && !line.isBlank())
				rows.add(line.split("\t"));
		return rows.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("fixtures")
	void decodesLikePydicomOrRefuses(String file, String expect, String uid, String shape, String sum, String sumSq,
			String min, String max) {
		Path path = resource(file);
		if (expect.equals("error")) {
			VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> StoredValueStatistics.of(DicomFormat.parser(), path));
			assertTrue(e.getMessage().contains(file) && e.getMessage().contains("truncated"), e.getMessage());
			return;
		}
		StoredValueStatistics s = StoredValueStatistics.of(DicomFormat.parser(), path);
		assertEquals(uid, s.transferSyntaxUid());
		PixelFormat f = s.format();
		String[] dims = shape.split("x");
		int k = 0;
		int frames = dims.length == 3 && f.samples() == 1 || dims.length == 4 ? Integer.parseInt(dims[k++]) : 1;
		assertEquals(frames, f.frames(), "frames");
		assertEquals(Integer.parseInt(dims[k++]), f.rows(), "rows");
		assertEquals(Integer.parseInt(dims[k++]), f.columns(), "columns");
		assertEquals(k < dims.length ? Integer.parseInt(dims[k]) : 1, f.samples(), "samples");
		// lossy JPEG 2000: our decoder (jai-imageio) gives sum 3527974, sum_sq 164035780, min -30, max 245
		// where GDCM gives 3527976 / 164034874 / -30 / 245; lossless syntaxes must match exactly
		// 12-bit JPEG extended (JPGExtended.dcm) is lossy too, but our decoder uses libjpeg's integer IDCT: exact
		boolean lossy = uid.equals(TransferSyntax.JPEG_2000.uid()) || uid.equals(TransferSyntax.JPEG_BASELINE.uid());
		double rel = lossy ? 1e-4 : 0;
		assertEquals(Double.parseDouble(sum), s.sum(), rel * Math.abs(Double.parseDouble(sum)), "sum");
		assertEquals(Double.parseDouble(sumSq), s.sumOfSquares(), rel * Double.parseDouble(sumSq), "sum of squares");
		assertEquals(Double.parseDouble(min), s.min(), lossy ? 2 : 0, "min");
		assertEquals(Double.parseDouble(max), s.max(), lossy ? 2 : 0, "max");
	}

	/**
	 * A 70 x 45, 2-frame, 12-bit image compressed by dcmtk's {@code dcmcjpeg +ee +bt} (odd size,
	 * fragments per frame); reference statistics from dcmtk's {@code dcmdjpeg} output.
	 */
	@org.junit.jupiter.api.Test
	void decodes12BitExtendedJpegLikeDcmtk() {
		StoredValueStatistics s = StoredValueStatistics.of(DicomFormat.parser(), resource("jpeg12_extended_2frames.dcm"));
		assertEquals(2, s.format().frames());
		assertEquals(9957902.0, s.sum(), 0);
		assertEquals(19622378502.0, s.sumOfSquares(), 0);
		assertEquals(1, s.min(), 0);
		assertEquals(3174, s.max(), 0);
	}
}
