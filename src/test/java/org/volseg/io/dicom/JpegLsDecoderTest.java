package org.volseg.io.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.volseg.VolumeFormatException;

/**
 * JPEG-LS frames encoded by dcmtk's {@code dcmcjpls} and by CharLS (GDCM's {@code gdcmconv
 * --jpegls}), lossless and near-lossless, 8, 12 and 16 bits, signed and unsigned, default and
 * custom presets, decoded bit for bit as {@code dcmdjpls} and {@code gdcmconv --raw} decode them
 * (the references, in {@code dicom/jpegls/reference.tsv}, agree with each other).
 */
class JpegLsDecoderTest {

	static Stream<String[]> cases() throws IOException {
		List<String[]> rows = new ArrayList<>();
		for (String line : Files.readAllLines(DicomFixtureDecodeTest.resource("jpegls/reference.tsv"), StandardCharsets.UTF_8))
			if (!line.startsWith("#") && !line.isBlank())
				rows.add(line.split("\t"));
		return rows.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void decodesBitForBitLikeDcmtkAndCharLS(String file, String source, String encoder, String size, String sum, String sumSq,
			String min, String max, String deviation, String samples, String sha256) throws Exception {
		DicomFile dicom = new OwnDicomSource().readFile(DicomFixtureDecodeTest.resource("jpegls/" + file));
		assertEquals(TransferSyntax.Codec.JPEG_LS, dicom.transferSyntax().codec());
		FrameDecoder decoder = PixelDecoder.of(dicom);
		double[] values = new double[decoder.format().valuesPerFrame()];
		decoder.decodeFrame(0, values);
		assertEquals(size, decoder.format().columns() + "x" + decoder.format().rows());
		long s = 0, sq = 0;
		long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
		ByteBuffer le = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
		for (double v : values) {
			long x = (long) v;
			assertEquals(x, v, 0);
			s += x;
			sq += x * x;
			lo = Math.min(lo, x);
			hi = Math.max(hi, x);
			le.putInt((int) x);
		}
		assertEquals(Long.parseLong(sum), s, "sum");
		assertEquals(Long.parseLong(sumSq), sq, "sum of squares");
		assertEquals(Long.parseLong(min), lo, "min");
		assertEquals(Long.parseLong(max), hi, "max");
		for (String pair : samples.split(",")) {
			String[] iv = pair.split(":");
			assertEquals(Double.parseDouble(iv[1]), values[Integer.parseInt(iv[0])], "value " + iv[0]);
		}
		assertEquals(sha256, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(le.array())), "every value");
	}

	@Test
	void sampleInterleavedColourIsRefusedWithTheTool() {
		// dcmcjpls +is: one scan, ILV 2 (see the README); dcmdjpls decodes it
		VolumeFormatException e = assertThrows(VolumeFormatException.class,
				() -> StoredValueStatistics.of(DicomFormat.parser(), DicomFixtureDecodeTest.resource("jpegls/rgb8_sample_interleaved_dcmtk.dcm")));
		assertTrue(e.getMessage().contains("sample-interleaved scans (ILV 2) are not supported") && e.getMessage().contains("dcmdjpls"),
				e.getMessage());
	}

	@Test
	void pydicomFixtureDecodes() {
		// MR_small_jpeg_ls_lossless.dcm (pydicom's test data): pydicom + GDCM give these statistics
		StoredValueStatistics s = StoredValueStatistics.of(DicomFormat.parser(), DicomFixtureDecodeTest.resource("MR_small_jpeg_ls_lossless.dcm"));
		assertEquals(2125338.0, s.sum(), 0);
		assertEquals(1788440652.0, s.sumOfSquares(), 0);
	}

	/** The JPEG-LS stream of a single-fragment file: from its SOI + SOF55 to its EOI. */
	private static byte[] stream(Path file) throws IOException {
		byte[] b = Files.readAllBytes(file);
		int start = -1, end = -1;
		for (int i = 0; i + 3 < b.length; i++)
			if (start < 0 && (b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD8 && (b[i + 2] & 0xFF) == 0xFF && (b[i + 3] & 0xFF) == 0xF7)
				start = i;
		for (int i = b.length - 2; i > start; i--)
			if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) {
				end = i + 2;
				break;
			}
		assertTrue(start >= 0 && end > start, "a JPEG-LS stream in " + file);
		return java.util.Arrays.copyOfRange(b, start, end);
	}

	@Test
	void corruptStreamsAreClearErrors() throws Exception {
		Path file = DicomFixtureDecodeTest.resource("jpegls/ct12u_near2_dcmtk.dcm");
		PixelFormat f = PixelDecoder.of(new OwnDicomSource().readFile(file)).format();
		byte[] whole = stream(file);
		long[] out = new long[f.valuesPerFrame()];
		JpegLsDecoder.decode(file, 0, whole, f, out); // the stream as it is decodes
		for (int length : new int[] { 1, 20, whole.length / 2, whole.length - 2 }) {
			byte[] cut = java.util.Arrays.copyOf(whole, length);
			VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> JpegLsDecoder.decode(file, 0, cut, f, out));
			assertTrue(e.getMessage().startsWith(file + ": JPEG-LS frame 0: "), e.getMessage());
		}
		byte[] withTransform = whole.clone();
		int sos = 0;
		while (!((withTransform[sos] & 0xFF) == 0xFF && (withTransform[sos + 1] & 0xFF) == 0xDA)) sos++;
		withTransform[sos + 9] = 1; // FF DA, length, Ns, Cs, Tm, NEAR, ILV, then the point transform
		VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> JpegLsDecoder.decode(file, 0, withTransform, f, out));
		assertTrue(e.getMessage().contains("point transform 1 is not supported"), e.getMessage());
	}
}
