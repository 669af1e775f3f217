package org.volseg.nets.swinunetr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** MONAI's window geometry: get_window_size, relative_position_index, compute_mask's regions. */
class SwinWindowsTest {

	@Test
	void windowsAreClampedToSmallFeatureMaps() {
		int[] w = { 7, 7, 7 };
		int[] s = { 3, 3, 3 };
		assertArrayEquals(new int[][] { { 7, 7, 7 }, { 3, 3, 3 } }, SwinWindows.clamp(new long[] { 16, 16, 32 }, w, s));
		assertArrayEquals(new int[][] { { 4, 4, 7 }, { 0, 0, 3 } }, SwinWindows.clamp(new long[] { 4, 4, 8 }, w, s));
		// a size equal to the window is clamped too (MONAI: x_size <= window_size)
		assertArrayEquals(new int[][] { { 7, 2, 7 }, { 0, 0, 3 } }, SwinWindows.clamp(new long[] { 7, 2, 8 }, w, s));
	}

	@Test
	void relativePositionIndexOfA2x2x2Window() {
		int[] index = SwinWindows.relativePositionIndex(new int[] { 2, 2, 2 });
		assertEquals(64, index.length);
		for (int i = 0; i < 8; i++) assertEquals(13, index[i * 8 + i], "no offset: the table's centre");
		assertEquals(0, index[7], "token 0 - token 7 = (-1, -1, -1)");
		assertEquals(26, index[7 * 8], "token 7 - token 0 = (1, 1, 1)");
		assertEquals(12, index[1], "token 0 - token 1 = (0, 0, -1) -> (1 * 3 + 1) * 3 + 0");
		assertArrayEquals(new int[] { 13, 12, 14, 13 }, SwinWindows.topLeft(index, 8, 2));
	}

	@Test
	void regionsFollowPythonSliceAssignment() {
		int[] r = SwinWindows.axisRegions(21, 7, 3);
		for (int i = 0; i < 21; i++) assertEquals(i < 14 ? 0 : i < 18 ? 1 : 2, r[i], "position " + i);
		int[] unshifted = SwinWindows.axisRegions(8, 4, 0);
		for (int v : unshifted) assertEquals(2, v, "shift 0: the slice [-0:] covers the axis");
		int[][] labels = SwinWindows.regionLabels(new int[] { 14, 14, 14 }, new int[] { 7, 7, 7 }, new int[] { 3, 3, 3 });
		assertEquals(8, labels.length);
		for (int v : labels[0]) assertEquals(0, v, "the first window lies in one region");
		int[] last = labels[7];
		// the last window covers positions 7..13 of each axis: [7, 11) region 1, [11, 14) region 2
		assertEquals(9 + 3 + 1, last[0], "token (0,0,0) = position (7,7,7)");
		assertEquals(9 + 3 + 2, last[4], "token (0,0,4) = position (7,7,11)");
		assertEquals(18 + 6 + 2, last[(4 * 7 + 4) * 7 + 4], "token (4,4,4) = position (11,11,11)");
		assertEquals(18, labels[4][(4 * 7) * 7], "window (1,0,0), token (4,0,0) = position (11,0,0): regions (2,0,0)");
	}
}
