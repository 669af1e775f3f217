package org.volseg.io.dicom;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.volseg.VolumeFormatException;
import org.volseg.io.HeapBudget;

/**
 * Decodes the frames of a fully read {@link DicomFile} into stored pixel values: native 1, 8, 16
 * and 32 bits (signed or unsigned, BitsStored below BitsAllocated masked and sign-extended, either
 * byte order), RLE Lossless, JPEG baseline and lossless (TwelveMonkeys), JPEG 2000 (jai-imageio;
 * the file's PixelRepresentation wins over the codestream's signedness). Native YBR_FULL is
 * converted to RGB; JPEG colour comes out as the codec converts it (RGB).
 *
 * <p>Values are the stored values, before rescale and before MONOCHROME1 inversion. Construction
 * checks everything it can without decoding (format, transfer syntax, pixel data length), so
 * refusals come early. {@link #decodeFrame} is thread-safe.</p>
 */
final class PixelDecoder implements FrameDecoder {

	private final Path file;
	private final PixelFormat format;
	private final TransferSyntax syntax;
	private final PixelData data;
	/** Encapsulated: for each frame, the fragments {offset, length} that make it up. */
	private final List<List<int[]>> frameFragments;

	private PixelDecoder(Path file, PixelFormat format, TransferSyntax syntax, PixelData data,
			List<List<int[]>> frameFragments) {
		this.file = file;
		this.format = format;
		this.syntax = syntax;
		this.data = data;
		this.frameFragments = frameFragments;
	}

	/**
	 * A decoder for a file read with {@link DicomParser#readFile}.
	 *
	 * @throws VolumeFormatException if the file has no pixel data, its transfer syntax is not
	 *         supported (the message names it and a conversion tool) or its pixel data are too short
	 */
	public static PixelDecoder of(DicomFile dicom) {
		Path file = dicom.path();
		if (!dicom.hasPixelData())
			throw new VolumeFormatException(file, "no pixel data (not an image, or the header only was read)");
		PixelFormat f = PixelFormat.of(file, dicom.dataset());
		TransferSyntax ts = dicom.transferSyntax();
		String uid = dicom.transferSyntaxUid();
		if (ts == null || ts.codec() == TransferSyntax.Codec.UNSUPPORTED)
			throw new VolumeFormatException(file, "pixel data in " + TransferSyntax.describe(uid)
					+ " cannot be decoded by VolSeg; " + TransferSyntax.conversionHint(uid));
		PixelData pd = dicom.pixelData();
		if (!ts.encapsulated()) {
			if (pd.encapsulated())
				throw new VolumeFormatException(file, "encapsulated pixel data in the uncompressed " + ts);
			if (f.photometric().endsWith("_420") || f.photometric().endsWith("_422") && !nativeYbr422(f))
				throw new VolumeFormatException(file, "native " + f.photometric() + " (chroma-subsampled) pixel data with "
						+ f.bitsAllocated() + " bits, " + f.samples() + " samples, planar configuration "
						+ f.planarConfiguration() + " are not supported (only 8-bit, interleaved YBR_FULL_422); "
						+ TransferSyntax.conversionHint(uid));
			long needed = f.bitsAllocated() == 1 ? ((long) f.valuesPerFrame() * f.frames() + 7) / 8
					: f.nativeFrameBytes() * f.frames();
			if (pd.length < needed)
				throw new VolumeFormatException(file, "the pixel data are " + pd.length + " bytes, too short for "
						+ f.frames() + " frame(s) of " + f.columns() + " x " + f.rows() + " x " + f.samples()
						+ " samples of " + f.bitsAllocated() + " bits (" + needed + " bytes); the file is truncated or corrupt");
			return new PixelDecoder(file, f, ts, pd, null);
		}
		if (!pd.encapsulated())
			throw new VolumeFormatException(file, "the pixel data of a compressed " + ts + " file are not encapsulated;"
					+ " the file is corrupt");
		if (ts.codec() == TransferSyntax.Codec.RLE)
			checkRleLength(file, f, pd);
		return new PixelDecoder(file, f, ts, pd, splitFrames(file, pd, f.frames(), ts));
	}

