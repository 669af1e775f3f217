package org.volseg.io.dicom;

import java.nio.file.Path;

import org.volseg.VolumeFormatException;

/**
 * Decodes single-component, Huffman-coded, sequential DCT JPEG (ISO 10918-1 baseline and
 * extended, processes 1, 2 and 4) at 8 or 12 bits per sample: what DICOM's "JPEG Extended
 * (Process 2 and 4)" holds for 12-bit CT and NM images, which no Java decoder on Maven Central
 * reads. The inverse DCT is the IJG library's integer one, so values match libjpeg-based decoders
 * (dcmtk's dcmdjpeg, GDCM). Stateless and thread-safe.
 */
final class ExtendedJpegDecoder {

	private static final int[] ZIGZAG = { 0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48,
			41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52,
			45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63 };

	private ExtendedJpegDecoder() {
	}

	/** A canonical Huffman table. */
	private static final class Huffman {
		final int[] maxCode = new int[18], valPtr = new int[17], minCode = new int[17];
		final int[] values;

		Huffman(int[] counts, int[] values) {
			this.values = values;
			int code = 0, k = 0;
			for (int l = 1; l <= 16; l++) {
				valPtr[l] = k;
				minCode[l] = code;
				code += counts[l - 1];
				k += counts[l - 1];
				maxCode[l] = counts[l - 1] == 0 ? -1 : code - 1;
				code <<= 1;
			}
			maxCode[17] = Integer.MAX_VALUE;
		}
	}

	/** Reads entropy-coded bits, removing stuffed zero bytes; past a marker it feeds zeros. */
	private static final class Bits {
		final byte[] d;
		int pos, end, acc, count;
		boolean marker;

		Bits(byte[] d, int pos, int end) {
			this.d = d;
			this.pos = pos;
			this.end = end;
		}

		int bit() {
			if (count == 0) {
				int b = 0;
				if (!marker && pos < end) {
					b = d[pos] & 0xFF;
					if (b == 0xFF) {
						int next = pos + 1 < end ? d[pos + 1] & 0xFF : 0xD9;
						if (next == 0) {
							pos += 2;
						} else {
							marker = true;
							b = 0;
						}
					} else
						pos++;
				}
				acc = b;
				count = 8;
			}
			count--;
			return (acc >> count) & 1;
		}

		int bits(int n) {
			int v = 0;
			for (int i = 0; i < n; i++)
				v = (v << 1) | bit();
			return v;
		}

		int decode(Huffman h, Path file, int frame) {
			int code = bit();
			int l = 1;
			while (code > h.maxCode[l]) {
				code = (code << 1) | bit();
				if (++l > 16)
					throw new VolumeFormatException(file, "JPEG frame " + frame + ": bad Huffman code; the pixel data are corrupt");
			}
			int idx = h.valPtr[l] + code - h.minCode[l];
			if (idx < 0 || idx >= h.values.length)
				throw new VolumeFormatException(file, "JPEG frame " + frame + ": bad Huffman code; the pixel data are corrupt");
			return h.values[idx];
		}

		/** Skips to the next restart marker and past it. */
		void restart() {
			count = 0;
			if (!marker) {
				while (pos + 1 < end && !((d[pos] & 0xFF) == 0xFF && (d[pos + 1] & 0xF8) == 0xD0))
					pos++;
			}
			if (pos + 1 < end && (d[pos] & 0xFF) == 0xFF && (d[pos + 1] & 0xF8) == 0xD0)
				pos += 2;
			marker = false;
		}
	}

	private static int extend(int v, int s) {
		return s == 0 ? 0 : v < (1 << (s - 1)) ? v - (1 << s) + 1 : v;
	}

