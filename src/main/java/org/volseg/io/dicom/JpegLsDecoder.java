package org.volseg.io.dicom;

import java.nio.file.Path;

import org.volseg.VolumeFormatException;

/**
 * Decodes JPEG-LS (ITU-T T.87 | ISO/IEC 14495-1) frames: DICOM's "JPEG-LS Lossless" (1.2.840.10008.1.2.4.80)
 * and "JPEG-LS Lossy (Near-Lossless)" (.81). Regular mode with context modelling, run mode, lossless
 * and near-lossless ({@code NEAR > 0}), 2 to 16 bits per sample, custom presets from an LSE marker
 * (MAXVAL, T1, T2, T3, RESET), one component, or several in separate scans ({@code ILV = 0}) or
 * line-interleaved ({@code ILV = 1}). Not supported (refused with a message): sample-interleaved
 * scans ({@code ILV = 2}), restart markers, point transforms, mapping tables.
 *
 * <p>No Java JPEG-LS decoder is published on Maven Central, so this one is VolSeg's own, written
 * from the standard; its output is checked bit for bit against dcmtk's {@code dcmdjpls} and GDCM
 * (CharLS) in the tests. Stateless and thread-safe: every call uses its own state.</p>
 */
final class JpegLsDecoder {

	private static final int[] J = { 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 13,
			14, 15 };

	private JpegLsDecoder() {
	}

	/**
	 * Decodes one frame into {@code out[(row * columns + column) * samples + sample]}, unsigned
	 * sample values as coded (a signed DICOM pixel's bit pattern).
	 *
	 * @throws VolumeFormatException naming the file and frame if the stream is corrupt, does not
	 *         match the header, or uses a feature this decoder does not have
	 */
	static void decode(Path file, int frame, byte[] data, PixelFormat format, long[] out) {
		new Frame(file, frame, data, format, out).decode();
	}

	/** The state of one frame's decoding. */
	private static final class Frame {
		final Path file;
		final int frameIndex;
		final byte[] d;
		final PixelFormat format;
		final long[] out;
		int pos;
		// frame header
		int precision, width, height, components;
		int[] componentIds;
		// preset parameters (0 = default)
		int maxValLse, t1Lse, t2Lse, t3Lse, resetLse;
		boolean[] decodedComponent;

		Frame(Path file, int frameIndex, byte[] d, PixelFormat format, long[] out) {
			this.file = file;
			this.frameIndex = frameIndex;
			this.d = d;
			this.format = format;
			this.out = out;
		}

		VolumeFormatException error(String problem) {
			return new VolumeFormatException(file, "JPEG-LS frame " + frameIndex + ": " + problem);
		}

		int u8() {
			if (pos >= d.length) throw error("ends early (truncated)");
			return d[pos++] & 0xFF;
		}

		int u16() {
			return (u8() << 8) | u8();
		}

		void decode() {
			if (u16() != 0xFFD8) throw error("does not start with an SOI marker");
			boolean sawFrame = false;
			while (true) {
				int marker = nextMarker();
				switch (marker) {
					case 0xFFF7: // SOF55
						readFrameHeader();
						sawFrame = true;
						break;
					case 0xFFF8: // LSE
						readPresets();
						break;
					case 0xFFDD: { // DRI: 2 to 4 bytes of interval
						int length = u16();
						int interval = 0;
						for (int i = 2; i < length; i++) interval = (interval << 8) | u8();
						if (interval != 0) throw error("restart intervals (DRI " + interval + ") are not supported");
						break;
					}
					case 0xFFDA: // SOS
						if (!sawFrame) throw error("a scan before the frame header (SOF55)");
						readScan();
						break;
					case 0xFFD9: // EOI
						for (int c = 0; c < components; c++) if (!decodedComponent[c]) throw error("component " + c + " has no scan");
						return;
					default:
						if ((marker >= 0xFFC0 && marker <= 0xFFCF && marker != 0xFFC4 && marker != 0xFFC8 && marker != 0xFFCC))
							throw error("a JPEG (not JPEG-LS) frame marker 0x" + Integer.toHexString(marker));
						skipSegment(); // APPn, COM and others
				}
			}
		}

		int nextMarker() {
			int b = u8();
			if (b != 0xFF) throw error("expected a marker at byte " + (pos - 1) + ", found 0x" + Integer.toHexString(b));
			int m;
			do m = u8(); while (m == 0xFF);
			return 0xFF00 | m;
		}

		void skipSegment() {
			int length = u16();
			if (length < 2 || pos + length - 2 > d.length) throw error("a segment runs past the end of the data");
			pos += length - 2;
		}

