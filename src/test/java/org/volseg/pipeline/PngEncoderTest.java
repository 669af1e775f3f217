package org.volseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
					image.setRGB(x, y, random.nextInt() | (type == BufferedImage.TYPE_INT_RGB ? 0xff000000 : 0));
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
