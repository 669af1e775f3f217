package org.volseg.pipeline;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes an image as a PNG file (ISO/IEC 15948): 8-bit RGB (colour type 2), no interlace, every row
 * with filter type 0 (None), or 2 (Up) when it equals the row above (its bytes are then all 0; the
 * montage's tiles repeat most rows), the rows in one zlib stream at level 1 (the fastest) in one IDAT chunk. Alpha
 * is dropped. The top and bottom halves of the image are compressed at the same time, each as raw deflate
 * data (the first ending in a sync flush, the second not looking back into the first), and joined into the
 * one zlib stream with the Adler-32 of all rows: the file does not depend on the number of cores. Written for the montage instead of {@code javax.imageio}: ImageIO's first use in a JVM
 * looks through every jar of the class path for image plug-ins, which cost the README's main job
 * about 0.2 s (docs/benchmarks.md, "Pipeline overhead"); the pixels are the same, the file a bit
 * larger. Level 1 takes the README's montage (1024 x 768) about 10 ms instead of 26 ms at the default
 * level 6, for a file of 167 KB instead of 121 KB (154 KB with the Up rows). Stateless; the two
 * halves are compressed on the common fork-join pool and the calling thread.
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
		int half = (height + 1) / 2;
		Part[] parts = IntStream.of(0, 1).parallel()
				.mapToObj(p -> deflateRows(argb, width, p == 0 ? 0 : half, p == 0 ? half : height, p == 1))
				.toArray(Part[]::new);
		ByteArrayOutputStream compressed = new ByteArrayOutputStream(parts[0].deflated.length + parts[1].deflated.length + 6);
		compressed.write(0x78); // zlib header: deflate with a 32 KiB window,
		compressed.write(0x01); // the fastest level; (0x78 * 256 + 0x01) % 31 == 0
		compressed.write(parts[0].deflated);
		compressed.write(parts[1].deflated);
		int adler = combineAdler32(parts[0].adler, parts[1].adler, parts[1].length);
		compressed.write(new byte[] { (byte) (adler >>> 24), (byte) (adler >>> 16), (byte) (adler >>> 8), (byte) adler });
		chunk(data, "IDAT", compressed.toByteArray());
		chunk(data, "IEND", new byte[0]);
		data.flush();
	}

	/** Raw deflate data of some rows, with the Adler-32 and the length of the bytes it holds. */
	private record Part(byte[] deflated, int adler, long length) {
	}

	/**
	 * Rows {@code from} to {@code to} (exclusive) as PNG scanlines (filter byte 0, then R, G, B per pixel;
	 * or filter byte 2 and zeros for a row equal to the one above, which may be the last of the part before),
	 * deflated at level 1 without a zlib wrapper: ended as a whole stream if {@code last}, else with a sync
	 * flush (byte-aligned, no final block) so that another part can follow.
	 */
	private static Part deflateRows(int[] argb, int width, int from, int to, boolean last) {
		Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
		Adler32 adler = new Adler32();
		ByteArrayOutputStream out = new ByteArrayOutputStream((to - from) * width / 4 + 1024);
		byte[] row = new byte[1 + 3 * width], buffer = new byte[1 << 16];
		// a row equal to the one above: filter type 2 (Up) and nothing but zeros, which deflate at once
		byte[] sameAsAbove = new byte[1 + 3 * width];
		sameAsAbove[0] = 2;
		try {
			for (int y = from; y < to; y++) {
				byte[] line = row;
				if (y > 0 && Arrays.equals(argb, y * width, (y + 1) * width, argb, (y - 1) * width, y * width))
					line = sameAsAbove;
				else
					for (int x = 0, i = y * width, k = 1; x < width; x++, i++) {
						int p = argb[i];
						row[k++] = (byte) (p >> 16);
						row[k++] = (byte) (p >> 8);
						row[k++] = (byte) p;
					}
				adler.update(line);
				deflater.setInput(line);
				while (!deflater.needsInput())
					out.write(buffer, 0, deflater.deflate(buffer));
			}
			if (last) {
				deflater.finish();
				while (!deflater.finished())
					out.write(buffer, 0, deflater.deflate(buffer));
			} else {
				int n;
				do {
					n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
					out.write(buffer, 0, n);
				} while (n == buffer.length);
			}
		} finally {
			deflater.end();
		}
		return new Part(out.toByteArray(), (int) adler.getValue(), (long) (to - from) * row.length);
	}

	/** The Adler-32 of two byte sequences one after the other, from theirs and the second's length. */
	static int combineAdler32(int first, int second, long secondLength) {
		final int base = 65521;
		long remainder = secondLength % base;
		long a1 = first & 0xffffL, b1 = first >>> 16 & 0xffffL, a2 = second & 0xffffL, b2 = second >>> 16 & 0xffffL;
		// a = 1 + all bytes, b = sum of the running a's: the second's a's each grow by a1 - 1
		long a = (a1 + a2 + base - 1) % base;
		long b = (b1 + b2 + remainder * (a1 + base - 1)) % base;
		return (int) (b << 16 | a);
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