		void readFrameHeader() {
			int length = u16();
			precision = u8();
			height = u16();
			width = u16();
			components = u8();
			if (length != 8 + 3 * components) throw error("frame header of length " + length + " for " + components + " components");
			componentIds = new int[components];
			decodedComponent = new boolean[components];
			for (int c = 0; c < components; c++) {
				componentIds[c] = u8();
				int sampling = u8();
				u8();
				if (sampling != 0x11) throw error("subsampled components are not supported");
			}
			if (precision < 2 || precision > 16) throw error("sample precision " + precision + " (2 to 16 bits are defined)");
			if (width != format.columns() || height != format.rows() || components != format.samples()) {
				throw error("is " + width + " x " + height + " x " + components + " samples, the DICOM header says " + format.columns()
						+ " x " + format.rows() + " x " + format.samples());
			}
		}

		void readPresets() {
			int length = u16();
			int end = pos + length - 2;
			int id = u8();
			if (id != 1) throw error("LSE marker of type " + id + " (mapping tables) is not supported");
			maxValLse = u16();
			t1Lse = u16();
			t2Lse = u16();
			t3Lse = u16();
			resetLse = u16();
			pos = end;
		}

		void readScan() {
			int length = u16();
			int ns = u8();
			if (length != 6 + 2 * ns || ns < 1 || ns > components) throw error("scan header of length " + length + " for " + ns + " components");
			int[] scanComponents = new int[ns];
			for (int i = 0; i < ns; i++) {
				int id = u8();
				int mapping = u8();
				if (mapping != 0) throw error("mapping tables are not supported");
				scanComponents[i] = -1;
				for (int c = 0; c < components; c++) if (componentIds[c] == id) scanComponents[i] = c;
				if (scanComponents[i] < 0) throw error("a scan of an unknown component " + id);
			}
			int near = u8();
			int ilv = u8();
			int pointTransform = u8() & 0x0F;
			if (pointTransform != 0) throw error("point transform " + pointTransform + " is not supported");
			if (ns > 1 && ilv == 2) throw error("sample-interleaved scans (ILV 2) are not supported; convert with dcmdjpls");
			if (ns > 1 && ilv != 1) throw error("interleave mode " + ilv + " with " + ns + " components");
			Parameters p = new Parameters(precision, near, maxValLse, t1Lse, t2Lse, t3Lse, resetLse);
			BitReader bits = new BitReader(this, pos);
			new ScanDecoder(p, bits, width, height, scanComponents, components, out).run();
			pos = bits.endOfScan();
			for (int c : scanComponents) decodedComponent[c] = true;
		}
	}

	/** Coding parameters of a scan (T.87 C.2.4.1.1 defaults where the LSE marker gives 0). */
	private static final class Parameters {
		final int maxVal, near, range, qbpp, limit, t1, t2, t3, reset;

		Parameters(int precision, int near, int maxValLse, int t1Lse, int t2Lse, int t3Lse, int resetLse) {
			maxVal = maxValLse != 0 ? maxValLse : (1 << precision) - 1;
			this.near = near;
			if (near < 0 || near > Math.min(255, maxVal / 2)) throw new IllegalArgumentException("NEAR " + near);
			range = (maxVal + 2 * near) / (2 * near + 1) + 1;
			qbpp = ceilLog2(range);
			int bpp = Math.max(2, ceilLog2(maxVal + 1));
			limit = 2 * (bpp + Math.max(8, bpp));
			int d1, d2, d3;
			if (maxVal >= 128) {
				int factor = (Math.min(maxVal, 4095) + 128) / 256;
				d1 = clamp(factor * (3 - 2) + 2 + 3 * near, near + 1, maxVal);
				d2 = clamp(factor * (7 - 3) + 3 + 5 * near, d1, maxVal);
				d3 = clamp(factor * (21 - 4) + 4 + 7 * near, d2, maxVal);
			} else {
				int factor = 256 / (maxVal + 1);
				d1 = clamp(Math.max(2, 3 / factor + 3 * near), near + 1, maxVal);
				d2 = clamp(Math.max(3, 7 / factor + 5 * near), d1, maxVal);
				d3 = clamp(Math.max(4, 21 / factor + 7 * near), d2, maxVal);
			}
			t1 = t1Lse != 0 ? t1Lse : d1;
			t2 = t2Lse != 0 ? t2Lse : d2;
			t3 = t3Lse != 0 ? t3Lse : d3;
			reset = resetLse != 0 ? resetLse : 64;
		}

		private static int clamp(int i, int j, int maxVal) {
			return i > maxVal || i < j ? j : i;
		}

