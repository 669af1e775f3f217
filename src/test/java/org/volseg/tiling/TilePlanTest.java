package org.volseg.tiling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class TilePlanTest {

	private static TilePlan plan(long[] size, int[] roi, double overlap, int batch) {
		return TilePlan.of(size, SlidingWindowSettings.builder(roi).overlap(overlap).batch(batch).build());
	}

	/** The parity fixture's setting: 45x70x38, roi 32, overlap 0.5, batch 2 (positions worked out by hand). */
	@Test
	void fixturePositionsWorkedOutByHand() {
		TilePlan p = plan(new long[] { 45, 70, 38 }, new int[] { 32, 32, 32 }, 0.5, 2);
		assertArrayEquals(new int[] { 16, 16, 16 }, p.scanInterval());
		// x: 0 (0+32 < 45), 16 -> 48 >= 45, moved back to 13
		assertArrayEquals(new long[] { 0, 13 }, p.axisStarts(0));
		// y: 0, 16, 32, 48 -> 80 >= 70, moved back to 38
		assertArrayEquals(new long[] { 0, 16, 32, 38 }, p.axisStarts(1));
		assertArrayEquals(new long[] { 0, 6 }, p.axisStarts(2));
		assertEquals(16, p.windowCount());
		assertEquals(8, p.batchCount());
		assertArrayEquals(new long[] { 0, 0, 0 }, p.padBefore());
		// z start 6 is closer than the interval to 0: both z-rows are swept together, y-row by y-row, x fastest
		assertArrayEquals(new long[] { 0, 0, 0 }, p.windowStart(0));
		assertArrayEquals(new long[] { 13, 0, 0 }, p.windowStart(1));
		assertArrayEquals(new long[] { 0, 0, 6 }, p.windowStart(2));
		assertArrayEquals(new long[] { 13, 0, 6 }, p.windowStart(3));
		assertArrayEquals(new long[] { 0, 16, 0 }, p.windowStart(4));
		assertArrayEquals(new long[] { 13, 16, 6 }, p.windowStart(7));
		assertArrayEquals(new long[] { 0, 32, 0 }, p.windowStart(8));
		assertArrayEquals(new long[] { 13, 38, 6 }, p.windowStart(15));
	}

	@Test
	void smallerThanRoiIsPaddedWithTheExtraVoxelAtTheEnd() {
		TilePlan p = plan(new long[] { 5, 4, 40 }, new int[] { 8, 8, 8 }, 0.25, 1);
		assertArrayEquals(new long[] { 8, 8, 40 }, p.paddedSize());
		// MONAI: diff 3 -> 1 before, 2 after; diff 4 -> 2 and 2
		assertArrayEquals(new long[] { 1, 2, 0 }, p.padBefore());
		// an axis as long as the window: one window, interval = roi
		assertArrayEquals(new int[] { 8, 8, 6 }, p.scanInterval());
		assertArrayEquals(new long[] { 0 }, p.axisStarts(0));
		assertArrayEquals(new long[] { 0, 6, 12, 18, 24, 30, 32 }, p.axisStarts(2));
	}

	@Test
	void intervalIsFloorOfRoiTimesOneMinusOverlapAtLeastOne() {
		assertEquals(2, TilePlan.scanInterval(100, 10, 0.75)); // 2.5
		assertEquals(3, TilePlan.scanInterval(100, 10, 0.7)); // 3.0000000000000004
		assertEquals(1, TilePlan.scanInterval(100, 3, 0.75)); // 0.75 -> 1
		assertEquals(48, TilePlan.scanInterval(512, 96, 0.5));
		assertEquals(96, TilePlan.scanInterval(512, 96, 0));
		assertEquals(72, TilePlan.scanInterval(512, 96, 0.25));
		assertEquals(24, TilePlan.scanInterval(512, 96, 0.75));
		assertEquals(96, TilePlan.scanInterval(96, 96, 0.5)); // roi == size: one window
	}

	/** MONAI's placement rule written independently: step until a window reaches the end, then clamp it. */
	private static long[] expectedStarts(long size, int roi, double overlap) {
		long padded = Math.max(size, roi);
		int interval = roi == padded ? roi : Math.max(1, (int) Math.floor(roi * (1 - overlap)));
		List<Long> starts = new ArrayList<>();
		for (long s = 0;; s += interval) {
			if (s + roi >= padded) {
				starts.add(padded - roi);
				break;
			}
			starts.add(s);
		}
		return starts.stream().mapToLong(Long::longValue).toArray();
	}

	@Test
	void positionsMatchMonaisRuleForManyShapes() {
		long[][] sizes = { { 1, 1, 1 }, { 13, 7, 9 }, { 96, 96, 96 }, { 97, 95, 200 }, { 130, 61, 77 },
				{ 33, 64, 17 }, { 100, 3, 61 } };
		int[][] rois = { { 8, 8, 8 }, { 32, 16, 8 }, { 96, 96, 96 }, { 5, 7, 3 } };
		for (long[] size : sizes)
			for (int[] roi : rois)
				for (double overlap : new double[] { 0, 0.25, 0.5, 0.75, 0.9 }) {
					TilePlan p = plan(size, roi, overlap, 3);
					int expectedCount = 1;
					for (int d = 0; d < 3; d++) {
						long[] e = expectedStarts(size[d], roi[d], overlap);
						assertArrayEquals(e, p.axisStarts(d), () -> "size " + size[0] + "," + size[1] + "," + size[2]
								+ " roi " + roi[0] + "," + roi[1] + "," + roi[2] + " overlap " + overlap);
						expectedCount *= e.length;
					}
					assertEquals(expectedCount, p.windowCount());
					if (p.windowCount() < 20_000) // keeps the test fast; the rule is per axis anyway
						for (TilePlan.Order order : TilePlan.Order.values()) {
							TilePlan o = TilePlan.of(size, SlidingWindowSettings.builder(roi).overlap(overlap).batch(3).build(), order);
							assertEquals(order, o.order());
							assertEquals(expectedCount, o.windowCount());
							for (int d = 0; d < 3; d++)
								assertArrayEquals(p.axisStarts(d), o.axisStarts(d));
							checkOrderAndCoverage(o);
						}
				}
	}

	/**
	 * Rows of the slow axis (z, or y for {@link TilePlan.Order#Y_SLOWEST_LAST_PAIRED}) come in order
	 * (the last two may be swept together), x fastest; every window lies in the padded volume; every
	 * padded voxel is covered.
	 */
	private static void checkOrderAndCoverage(TilePlan p) {
		long[] padded = p.paddedSize();
		int[] roi = p.roi();
		java.util.Set<java.util.List<Long>> distinct = new java.util.HashSet<>();
		long previousZ = 0;
		for (int d = 0; d < 3; d++) {
			boolean[] covered = new boolean[(int) padded[d]];
			for (long s : p.axisStarts(d)) {
				assertTrue(s >= 0 && s + roi[d] <= padded[d]);
				for (int i = 0; i < roi[d]; i++)
					covered[(int) s + i] = true;
			}
			for (boolean c : covered)
				assertTrue(c);
		}
		int seen = 0;
		for (int w = 0; w < p.windowCount(); w++) {
			long[] s = p.windowStart(w);
			assertTrue(distinct.add(java.util.List.of(s[0], s[1], s[2])), "window " + w + " repeats a position");
			// rows of the slow axis in order; only the last two may be swept together
			int slow = p.order() == TilePlan.Order.Y_SLOWEST_LAST_PAIRED ? 1 : 2;
			long[] z = p.axisStarts(slow);
			assertTrue(s[slow] >= previousZ || (p.order() != TilePlan.Order.Z_SLOWEST && z.length >= 2
					&& s[slow] == z[z.length - 2] && previousZ == z[z.length - 1]), p + " window " + w);
			previousZ = s[slow];
			assertEquals(p.axisStarts(0)[w % p.windowGrid()[0]], s[0], "x fastest");
			seen++;
		}
		assertEquals(p.windowCount(), seen);
		int inBatches = 0;
		for (int b = 0; b < p.batchCount(); b++) {
			assertEquals(inBatches, p.batchStart(b));
			int n = p.batchEnd(b) - p.batchStart(b);
			assertTrue(n >= 1 && n <= p.batchSize());
			inBatches += n;
		}
		assertEquals(p.windowCount(), inBatches);
	}

	/** MONAI 1.3+ accepts one overlap per axis. */
	@Test
	void overlapPerAxis() {
		TilePlan p = TilePlan.of(new long[] { 100, 100, 100 },
				SlidingWindowSettings.builder(20, 20, 20).overlap(0, 0.5, 0.75).build());
		assertArrayEquals(new int[] { 20, 10, 5 }, p.scanInterval());
		for (int d = 0; d < 3; d++)
			assertArrayEquals(expectedStarts(100, 20, new double[] { 0, 0.5, 0.75 }[d]), p.axisStarts(d));
	}

	@Test
	void benchmarkShape() {
		TilePlan p = plan(new long[] { 512, 512, 400 }, new int[] { 96, 96, 96 }, 0.5, 4);
		// x, y: 0..432 by 48, then 416 (= 512 - 96); z: 0..288 by 48, then 304
		assertArrayEquals(new long[] { 0, 48, 96, 144, 192, 240, 288, 336, 384, 416 }, p.axisStarts(0));
		assertArrayEquals(new long[] { 0, 48, 96, 144, 192, 240, 288, 304 }, p.axisStarts(2));
		assertEquals(800, p.windowCount());
		assertEquals(200, p.batchCount());
	}
}
