package org.volseg.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Deterministic mutations of a seed, in the spirit of a coverage-blind fuzzer: bit flips, byte
 * insertions, deletions, duplications and truncations, and boundary values (0, -1, 2^15, 2^31,
 * 0xFFFFFFF0, tiny and huge floats, decimal strings such as {@code 1e-300}) written at the
 * offsets of known header fields; for text, hostile YAML/JSON tokens spliced in. Case {@code i}
 * of a seed is always the same bytes (a {@link Random} seeded from the case number).
 */
final class Mutator {

	private static final long[] INTS = { 0, 1, -1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFFL,
			0x80000000L, 0xFFFFFFF0L, 0xFFFFFFFFL, 1 << 20, 500_000, 65_535 * 4 };
	private static final double[] FLOATS = { 0, -1, 1e-40, 1e-300, 1e30, 1e300, Double.NaN, Double.POSITIVE_INFINITY,
			-0.0, 3.4e38 };
	private static final String[] DECIMALS = { "1e-300", "1e300", "0", "-1", "NaN", "1e-40\\1e-40", "0\\0", "1\\0\\0\\0\\0\\0",
			"1\\0\\0\\1\\0\\0", "500000", "65535", "-2147483648", "99999999999" };
	private static final String[] TOKENS = { "1e999", "-1e999", "!!int abc", "!!binary '%%%'", "!!float x", "!!timestamp x",
			"&a [*a]", "*a", "&a", "\u0000", "999999999999999999999999", "-1", "0", "NaN", "[[[[[[[[[[", "{", "\"", "~",
			"&x [*x, *x, *x, *x, *x, *x, *x, *x]", "!!python/object:os.system", "? [a]", "\t", "\\u0000", "1e-999" };

	private final byte[] seed;
	private final int[] hot;
	private final boolean text;

	Mutator(byte[] seed, int[] hotOffsets, boolean text) {
		this.seed = seed;
		this.hot = hotOffsets;
		this.text = text;
	}

	/** The mutant number {@code index} (1 to 4 stacked mutations). */
	byte[] mutant(long index) {
		Random r = new Random(index * 0x9E3779B97F4A7C15L + Arrays.hashCode(seed));
		byte[] b = seed.clone();
		int count = 1 + r.nextInt(r.nextInt(4) + 1);
		for (int i = 0; i < count; i++)
			b = once(b, r);
		return b;
	}

	private byte[] once(byte[] b, Random r) {
		if (b.length == 0)
			return new byte[] { (byte) r.nextInt() };
		int kind = r.nextInt(text ? 10 : 9);
		int at = hot.length > 0 && r.nextBoolean() ? Math.min(b.length - 1, hot[r.nextInt(hot.length)]) : r.nextInt(b.length);
		switch (kind) {
		case 0: { // flip bits
			int n = 1 + r.nextInt(4);
			for (int i = 0; i < n; i++)
				b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
			return b;
		}
		case 1: // interesting byte
			b[at] = (byte) new int[] { 0, 0xFF, 0x7F, 0x80, 0x01 }[r.nextInt(5)];
			return b;
		case 2: // integer of 2 or 4 bytes, either byte order
			return put(b, at, INTS[r.nextInt(INTS.length)], r.nextBoolean() ? 2 : 4, r.nextBoolean());
		case 3: { // float or double
			double v = FLOATS[r.nextInt(FLOATS.length)];
			boolean dbl = r.nextBoolean();
			ByteBuffer bb = ByteBuffer.allocate(8).order(r.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
			if (dbl)
				bb.putDouble(v);
			else
				bb.putFloat((float) v);
			return overwrite(b, at, Arrays.copyOf(bb.array(), dbl ? 8 : 4));
		}
		case 4: { // decimal string over a value (DICOM DS/IS, text numbers)
			byte[] s = DECIMALS[r.nextInt(DECIMALS.length)].getBytes(StandardCharsets.US_ASCII);
			return overwrite(b, at, s);
		}
		case 5: { // insert random bytes
			byte[] ins = new byte[1 + r.nextInt(16)];
			r.nextBytes(ins);
			return splice(b, at, 0, ins);
		}
		case 6: // delete a range
			return splice(b, at, Math.min(b.length - at, 1 + r.nextInt(r.nextBoolean() ? 8 : 512)), new byte[0]);
		case 7: { // duplicate a range
			int len = Math.min(b.length - at, 1 + r.nextInt(256));
			return splice(b, r.nextInt(b.length), 0, Arrays.copyOfRange(b, at, at + len));
		}
		case 8: // truncate
			return Arrays.copyOf(b, r.nextInt(b.length));
		default: { // hostile text token, replacing a word or inserted
			byte[] t = TOKENS[r.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8);
			int end = at;
			while (end < b.length && end - at < 24 && b[end] != ' ' && b[end] != '\n' && b[end] != ',')
				end++;
			return splice(b, at, r.nextBoolean() ? end - at : 0, t);
		}
		}
	}

	private static byte[] put(byte[] b, int at, long v, int bytes, boolean big) {
		byte[] w = new byte[bytes];
		for (int i = 0; i < bytes; i++)
			w[big ? bytes - 1 - i : i] = (byte) (v >>> (8 * i));
		return overwrite(b, at, w);
	}

	private static byte[] overwrite(byte[] b, int at, byte[] w) {
		int n = Math.min(w.length, b.length - at);
		System.arraycopy(w, 0, b, at, n);
		return b;
	}

	private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
		byte[] out = new byte[b.length - remove + insert.length];
		System.arraycopy(b, 0, out, 0, at);
		System.arraycopy(insert, 0, out, at, insert.length);
		System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
		return out;
	}
}
