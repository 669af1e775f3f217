package org.volseg.tiling;

/**
 * IEEE 754 binary16 ("half", numpy's {@code float16}) conversions for the stitcher's float16 sums.
 * Java 17 has no {@code Float.floatToFloat16}. Stateless and thread-safe.
 *
 * <p>{@link #fromFloat} rounds to the nearest half, ties to even, subnormals included, exactly as
 * numpy's {@code np.float32(v).astype(np.float16)}, with one difference: a value whose magnitude
 * rounds beyond the largest finite half (65504), infinities included, <em>saturates</em> to
 * &#177;65504 instead of becoming an infinity, so that a running sum that once overflowed still
 * compares with the others (an infinite sum would make every later comparison of its voxel a tie).
 * NaN stays NaN. {@link #toFloat} is exact (every half is a float).</p>
 */
final class HalfFloats {

	/** The largest finite half, 65504, as bits. */
	static final short MAX_FINITE = 0x7bff;
	/** Every half's float value, indexed by its 16 bits. */
	private static final float[] VALUES = new float[1 << 16];
	static {
		for (int h = 0; h < VALUES.length; h++)
			VALUES[h] = decode(h);
	}

	private HalfFloats() {
	}

	/** The float value of half {@code h}. */
	static float toFloat(short h) {
		return VALUES[h & 0xffff];
	}

	/** The nearest half to {@code f} (ties to even); beyond &#177;65504 saturated to &#177;65504. */
	static short fromFloat(float f) {
		int bits = Float.floatToRawIntBits(f);
		int sign = (bits >>> 16) & 0x8000;
		int abs = bits & 0x7fffffff;
		if (abs > 0x7f800000) // NaN: keep a quiet NaN
			return (short) (sign | 0x7e00);
		if (abs >= 0x477ff000) // 65520 and up round to infinity: saturate
			return (short) (sign | MAX_FINITE);
		if (abs >= 0x38800000) { // normal half: rebias the exponent, round away the 13 low mantissa bits
			int h = ((abs >>> 23) - 112) << 10 | (abs & 0x7fffff) >>> 13;
			return (short) (sign | roundedUp(h, abs & 0x1fff, 13));
		}
		if (abs <= 0x33000000) // at most half the smallest subnormal (2^-25, a tie to even zero)
			return (short) sign;
		int exponent = abs >>> 23; // subnormal half: the value in units of 2^-24 is m * 2^(exponent - 126)
		int mantissa = (abs & 0x7fffff) | 0x800000;
		int shift = 126 - exponent;
		return (short) (sign | roundedUp(mantissa >>> shift, mantissa & ((1 << shift) - 1), shift));
	}

	/** {@code truncated}, plus one if the dropped {@code bits} low bits {@code rest} round it up (to nearest, ties to even). */
	private static int roundedUp(int truncated, int rest, int bits) {
		int half = 1 << (bits - 1);
		return rest > half || (rest == half && (truncated & 1) != 0) ? truncated + 1 : truncated;
	}

	private static float decode(int h) {
		int sign = (h & 0x8000) << 16;
		int exponent = (h >>> 10) & 0x1f;
		int mantissa = h & 0x3ff;
		if (exponent == 0) {
			float subnormal = Math.scalb((float) mantissa, -24);
			return sign == 0 ? subnormal : -subnormal;
		}
		if (exponent == 0x1f)
			return Float.intBitsToFloat(sign | 0x7f800000 | mantissa << 13);
		return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
	}
}
