package org.volseg.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The float16 conversions of the stitcher's half sums, against numpy and against the rounding rule itself. */
class HalfFloatsTest {

	/**
	 * float32 bits and numpy 1.24's float16 bits of the same value ({@code np.float32(v).astype(np.float16)}):
	 * zeros, ties to even at 1 and 2048, the largest finite half and values just below the overflow
	 * point, the smallest normal, subnormals and their rounding to zero, and random normals, subnormals
	 * and magnitudes from e^-20 to e^11.
	 */
	private static final int[][] NUMPY = {
			{ 0x00000000, 0x0000 }, { 0x80000000, 0x8000 }, { 0x3f800000, 0x3c00 }, { 0xbf800000, 0xbc00 },
			{ 0x3dcccccd, 0x2e66 }, { 0xbdcccccd, 0xae66 }, { 0x3eaaaaab, 0x3555 }, { 0x477fe000, 0x7bff },
			{ 0x477feffd, 0x7bff }, { 0xc77feffd, 0xfbff }, { 0x38800000, 0x0400 }, { 0x387fc000, 0x03ff },
			{ 0x337ffae5, 0x0001 }, { 0x32fffae5, 0x0000 }, { 0x33000000, 0x0000 }, { 0x33000001, 0x0001 },
			{ 0xb3414606, 0x8001 }, { 0x3f801000, 0x3c00 }, { 0x3f801800, 0x3c01 }, { 0x3f800800, 0x3c00 },
			{ 0x45000800, 0x6800 }, { 0x45001000, 0x6800 }, { 0x45002000, 0x6801 }, { 0x40490fdb, 0x4248 },
			{ 0xc02df84d, 0xc170 }, { 0x3a83126f, 0x1419 }, { 0x4640e6b6, 0x7207 }, { 0xb900f990, 0x8808 },
			{ 0xc06cd0dc, 0xc367 }, { 0x411f0d77, 0x48f8 }, { 0x4085130b, 0x4429 }, { 0xc0c5cff9, 0xc62e },
			{ 0x40d715c6, 0x46b9 }, { 0xc1680207, 0xcb40 }, { 0x40bdea43, 0x45ef }, { 0xc0b3c917, 0xc59e },
			{ 0x40ca10a3, 0x4651 }, { 0x408c824e, 0x4464 }, { 0xc0f58506, 0xc7ac }, { 0x40a913f8, 0x4549 },
			{ 0x37d1c33b, 0x01a4 }, { 0x381cfda4, 0x0274 }, { 0x3836af59, 0x02db }, { 0x381ec00b, 0x027b },
			{ 0x37ddad34, 0x01bb }, { 0x37e24077, 0x01c5 }, { 0x38255ff0, 0x0295 }, { 0x386af91f, 0x03ac },
			{ 0x36446e5f, 0x0031 }, { 0x36b7971b, 0x005c }, { 0x42138b6d, 0x509c }, { 0x3b50b735, 0x1a86 },
			{ 0x426f60d2, 0x537b }, { 0x3d1a4ed5, 0x28d2 }, { 0x3b5f33b9, 0x1afa }, { 0x4661fffd, 0x7310 },
			{ 0x3944e3fb, 0x0a27 }, { 0x3f8791b0, 0x3c3d }, { 0x3d2f20c9, 0x2979 }, { 0x338a3a14, 0x0001 },
	};

	@Test
	void roundsAsNumpyDoes() {
		for (int[] c : NUMPY) {
			float f = Float.intBitsToFloat(c[0]);
			assertEquals(c[1], HalfFloats.fromFloat(f) & 0xffff, () -> f + " (0x" + Integer.toHexString(c[0]) + ")");
		}
	}

	/** Every finite half converts to a float and back to itself, and halves are in increasing order. */
	@Test
	void everyFiniteHalfRoundTrips() {
		float previous = Float.NEGATIVE_INFINITY;
		for (int h = 0xfbff; h >= 0x8000; h--) { // negative halves, from -65504 up to -0
			float f = HalfFloats.toFloat((short) h);
			assertEquals(h, HalfFloats.fromFloat(f) & 0xffff, () -> Float.toString(f));
			assertTrue(f > previous, () -> Float.toString(f));
			previous = f;
		}
		for (int h = 0; h <= 0x7bff; h++) {
			float f = HalfFloats.toFloat((short) h);
			assertEquals(h, HalfFloats.fromFloat(f) & 0xffff, () -> Float.toString(f));
			assertTrue(f >= previous, () -> Float.toString(f));
			previous = f;
		}
		assertEquals(65504f, HalfFloats.toFloat(HalfFloats.MAX_FINITE));
		assertEquals(Math.scalb(1f, -24), HalfFloats.toFloat((short) 1));
	}

	/**
	 * Between every two neighbouring positive halves, the float just below their midpoint rounds down,
	 * the one just above rounds up, and the midpoint itself to the half with an even last bit.
	 */
	@Test
	void roundsToNearestTiesToEvenEverywhere() {
		for (int h = 0; h < 0x7bff; h++) {
			float low = HalfFloats.toFloat((short) h), high = HalfFloats.toFloat((short) (h + 1));
			float middle = (low + high) / 2; // exact: one more bit than a half has
			int lowBits = h, highBits = h + 1;
			assertEquals(lowBits, HalfFloats.fromFloat(Math.nextDown(middle)), () -> "below " + middle);
			assertEquals(highBits, HalfFloats.fromFloat(Math.nextUp(middle)), () -> "above " + middle);
			assertEquals((h & 1) == 0 ? lowBits : highBits, HalfFloats.fromFloat(middle), () -> "at " + middle);
			assertEquals(lowBits | 0x8000, HalfFloats.fromFloat(-Math.nextDown(middle)) & 0xffff, () -> "below -" + middle);
		}
	}

	/** Where numpy gives an infinity, the sums saturate at the largest finite half, sign kept; NaN stays NaN. */
	@Test
	void saturatesInsteadOfOverflowing() {
		for (float f : new float[] { 65520f, 1e6f, Float.MAX_VALUE, Float.POSITIVE_INFINITY }) {
			assertEquals(HalfFloats.MAX_FINITE, HalfFloats.fromFloat(f), () -> Float.toString(f));
			assertEquals(-65504f, HalfFloats.toFloat(HalfFloats.fromFloat(-f)), () -> Float.toString(-f));
		}
		assertTrue(Float.isNaN(HalfFloats.toFloat(HalfFloats.fromFloat(Float.NaN))));
	}
}