		private static int ceilLog2(int v) {
			int n = 0;
			while ((1L << n) < v) n++;
			return n;
		}
	}

	/** Entropy-coded bits: after a 0xFF byte only 7 bits of the next byte are data; a marker ends the scan. */
	private static final class BitReader {
		final Frame frame;
		final byte[] d;
		int pos;
		long acc;
		int count;
		boolean lastFF;
		boolean atMarker;

		BitReader(Frame frame, int pos) {
			this.frame = frame;
			this.d = frame.d;
			this.pos = pos;
		}

		private void fill() {
			while (count <= 56) {
				if (atMarker || pos >= d.length) {
					if (!atMarker && pos >= d.length) atMarker = true;
					acc <<= 8; // zeros past the end: a corrupt stream fails the length checks below
					count += 8;
					continue;
				}
				int b = d[pos] & 0xFF;
				if (lastFF) {
					if ((b & 0x80) != 0) {
						atMarker = true;
						pos--; // the 0xFF belongs to the marker
						continue;
					}
					acc = (acc << 7) | b;
					count += 7;
				} else {
					acc = (acc << 8) | b;
					count += 8;
				}
				lastFF = b == 0xFF;
				pos++;
			}
		}

		int bit() {
			if (count == 0) fill();
			count--;
			return (int) (acc >>> count) & 1;
		}

		int bits(int n) {
			if (n == 0) return 0;
			if (count < n) fill();
			count -= n;
			return (int) (acc >>> count) & ((1 << n) - 1);
		}

		/** Zero bits before the next 1 (the unary part of a Golomb code), at most {@code max}. */
		int zeros(int max) {
			int z = 0;
			while (bit() == 0) {
				if (++z > max) throw frame.error("corrupt entropy-coded data (a code longer than LIMIT)");
			}
			return z;
		}

		/** Position of the marker after the scan (padding bits dropped). */
		int endOfScan() {
			int p = lastFF && !atMarker ? pos - 1 : pos; // a 0xFF just read may start the marker; else skip padding
			while (p + 1 < d.length && !(d[p] == (byte) 0xFF && (d[p + 1] & 0x80) != 0)) p++;
			if (p + 1 >= d.length) throw frame.error("the scan is not followed by a marker (truncated; at byte " + pos + " of " + d.length + ")");
			return p;
		}
	}

	/** Decodes one scan (one component, or several line-interleaved). */
	private static final class ScanDecoder {
		final Parameters p;
		final BitReader in;
		final int width, height, samples;
		final int[] comps;
		final long[] out;
		// contexts: 365 regular, 2 run-interruption
		final int[] a = new int[367], b = new int[367], c = new int[365], n = new int[367], nn = new int[2];
		final int[] runIndex;

		ScanDecoder(Parameters p, BitReader in, int width, int height, int[] comps, int samples, long[] out) {
			this.p = p;
			this.in = in;
			this.width = width;
			this.height = height;
			this.comps = comps;
			this.samples = samples;
			this.out = out;
			int a0 = Math.max(2, (p.range + 32) / 64);
			java.util.Arrays.fill(a, a0);
			java.util.Arrays.fill(n, 1);
			runIndex = new int[comps.length];
		}

		void run() {
			int nc = comps.length;
			// lines with one sample of padding on each side: index x + 1
			int[][] prev = new int[nc][width + 2], cur = new int[nc][width + 2];
			for (int y = 0; y < height; y++) {
				for (int i = 0; i < nc; i++) {
					int[] pl = prev[i], cl = cur[i];
					pl[width + 1] = pl[width];
					cl[0] = pl[1];
					decodeLine(pl, cl, i);
					int ci = comps[i];
					long base = (long) y * width;
					for (int x = 0; x < width; x++) out[(int) ((base + x) * samples + ci)] = cl[x + 1];
					prev[i] = cl;
					cur[i] = pl;
				}
			}
		}

		private void decodeLine(int[] pl, int[] cl, int comp) {
			int near = p.near;
			for (int x = 1; x <= width;) {
				int ra = cl[x - 1], rb = pl[x], rc = pl[x - 1], rd = pl[x + 1];
				int d1 = rd - rb, d2 = rb - rc, d3 = rc - ra;
				if (Math.abs(d1) <= near && Math.abs(d2) <= near && Math.abs(d3) <= near) {
					x += runMode(pl, cl, x, comp);
				} else {
					cl[x] = regular(quantise(d1), quantise(d2), quantise(d3), ra, rb, rc);
					x++;
				}
			}
		}