	/**
	 * RLE cannot compress better than 2 bytes for a run of 128, plus a 64-byte header per frame: a
	 * header declaring more frames or larger frames than the fragments present can hold is corrupt
	 * (refused before anything is allocated for them).
	 */
	private static void checkRleLength(Path file, PixelFormat f, PixelData pd) {
		long present = 0;
		for (int[] frag : pd.fragments)
			present += frag[1];
		long bytesPerFrame = (long) f.valuesPerFrame() * Math.max(1, f.bitsAllocated() / 8);
		long minimum = f.frames() * (64 + 2 * ((bytesPerFrame + 127) / 128));
		if (present < minimum)
			throw new VolumeFormatException(file, "the RLE pixel data are " + present + " bytes, but " + f.frames()
					+ " frame(s) of " + f.columns() + " x " + f.rows() + " x " + f.samples() + " samples need at least "
					+ minimum + " even fully compressed; the header (Rows, Columns, NumberOfFrames) or the pixel data are"
					+ " corrupt");
	}

	@Override
	public PixelFormat format() {
		return format;
	}

	public TransferSyntax transferSyntax() {
		return syntax;
	}

	/**
	 * Decodes one frame.
	 *
	 * @param frame 0-based frame index
	 * @param out receives {@code rows * columns * samples} stored values, row by row, samples of a
	 *        pixel adjacent ({@code out[(row * columns + column) * samples + sample]})
	 * @throws VolumeFormatException if the frame's data are corrupt
	 */
	@Override
	public void decodeFrame(int frame, double[] out) {
		if (frame < 0 || frame >= format.frames())
			throw new IndexOutOfBoundsException("frame " + frame + " of " + format.frames());
		int n = format.valuesPerFrame();
		if (out.length < n)
			throw new IllegalArgumentException("output holds " + out.length + " values, a frame has " + n);
		if (!syntax.encapsulated() && format.bitsAllocated() == 16 && format.samples() == 1) {
			decodeNative16(frame, out);
			return;
		}
		// compressed frames are as large as the header says (Rows x Columns x samples): the heap must hold them
		if (syntax.encapsulated())
			HeapBudget.require(file, 8L * n, "decoding a frame of " + format.columns() + " x " + format.rows() + " x "
					+ format.samples() + " values");
		long[] raw = new long[n];
		boolean ybr422 = !syntax.encapsulated() && nativeYbr422(format);
		if (ybr422)
			readNativeYbr422(frame, raw);
		else if (!syntax.encapsulated())
			readNative(frame, raw);
		else if (syntax.codec() == TransferSyntax.Codec.RLE) {
			List<int[]> frags = frameFragments.get(frame);
			byte[] bytes = data.buffer;
			int offset, length;
			if (frags.size() == 1) {
				offset = frags.get(0)[0];
				length = frags.get(0)[1];
			} else {
				bytes = concat(frags);
				offset = 0;
				length = bytes.length;
			}
			RleDecoder.decode(file, frame, bytes, offset, length, format, raw);
		} else if (syntax.codec() == TransferSyntax.Codec.JPEG_LS)
			JpegLsDecoder.decode(file, frame, concat(frameFragments.get(frame)), format, raw); // VolSeg's own (none on Maven Central)
		else if (syntax == TransferSyntax.JPEG_EXTENDED && format.bitsStored() > 8 && format.samples() == 1)
			// TwelveMonkeys and the JDK stop at 12-bit extended JPEG ("missing SOS marker"): VolSeg's own decoder
			ExtendedJpegDecoder.decode(file, frame, concat(frameFragments.get(frame)), format, raw);
		else
			ImageIoFrameDecoder.decode(file, frame, concat(frameFragments.get(frame)), format, syntax, raw);
		boolean nativePlanar = format.samples() > 1 && format.planarConfiguration() == 1 && !syntax.encapsulated();
		int pixels = format.rows() * format.columns();
		for (int i = 0; i < n; i++) {
			int src = nativePlanar ? (i % 3) * pixels + i / 3 : i;
			out[i] = stored(raw[src]);
		}
		if (format.samples() == 3 && (format.photometric().equals("YBR_FULL") || ybr422) && syntax.codec() != TransferSyntax.Codec.JPEG
				&& syntax.codec() != TransferSyntax.Codec.JPEG_2000)
			ybrFullToRgb(out, n);
	}