	/**
	 * @param out receives rows x columns samples, row by row
	 * @throws VolumeFormatException for a JPEG this decoder does not handle or corrupt data
	 */
	static void decode(Path file, int frame, byte[] d, PixelFormat f, long[] out) {
		int[][] quant = new int[4][];
		Huffman[] dc = new Huffman[4], ac = new Huffman[4];
		int precision = 0, width = 0, height = 0, tq = 0, restartInterval = 0;
		int p = 0;
		if (d.length < 4 || (d[0] & 0xFF) != 0xFF || (d[1] & 0xFF) != 0xD8)
			throw corrupt(file, frame, "no start-of-image marker");
		p = 2;
		while (p + 4 <= d.length) {
			if ((d[p] & 0xFF) != 0xFF) {
				p++;
				continue;
			}
			int marker = d[p + 1] & 0xFF;
			if (marker == 0xFF) {
				p++;
				continue;
			}
			if (marker == 0xD9)
				break;
			int len = (d[p + 2] & 0xFF) << 8 | (d[p + 3] & 0xFF);
			int s = p + 4, e = p + 2 + len;
			if (e > d.length)
				throw corrupt(file, frame, "a marker segment runs past the end of the data");
			switch (marker) {
			case 0xDB: // DQT
				while (s < e) {
					int pq = (d[s] & 0xFF) >> 4, id = d[s] & 3;
					s++;
					int[] q = new int[64];
					for (int i = 0; i < 64; i++) {
						q[i] = pq == 0 ? d[s] & 0xFF : (d[s] & 0xFF) << 8 | (d[s + 1] & 0xFF);
						s += pq == 0 ? 1 : 2;
					}
					quant[id] = q;
				}
				break;
			case 0xC4: // DHT
				while (s < e) {
					int tc = (d[s] & 0xFF) >> 4, th = d[s] & 3;
					s++;
					int[] counts = new int[16];
					int total = 0;
					for (int i = 0; i < 16; i++)
						total += counts[i] = d[s + i] & 0xFF;
					s += 16;
					int[] values = new int[total];
					for (int i = 0; i < total; i++)
						values[i] = d[s + i] & 0xFF;
					s += total;
					(tc == 0 ? dc : ac)[th] = new Huffman(counts, values);
				}
				break;
			case 0xC0: case 0xC1: // SOF baseline, extended sequential Huffman
				precision = d[s] & 0xFF;
				height = (d[s + 1] & 0xFF) << 8 | (d[s + 2] & 0xFF);
				width = (d[s + 3] & 0xFF) << 8 | (d[s + 4] & 0xFF);
				if ((d[s + 5] & 0xFF) != 1)
					throw unsupported(file, frame, (d[s + 5] & 0xFF) + " components");
				tq = d[s + 8] & 3;
				break;
			case 0xC2: case 0xC3: case 0xC5: case 0xC6: case 0xC7: case 0xC9: case 0xCA: case 0xCB: case 0xCD: case 0xCE:
			case 0xCF:
				throw unsupported(file, frame, String.format("frame type SOF%d", marker - 0xC0));
			case 0xDD:
				restartInterval = (d[s] & 0xFF) << 8 | (d[s + 1] & 0xFF);
				break;
			case 0xDA: { // SOS
				if (precision == 0)
					throw corrupt(file, frame, "scan before the frame header");
				if (width != f.columns() || height != f.rows())
					throw corrupt(file, frame, "the JPEG is " + width + " x " + height + ", the header says " + f.columns()
							+ " x " + f.rows());
				int tables = d[s + 2] & 0xFF;
				Huffman hdc = dc[tables >> 4 & 3], hac = ac[tables & 3];
				int[] q = quant[tq];
				if (hdc == null || hac == null || q == null)
					throw corrupt(file, frame, "a Huffman or quantisation table is missing");
				decodeScan(file, frame, new Bits(d, e, d.length), hdc, hac, q, precision, width, height, restartInterval, out);
				return;
			}
			default:
				break;
			}
			p = e;
		}
		throw corrupt(file, frame, "no scan");
	}

	private static void decodeScan(Path file, int frame, Bits bits, Huffman hdc, Huffman hac, int[] q, int precision,
			int width, int height, int restartInterval, long[] out) {
		int bw = (width + 7) / 8, bh = (height + 7) / 8;
		long[] coef = new long[64];
		long[] tmp = new long[64];
		int passBits = precision <= 8 ? 2 : 1;
		int pred = 0;
		int max = (1 << precision) - 1, shift = 1 << (precision - 1);
		int mcu = 0;
		for (int by = 0; by < bh; by++)
			for (int bx = 0; bx < bw; bx++) {
				if (restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0) {
					bits.restart();
					pred = 0;
				}
				mcu++;
				java.util.Arrays.fill(coef, 0);
				int t = bits.decode(hdc, file, frame);
				if (t > 16)
					throw corrupt(file, frame, "bad DC difference category " + t);
				pred += extend(bits.bits(t), t);
				coef[0] = pred * q[0];
				for (int k = 1; k < 64;) {
					int rs = bits.decode(hac, file, frame);
					int r = rs >> 4, s = rs & 15;
					if (s == 0) {
						if (r != 15)
							break;
						k += 16;
						continue;
					}
					k += r;
					if (k > 63)
						throw corrupt(file, frame, "AC coefficients run past the block");
					coef[ZIGZAG[k]] = extend(bits.bits(s), s) * q[k];
					k++;
				}
				idct(coef, tmp, passBits);
				for (int y = 0; y < 8; y++) {
					int py = by * 8 + y;
					if (py >= height)
						break;
					for (int x = 0; x < 8; x++) {
						int px = bx * 8 + x;
						if (px >= width)
							break;
						long v = tmp[y * 8 + x] + shift;
						out[py * width + px] = Math.max(0, Math.min(max, v));
					}
				}
			}
	}