		private int quantise(int di) {
			if (di <= -p.t3) return -4;
			if (di <= -p.t2) return -3;
			if (di <= -p.t1) return -2;
			if (di < -p.near) return -1;
			if (di <= p.near) return 0;
			if (di < p.t1) return 1;
			if (di < p.t2) return 2;
			if (di < p.t3) return 3;
			return 4;
		}

		private int regular(int q1, int q2, int q3, int ra, int rb, int rc) {
			int sign = 1;
			if (q1 < 0 || (q1 == 0 && (q2 < 0 || (q2 == 0 && q3 < 0)))) {
				sign = -1;
				q1 = -q1;
				q2 = -q2;
				q3 = -q3;
			}
			int q = 81 * q1 + 9 * q2 + q3;
			int px;
			if (rc >= Math.max(ra, rb)) px = Math.min(ra, rb);
			else if (rc <= Math.min(ra, rb)) px = Math.max(ra, rb);
			else px = ra + rb - rc;
			px += sign * c[q];
			if (px > p.maxVal) px = p.maxVal;
			else if (px < 0) px = 0;
			int k = 0;
			while ((n[q] << k) < a[q]) k++;
			int m = golomb(k, p.limit);
			int err;
			if (p.near == 0 && k == 0 && 2 * b[q] <= -n[q]) err = (m & 1) != 0 ? (m - 1) >> 1 : -(m >> 1) - 1;
			else err = (m & 1) != 0 ? -((m + 1) >> 1) : m >> 1;
			// context update (A.6)
			b[q] += err * (2 * p.near + 1);
			a[q] += Math.abs(err);
			if (n[q] == p.reset) {
				a[q] >>= 1;
				b[q] >>= 1;
				n[q] >>= 1;
			}
			n[q]++;
			if (b[q] <= -n[q]) {
				b[q] += n[q];
				if (c[q] > -128) c[q]--;
				if (b[q] <= -n[q]) b[q] = -n[q] + 1;
			} else if (b[q] > 0) {
				b[q] -= n[q];
				if (c[q] < 127) c[q]++;
				if (b[q] > 0) b[q] = 0;
			}
			return reconstruct(px, sign * err);
		}

		private int reconstruct(int px, int err) {
			int v = px + err * (2 * p.near + 1);
			int wrap = p.range * (2 * p.near + 1);
			if (v < -p.near) v += wrap;
			else if (v > p.maxVal + p.near) v -= wrap;
			return v < 0 ? 0 : v > p.maxVal ? p.maxVal : v;
		}

		private int golomb(int k, int limit) {
			int high = in.zeros(limit - p.qbpp - 1);
			if (high >= limit - (p.qbpp + 1)) return in.bits(p.qbpp) + 1;
			if (k == 0) return high;
			return (high << k) + in.bits(k);
		}

		/** Run mode from x (index into the padded line); returns the samples decoded. */
		private int runMode(int[] pl, int[] cl, int start, int comp) {
			int ra = cl[start - 1];
			int remaining = width - start + 1;
			int count = 0;
			while (in.bit() == 1) {
				int step = Math.min(1 << J[runIndex[comp]], remaining - count);
				count += step;
				if (step == 1 << J[runIndex[comp]]) runIndex[comp] = Math.min(31, runIndex[comp] + 1);
				if (count == remaining) break;
			}
			if (count != remaining) count += in.bits(J[runIndex[comp]]);
			if (count > remaining) throw in.frame.error("corrupt run length (past the end of a line)");
			for (int i = 0; i < count; i++) cl[start + i] = ra;
			if (count == remaining) return count;
			// run interruption sample
			int x = start + count;
			int rb = pl[x];
			int riType = Math.abs(ra - rb) <= p.near ? 1 : 0;
			int q = 365 + riType;
			int temp = riType == 1 ? a[q] + (n[q] >> 1) : a[q];
			int k = 0;
			while ((n[q] << k) < temp) k++;
			int m = golomb(k, p.limit - J[runIndex[comp]] - 1);
			int t = m + riType;
			boolean map = (t & 1) != 0;
			int abs = (t + (map ? 1 : 0)) / 2;
			int err = ((k != 0 || 2 * nn[riType] >= n[q]) == map) ? -abs : abs;
			if (err < 0) nn[riType]++;
			a[q] += (m + 1 - riType) >> 1;
			if (n[q] == p.reset) {
				a[q] >>= 1;
				n[q] >>= 1;
				nn[riType] >>= 1;
			}
			n[q]++;
			cl[x] = riType == 1 ? reconstruct(ra, err) : reconstruct(rb, rb - ra < 0 ? -err : err);
			if (runIndex[comp] > 0) runIndex[comp]--;
			return count + 1;
		}
	}
}