	@Override
	public void decodeFrameRescaled(int frame, float[] out, int offset, double slope, double intercept, boolean invert) {
		if (syntax.encapsulated() || format.bitsAllocated() != 16 || format.samples() != 1 || format.bitsStored() != 16
				|| invert || frame < 0 || frame >= format.frames()) {
			FrameDecoder.super.decodeFrameRescaled(frame, out, offset, slope, intercept, invert);
			return;
		}
		byte[] b = data.buffer;
		int n = format.valuesPerFrame();
		int p = data.offset + frame * n * 2;
		boolean signed = format.signed();
		float s = (float) slope, c = (float) intercept;
		boolean exact = s == slope && c == intercept;
		if (!data.bigEndian && exact) {
			for (int i = 0; i < n; i++, p += 2) {
				int v = (b[p + 1] & 0xFF) << 8 | (b[p] & 0xFF);
				out[offset + i] = (signed ? (short) v : v) * s + c;
			}
			return;
		}
		for (int i = 0; i < n; i++, p += 2) {
			int v = data.bigEndian ? (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF) : (b[p + 1] & 0xFF) << 8 | (b[p] & 0xFF);
			out[offset + i] = (float) ((signed ? (short) v : v) * slope + intercept);
		}
	}

	private double stored(long raw) {
		int shift = format.highBit() + 1 - format.bitsStored();
		long v = (raw >>> shift) & ((1L << format.bitsStored()) - 1);
		if (format.signed() && (v & (1L << (format.bitsStored() - 1))) != 0)
			v -= 1L << format.bitsStored();
		return v;
	}

	private void decodeNative16(int frame, double[] out) {
		byte[] b = data.buffer;
		int n = format.valuesPerFrame();
		int p = data.offset + frame * n * 2;
		int shift = format.highBit() + 1 - format.bitsStored();
		int bits = format.bitsStored();
		int mask = (1 << bits) - 1;
		boolean signed = format.signed();
		boolean big = data.bigEndian;
		if (shift == 0 && bits == 16) {
			for (int i = 0; i < n; i++, p += 2) {
				int v = big ? (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF) : (b[p + 1] & 0xFF) << 8 | (b[p] & 0xFF);
				out[i] = signed ? (short) v : v;
			}
			return;
		}
		int signBit = 1 << (bits - 1);
		for (int i = 0; i < n; i++, p += 2) {
			int v = big ? (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF) : (b[p + 1] & 0xFF) << 8 | (b[p] & 0xFF);
			v = (v >>> shift) & mask;
			if (signed && (v & signBit) != 0)
				v -= 1 << bits;
			out[i] = v;
		}
	}

	private void readNative(int frame, long[] raw) {
		byte[] b = data.buffer;
		int n = format.valuesPerFrame();
		int bits = format.bitsAllocated();
		if (bits == 1) {
			long bit0 = (long) frame * n;
			for (int i = 0; i < n; i++) {
				long bit = bit0 + i;
				raw[i] = (b[data.offset + (int) (bit >>> 3)] >>> (bit & 7)) & 1;
			}
			return;
		}
		int bytes = bits / 8;
		long p = data.offset + (long) frame * n * bytes;
		boolean big = data.bigEndian && bytes > 1;
		for (int i = 0; i < n; i++) {
			long v = 0;
			for (int k = 0; k < bytes; k++) {
				int idx = (int) p + (big ? k : bytes - 1 - k);
				v = (v << 8) | (b[idx] & 0xFF);
			}
			raw[i] = v;
			p += bytes;
		}
	}

	/** Uncompressed YBR_FULL_422 as PS3.3 C.7.6.3.1.2 defines it: 8 bits, interleaved, chroma shared by pixel pairs. */
	static boolean nativeYbr422(PixelFormat f) {
		return f.photometric().equals("YBR_FULL_422") && f.samples() == 3 && f.bitsAllocated() == 8
				&& f.planarConfiguration() == 0;
	}

