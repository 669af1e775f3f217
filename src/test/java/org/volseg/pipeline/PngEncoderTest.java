package org.volseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

/** The montage's PNG encoder: ImageIO's PNG reader gets the same pixels back; every chunk's CRC is right. */
class PngEncoderTest {

	@Test
	void imageIoReadsBackTheSamePixels() throws Exception {
		Random random = new Random(19);
		for (int type : new int[] { BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB }) {
			BufferedImage image = new BufferedImage(37, 23, type);
			for (int y = 0; y < 23; y++)
				for (int x = 0; x < 37; x++)
					image.setRGB(x, y, y % 4 == 1 ? image.getRGB(x, y - 1) // rows repeated, as in the montage
							: random.nextInt() | (type == BufferedImage.TYPE_INT_RGB ? 0xff000000 : 0));
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			PngEncoder.write(image, out);
			byte[] png = out.toByteArray();
			BufferedImage back = ImageIO.read(new ByteArrayInputStream(png));
			assertEquals(37, back.getWidth());
			assertEquals(23, back.getHeight());
			for (int y = 0; y < 23; y++)
				for (int x = 0; x < 37; x++)
					assertEquals(image.getRGB(x, y) & 0xffffff, back.getRGB(x, y) & 0xffffff, "pixel " + x + "," + y);
			assertEquals(List.of("IHDR", "IDAT", "IEND"), chunksWithValidCrc(png));
		}
	}

	/**
	 * The two halves compressed apart make one valid zlib stream (java.util.zip checks its Adler-32) of
	 * exactly the scanlines, for any height, the one-row image (an empty second half) included; a row
	 * equal to the one above (also the first row of the second half) is filter type 2 and all zeros.
	 */
	@Test
	void theHalvesJoinIntoOneZlibStreamOfTheScanlines() throws Exception {
		Random random = new Random(7);
		for (int height : new int[] { 1, 2, 23, 700 }) {
			int width = 301;
			BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
			for (int y = 0; y < height; y++)
				for (int x = 0; x < width; x++)
					image.setRGB(x, y, y % 3 == 0 ? random.nextInt() : (x / 7) * 0x010203 + y / 4); // noise, runs, repeats
			if (height == 700)
				for (int x = 0; x < width; x++)
					image.setRGB(x, 350, image.getRGB(x, 349)); // the second half starts with the first half's last row
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			PngEncoder.write(image, out);
			byte[] png = out.toByteArray();
			ByteBuffer b = ByteBuffer.wrap(png, 8 + 8 + 13 + 4, png.length - 8 - 8 - 13 - 4);
			int length = b.getInt();
			assertEquals("IDAT", new String(png, b.position(), 4, StandardCharsets.US_ASCII));
			byte[] idat = java.util.Arrays.copyOfRange(png, b.position() + 4, b.position() + 4 + length);
			java.util.zip.Inflater inflater = new java.util.zip.Inflater();
			inflater.setInput(idat);
			byte[] scanlines = new byte[height * (1 + 3 * width) + 1];
			int n = inflater.inflate(scanlines);
			assertTrue(inflater.finished(), "the stream ends, its Adler-32 checked");
			inflater.end();
			assertEquals(height * (1 + 3 * width), n);
			int repeated = 0;
			for (int y = 0; y < height; y++) {
				boolean same = y > 0;
				for (int x = 0; x < width && same; x++)
					same = image.getRGB(x, y) == image.getRGB(x, y - 1);
				int filter = scanlines[y * (1 + 3 * width)];
				assertEquals(same ? 2 : 0, filter, "row " + y + ": Up exactly for a row equal to the one above");
				repeated += same ? 1 : 0;
				for (int x = 0; x < width; x++) {
					int at = y * (1 + 3 * width) + 1 + 3 * x;
					int rgb = (scanlines[at] & 0xff) << 16 | (scanlines[at + 1] & 0xff) << 8 | scanlines[at + 2] & 0xff;
					assertEquals(same ? 0 : image.getRGB(x, y) & 0xffffff, rgb, "row " + y + " pixel " + x);
				}
			}
			if (height == 700)
				assertTrue(repeated > 100, repeated + " repeated rows");
		}
	}

	@Test
	void adler32OfTwoPartsCombines() {
		Random random = new Random(3);
		for (int[] sizes : new int[][] { { 0, 0 }, { 5, 0 }, { 0, 9 }, { 1, 1 }, { 70000, 130001 }, { 3, 5_000_000 } }) {
			byte[] a = new byte[sizes[0]], c = new byte[sizes[1]];
			random.nextBytes(a);
			java.util.Arrays.fill(c, (byte) 0xff); // the sums wrap many times
			java.util.zip.Adler32 whole = new java.util.zip.Adler32(), first = new java.util.zip.Adler32(),
					second = new java.util.zip.Adler32();
			whole.update(a);
			whole.update(c);
			first.update(a);
			second.update(c);
			assertEquals((int) whole.getValue(),
					PngEncoder.combineAdler32((int) first.getValue(), (int) second.getValue(), c.length));
		}
	}

	/** The chunk types in order, after checking the signature and each chunk's CRC-32 (over type and data). */
	private static List<String> chunksWithValidCrc(byte[] png) {
		assertArrayEquals(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' }, java.util.Arrays.copyOf(png, 8));
		ByteBuffer b = ByteBuffer.wrap(png, 8, png.length - 8);
		List<String> types = new ArrayList<>();
		while (b.hasRemaining()) {
			int length = b.getInt();
			byte[] typeAndData = new byte[4 + length];
			b.get(typeAndData);
			CRC32 crc = new CRC32();
			crc.update(typeAndData);
			assertEquals((int) crc.getValue(), b.getInt());
			types.add(new String(typeAndData, 0, 4, StandardCharsets.US_ASCII));
		}
		return types;
	}
}
