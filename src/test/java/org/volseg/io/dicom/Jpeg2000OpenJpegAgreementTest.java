package org.volseg.io.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Lossy (irreversible 9/7) JPEG 2000 decoded by jai-imageio-jpeg2000 against OpenJPEG 2.5.0's
 * {@code opj_decompress} (the decoder pydicom, GDCM and dcm2niix use), stored in
 * {@code dicom/jpeg2000/}: the two differ by exactly +-1 on a few pixels, from floating-point
 * arithmetic in the inverse wavelet transform (see docs/dicom.md). The counts are pinned so that a
 * change of decoder, better or worse, shows here.
 */
class Jpeg2000OpenJpegAgreementTest {

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "JPEG2000.dcm, jpeg2000/JPEG2000_openjpeg.i16.gz, 20, 11, 9",
			"jpeg2000/CT_small_j2k_irreversible.dcm, jpeg2000/CT_small_j2k_irreversible_openjpeg.i16.gz, 272, 163, 109" })
	void differsFromOpenJpegByOneOnFewPixels(String file, String reference, int differing, int lower, int higher) throws Exception {
		FrameDecoder decoder = PixelDecoder.of(new OwnDicomSource().readFile(DicomFixtureDecodeTest.resource(file)));
		double[] values = new double[decoder.format().valuesPerFrame()];
		decoder.decodeFrame(0, values);
		ByteBuffer openJpeg;
		try (InputStream in = new GZIPInputStream(Files.newInputStream(DicomFixtureDecodeTest.resource(reference)))) {
			openJpeg = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
		}
		assertEquals(values.length * 2, openJpeg.capacity(), "reference size");
		int below = 0, above = 0, other = 0;
		for (int i = 0; i < values.length; i++) {
			double d = values[i] - openJpeg.getShort(2 * i);
			if (d == -1) below++;
			else if (d == 1) above++;
			else if (d != 0) other++;
		}
		assertEquals(0, other, "differences other than +-1");
		assertEquals(lower, below, "pixels 1 below OpenJPEG");
		assertEquals(higher, above, "pixels 1 above OpenJPEG");
		assertEquals(differing, below + above);
	}
}