	/**
	 * Expands one frame of YBR_FULL_422 (per two pixels of a row: Y1 Y2 Cb Cr) to full YBR: both
	 * pixels take the pair's Cb and Cr. An odd last column uses the pair's first luma only.
	 */
	private void readNativeYbr422(int frame, long[] raw) {
		byte[] b = data.buffer;
		int rows = format.rows(), columns = format.columns();
		int rowBytes = (columns + 1) / 2 * 4;
		long base = data.offset + format.nativeFrameBytes() * frame;
		for (int r = 0; r < rows; r++) {
			int p = (int) (base + (long) r * rowBytes);
			for (int c = 0; c < columns; c += 2, p += 4) {
				int cb = b[p + 2] & 0xFF, cr = b[p + 3] & 0xFF;
				int o = (r * columns + c) * 3;
				raw[o] = b[p] & 0xFF;
				raw[o + 1] = cb;
				raw[o + 2] = cr;
				if (c + 1 < columns) {
					raw[o + 3] = b[p + 1] & 0xFF;
					raw[o + 4] = cb;
					raw[o + 5] = cr;
				}
			}
		}
	}

	private static void ybrFullToRgb(double[] v, int n) {
		for (int i = 0; i + 2 < n; i += 3) {
			double y = v[i], cb = v[i + 1] - 128, cr = v[i + 2] - 128;
			v[i] = clamp(Math.round(y + 1.402 * cr));
			v[i + 1] = clamp(Math.round(y - 0.344136 * cb - 0.714136 * cr));
			v[i + 2] = clamp(Math.round(y + 1.772 * cb));
		}
	}

	private static double clamp(double x) {
		return Math.max(0, Math.min(255, x));
	}

	private byte[] concat(List<int[]> frags) {
		int total = 0;
		for (int[] f : frags)
			total += f[1];
		byte[] out = new byte[total];
		int o = 0;
		for (int[] f : frags) {
			System.arraycopy(data.buffer, f[0], out, o, f[1]);
			o += f[1];
		}
		return out;
	}

	/** Assigns fragments to frames: by the basic offset table, one per frame, all to one frame, or by start markers. */
	private static List<List<int[]>> splitFrames(Path file, PixelData pd, int frames, TransferSyntax ts) {
		List<int[]> frags = pd.fragments;
		if (frags.isEmpty())
			throw new VolumeFormatException(file, "the encapsulated pixel data hold no fragments");
		List<List<int[]>> out = new ArrayList<>();
		if (pd.offsetTable.length == frames && frames > 1) {
			long[] starts = new long[frags.size()];
			long pos = 0;
			for (int i = 0; i < frags.size(); i++) {
				starts[i] = pos;
				pos += 8 + frags.get(i)[1];
			}
			for (int f = 0; f < frames; f++) {
				long lo = pd.offsetTable[f], hi = f + 1 < frames ? pd.offsetTable[f + 1] : Long.MAX_VALUE;
				List<int[]> these = new ArrayList<>();
				for (int i = 0; i < frags.size(); i++)
					if (starts[i] >= lo && starts[i] < hi)
						these.add(frags.get(i));
				if (these.isEmpty())
					throw new VolumeFormatException(file, "the basic offset table points frame " + f
							+ " at no fragment; the pixel data are corrupt");
				out.add(these);
			}
			return out;
		}
		if (frags.size() == frames) {
			for (int[] f : frags)
				out.add(List.of(f));
			return out;
		}
		if (frames == 1) {
			out.add(frags);
			return out;
		}
		if (ts.codec() == TransferSyntax.Codec.RLE)
			throw new VolumeFormatException(file, "RLE pixel data have " + frags.size() + " fragments for " + frames
					+ " frames; the pixel data are corrupt");
		List<int[]> current = null;
		for (int[] f : frags) {
			if (startsFrame(pd.buffer, f) || current == null) {
				current = new ArrayList<>();
				out.add(current);
			}
			current.add(f);
		}
		if (out.size() != frames)
			throw new VolumeFormatException(file, "the encapsulated pixel data hold " + out.size() + " frames, the header says "
					+ frames + "; the pixel data are corrupt or truncated");
		return out;
	}

	private static boolean startsFrame(byte[] b, int[] f) {
		if (f[1] < 2)
			return false;
		int a = b[f[0]] & 0xFF, c = b[f[0] + 1] & 0xFF;
		return (a == 0xFF && c == 0xD8) || (a == 0xFF && c == 0x4F) || (f[1] >= 8 && a == 0 && c == 0
				&& (b[f[0] + 4] & 0xFF) == 'j' && (b[f[0] + 5] & 0xFF) == 'P');
	}
}
