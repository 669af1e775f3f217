package org.volseg.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JPEG baseline frames in encapsulated pixel data without a basic offset table, one frame split
 * over two fragments: frames are found by their start-of-image markers.
 */
class EncapsulatedJpegTest {

	@TempDir
	Path tmp;

	private static byte[] jpeg(int w, int h, int seed) throws IOException {
		BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				img.getRaster().setSample(x, y, 0, (seed + 8 * x + 4 * y) % 256);
		ByteArrayOutputStream o = new ByteArrayOutputStream();
		assertTrue(ImageIO.write(img, "jpeg", o));
		return o.toByteArray();
	}

	private static double[] reference(byte[] jpeg) throws IOException {
		BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
		int[] s = img.getRaster().getSamples(0, 0, img.getWidth(), img.getHeight(), 0, (int[]) null);
		return Arrays.stream(s).asDoubleStream().toArray();
	}

	private static void item(ByteArrayOutputStream o, byte[] v, int from, int to) {
		int n = to - from;
		o.writeBytes(new byte[] { (byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, (byte) n, (byte) (n >> 8), (byte) (n >> 16), 0 });
		o.write(v, from, n);
	}

	@Test
	void framesSplitOverFragmentsAreReassembled() throws IOException {
		int w = 16, h = 8;
		byte[] a = jpeg(w, h, 0), b = jpeg(w, h, 100);
		if (a.length % 2 == 1)
			a = Arrays.copyOf(a, a.length + 1);
		if (b.length % 2 == 1)
			b = Arrays.copyOf(b, b.length + 1);
		ByteArrayOutputStream enc = new ByteArrayOutputStream();
		item(enc, new byte[0], 0, 0);
		int half = (a.length / 4) * 2;
		item(enc, a, 0, half);
		item(enc, a, half, a.length);
		item(enc, b, 0, b.length);
		enc.writeBytes(new byte[] { (byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0 });
		byte[] ds = new DicomElementWriter().text(Tags.MODALITY, "CS", "OT").us(Tags.SAMPLES_PER_PIXEL, 1)
				.text(Tags.PHOTOMETRIC_INTERPRETATION, "CS", "MONOCHROME2").text(Tags.NUMBER_OF_FRAMES, "IS", "2")
				.us(Tags.ROWS, h).us(Tags.COLUMNS, w).us(Tags.BITS_ALLOCATED, 8).us(Tags.BITS_STORED, 8).us(Tags.HIGH_BIT, 7)
				.us(Tags.PIXEL_REPRESENTATION, 0).raw(Tags.PIXEL_DATA, "OB", enc.toByteArray()).toBytes();
		int lengthAt = ds.length - enc.size() - 4;
		Arrays.fill(ds, lengthAt, lengthAt + 4, (byte) -1);
		Path p = tmp.resolve("jpeg");
		Files.write(p, DicomElementWriter.part10("1.2", "1.2.3", TransferSyntax.JPEG_BASELINE.uid(), ds));

		FrameDecoder d = PixelDecoder.of(DicomParser.readFile(p));
		assertEquals(2, d.format().frames());
		double[] out = new double[w * h];
		d.decodeFrame(0, out);
		assertArrayEquals(reference(a), out, 0);
		d.decodeFrame(1, out);
		assertArrayEquals(reference(b), out, 0);
		// lossy, but close to what was encoded
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				assertEquals((100 + 8 * x + 4 * y) % 256, out[y * w + x], 24);
	}

	@Test
	void colourBaselineJpegComesOutAsRgb() throws IOException {
		int w = 24, h = 16;
		BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				img.setRGB(x, y, (10 * x) << 16 | (15 * y) << 8 | 200);
		ByteArrayOutputStream o = new ByteArrayOutputStream();
		assertTrue(ImageIO.write(img, "jpeg", o));
		byte[] jpeg = o.toByteArray();
		if (jpeg.length % 2 == 1)
			jpeg = Arrays.copyOf(jpeg, jpeg.length + 1);
		ByteArrayOutputStream enc = new ByteArrayOutputStream();
		item(enc, new byte[0], 0, 0);
		item(enc, jpeg, 0, jpeg.length);
		enc.writeBytes(new byte[] { (byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0 });
		byte[] ds = new DicomElementWriter().text(Tags.MODALITY, "CS", "XC").us(Tags.SAMPLES_PER_PIXEL, 3)
				.text(Tags.PHOTOMETRIC_INTERPRETATION, "CS", "YBR_FULL_422").us(Tags.PLANAR_CONFIGURATION, 0)
				.us(Tags.ROWS, h).us(Tags.COLUMNS, w).us(Tags.BITS_ALLOCATED, 8).us(Tags.BITS_STORED, 8).us(Tags.HIGH_BIT, 7)
				.us(Tags.PIXEL_REPRESENTATION, 0).raw(Tags.PIXEL_DATA, "OB", enc.toByteArray()).toBytes();
		int lengthAt = ds.length - enc.size() - 4;
		Arrays.fill(ds, lengthAt, lengthAt + 4, (byte) -1);
		Path p = tmp.resolve("colour");
		Files.write(p, DicomElementWriter.part10("1.2", "1.2.3", TransferSyntax.JPEG_BASELINE.uid(), ds));
		FrameDecoder d = PixelDecoder.of(DicomParser.readFile(p));
		double[] out = new double[w * h * 3];
		d.decodeFrame(0, out);
		BufferedImage ref = ImageIO.read(new ByteArrayInputStream(jpeg));
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				int rgb = ref.getRGB(x, y);
				int i = (y * w + x) * 3;
				assertEquals((rgb >> 16) & 0xFF, out[i], 0, "red at " + x + "," + y);
				assertEquals((rgb >> 8) & 0xFF, out[i + 1], 0, "green at " + x + "," + y);
				assertEquals(rgb & 0xFF, out[i + 2], 0, "blue at " + x + "," + y);
				assertEquals(10 * x, out[i], 40, "red near the original at " + x + "," + y);
			}
	}
}
