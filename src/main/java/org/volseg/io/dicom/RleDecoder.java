package org.volseg.io.dicom;

import java.nio.file.Path;

import org.volseg.VolumeFormatException;

/**
 * Decodes one frame of DICOM RLE Lossless (PS3.5 annex G): a 64-byte header of segment offsets,
 * then one PackBits segment per byte plane, most significant byte first, sample after sample.
 * Stateless and thread-safe.
 */
final class RleDecoder {

	private RleDecoder() {
	}

	/**
	 * Decodes a frame into raw sample words (before masking), interleaved by pixel: {@code out[p * samples + s]}.
	 *
	 * @param data the frame's fragment bytes, from {@code offset} for {@code length} bytes
	 */
	static void decode(Path file, int frame, byte[] data, int offset, int length, PixelFormat f, long[] out) {
		if (length < 64)
			throw new VolumeFormatException(file, "RLE frame " + frame + " is " + length + " bytes, shorter than its 64-byte header");
		int segments = DicomInput.readIntLE(data, offset);
		int bytesPerSample = f.bitsAllocated() / 8;
		if (f.bitsAllocated() == 1 || segments != f.samples() * bytesPerSample)
			throw new VolumeFormatException(file, "RLE frame " + frame + " has " + segments + " segments, expected "
					+ f.samples() * Math.max(1, bytesPerSample) + " for " + f.samples() + " samples of " + f.bitsAllocated() + " bits");
		int pixels = f.rows() * f.columns();
		byte[] plane = new byte[pixels];
		int samples = f.samples();
		for (int seg = 0; seg < segments; seg++) {
			long start = DicomInput.readIntLE(data, offset + 4 + seg * 4) & 0xFFFFFFFFL;
			long end = seg + 1 < segments ? DicomInput.readIntLE(data, offset + 8 + seg * 4) & 0xFFFFFFFFL : length;
			if (start < 64 || end > length || start > end)
				throw new VolumeFormatException(file, "RLE frame " + frame + ": segment " + seg + " offsets ["
						+ start + ", " + end + ") fall outside the frame's " + length + " bytes");
			unpackBits(file, frame, data, offset + (int) start, offset + (int) end, plane);
			int sample = seg / bytesPerSample;
			int shift = 8 * (bytesPerSample - 1 - seg % bytesPerSample);
			for (int p = 0; p < pixels; p++)
				out[p * samples + sample] |= (long) (plane[p] & 0xFF) << shift;
		}
	}

	private static void unpackBits(Path file, int frame, byte[] in, int pos, int end, byte[] out) {
		int o = 0;
		while (o < out.length && pos < end) {
			int n = in[pos++];
			if (n >= 0) {
				int count = n + 1;
				if (pos + count > end || o + count > out.length)
					throw corrupt(file, frame);
				System.arraycopy(in, pos, out, o, count);
				pos += count;
				o += count;
			} else if (n != -128) {
				int count = 1 - n;
				if (pos >= end || o + count > out.length)
					throw corrupt(file, frame);
				byte b = in[pos++];
				for (int i = 0; i < count; i++)
					out[o++] = b;
			}
		}
		if (o != out.length)
			throw new VolumeFormatException(file, "RLE frame " + frame + ": a segment decodes to " + o + " bytes, expected "
					+ out.length + "; the pixel data are truncated or corrupt");
	}

	private static VolumeFormatException corrupt(Path file, int frame) {
		return new VolumeFormatException(file, "RLE frame " + frame + ": a run overruns its segment; the pixel data are corrupt");
	}
}
