package org.volseg.pipeline;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes an image as a PNG file (ISO/IEC 15948): 8-bit RGB (colour type 2), no interlace, every row
 * with filter type 0 (None), the rows in one zlib stream at level 1 (the fastest) in one IDAT chunk. Alpha
 * is dropped. Written for the montage instead of {@code javax.imageio}: ImageIO's first use in a JVM
 * looks through every jar of the class path for image plug-ins, which cost the README's main job
 * about 0.2 s (docs/benchmarks.md, "Pipeline overhead"); the pixels are the same, the file a bit
 * larger. Level 1 takes the README's montage (1024 x 768) about 10 ms instead of 26 ms at the default
 * level 6, for a file of 167 KB instead of 121 KB. Stateless.
 */
final class PngEncoder {

	private static final byte[] SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

	private PngEncoder() {
	}

	/** Writes {@code image} to {@code out} (not closed). */
	static void write(BufferedImage image, OutputStream out) throws IOException {
		int width = image.getWidth(), height = image.getHeight();
		int[] argb = image.getType() == BufferedImage.TYPE_INT_RGB
				? ((DataBufferInt) image.getRaster().getDataBuffer()).getData()
				: image.getRGB(0, 0, width, height, null, 0, width);
		DataOutputStream data = new DataOutputStream(out);
		data.write(SIGNATURE);
		ByteArrayOutputStream header = new ByteArrayOutputStream(13);
		DataOutputStream h = new DataOutputStream(header);
		h.writeInt(width);
		h.writeInt(height);
		h.writeByte(8); // bits per sample
		h.writeByte(2); // colour type: RGB
		h.writeByte(0); // compression: deflate
		h.writeByte(0); // filter method 0
		h.writeByte(0); // no interlace
		chunk(data, "IHDR", header.toByteArray());
		ByteArrayOutputStream compressed = new ByteArrayOutputStream(width * height / 4 + 1024);
		Deflater deflater = new Deflater(Deflater.BEST_SPEED);
		try (DeflaterOutputStream z = new DeflaterOutputStream(compressed, deflater, 1 << 16)) {
			byte[] row = new byte[1 + 3 * width]; // filter byte 0, then R, G, B per pixel
			for (int y = 0; y < height; y++) {
				for (int x = 0, i = y * width, k = 1; x < width; x++, i++) {
					int p = argb[i];
					row[k++] = (byte) (p >> 16);
					row[k++] = (byte) (p >> 8);
					row[k++] = (byte) p;
				}
				z.write(row);
			}
		} finally {
			deflater.end();
		}
		chunk(data, "IDAT", compressed.toByteArray());
		chunk(data, "IEND", new byte[0]);
		data.flush();
	}

	private static void chunk(DataOutputStream out, String type, byte[] content) throws IOException {
		byte[] t = type.getBytes(StandardCharsets.US_ASCII);
		CRC32 crc = new CRC32();
		crc.update(t);
		crc.update(content);
		out.writeInt(content.length);
		out.write(t);
		out.write(content);
		out.writeInt((int) crc.getValue());
	}
}