	private static final int CONST_BITS = 13;
	private static final long FIX_0_298631336 = 2446, FIX_0_390180644 = 3196, FIX_0_541196100 = 4433,
			FIX_0_765366865 = 6270, FIX_0_899976223 = 7373, FIX_1_175875602 = 9633, FIX_1_501321110 = 12299,
			FIX_1_847759065 = 15137, FIX_1_961570560 = 16069, FIX_2_053119869 = 16819, FIX_2_562915447 = 20995,
			FIX_3_072711026 = 25172;

	private static long descale(long x, int n) {
		return (x + (1L << (n - 1))) >> n;
	}

	/**
	 * The "slow but accurate" integer inverse DCT of the IJG library (jidctint.c), so that results
	 * match libjpeg-based decoders (dcmtk, GDCM) exactly. {@code in} holds dequantised
	 * coefficients in natural order; {@code out} receives level-unshifted samples.
	 */
	private static void idct(long[] in, long[] out, int passBits) {
		long[] ws = new long[64];
		for (int c = 0; c < 8; c++) {
			long[] t = butterfly(in[c], in[8 + c], in[16 + c], in[24 + c], in[32 + c], in[40 + c], in[48 + c], in[56 + c]);
			for (int k = 0; k < 8; k++)
				ws[k * 8 + c] = descale(t[k], CONST_BITS - passBits);
		}
		for (int r = 0; r < 8; r++) {
			int o = r * 8;
			long[] t = butterfly(ws[o], ws[o + 1], ws[o + 2], ws[o + 3], ws[o + 4], ws[o + 5], ws[o + 6], ws[o + 7]);
			for (int k = 0; k < 8; k++)
				out[o + k] = descale(t[k], CONST_BITS + passBits + 3);
		}
	}

	/** One 8-point pass, outputs scaled by 2^CONST_BITS. */
	private static long[] butterfly(long i0, long i1, long i2, long i3, long i4, long i5, long i6, long i7) {
		long z2 = i2, z3 = i6;
		long z1 = (z2 + z3) * FIX_0_541196100;
		long tmp2 = z1 + z3 * -FIX_1_847759065;
		long tmp3 = z1 + z2 * FIX_0_765366865;
		long tmp0 = (i0 + i4) << CONST_BITS;
		long tmp1 = (i0 - i4) << CONST_BITS;
		long tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
		tmp0 = i7;
		tmp1 = i5;
		tmp2 = i3;
		tmp3 = i1;
		z1 = tmp0 + tmp3;
		z2 = tmp1 + tmp2;
		z3 = tmp0 + tmp2;
		long z4 = tmp1 + tmp3;
		long z5 = (z3 + z4) * FIX_1_175875602;
		tmp0 *= FIX_0_298631336;
		tmp1 *= FIX_2_053119869;
		tmp2 *= FIX_3_072711026;
		tmp3 *= FIX_1_501321110;
		z1 *= -FIX_0_899976223;
		z2 *= -FIX_2_562915447;
		z3 *= -FIX_1_961570560;
		z4 *= -FIX_0_390180644;
		z3 += z5;
		z4 += z5;
		tmp0 += z1 + z3;
		tmp1 += z2 + z4;
		tmp2 += z2 + z3;
		tmp3 += z1 + z4;
		return new long[] { tmp10 + tmp3, tmp11 + tmp2, tmp12 + tmp1, tmp13 + tmp0, tmp13 - tmp0, tmp12 - tmp1,
				tmp11 - tmp2, tmp10 - tmp3 };
	}

	private static VolumeFormatException corrupt(Path file, int frame, String what) {
		return new VolumeFormatException(file, "JPEG frame " + frame + ": " + what + "; the pixel data are corrupt");
	}

	private static VolumeFormatException unsupported(Path file, int frame, String what) {
		return new VolumeFormatException(file, "JPEG frame " + frame + " uses " + what + ", which VolSeg's 12-bit JPEG"
				+ " decoder does not handle; " + TransferSyntax.conversionHint(TransferSyntax.JPEG_EXTENDED.uid()));
	}
}
