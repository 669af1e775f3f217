package org.volseg.nets.swinunetr;

/**
 * The window geometry of MONAI's 3-D Swin Transformer, computed in plain Java while the graph is
 * built: window sizes clamped to the feature map ({@code get_window_size}), the relative position
 * index ({@code WindowAttention.relative_position_index}) and the region labels behind the
 * shifted-window attention mask ({@code compute_mask}). Axes are (d0, d1, d2). Stateless.
 */
final class SwinWindows {

	private SwinWindows() {
	}

	/**
	 * MONAI {@code get_window_size}: along each axis whose size is at most the window, the window
	 * becomes the size and the shift 0.
	 *
	 * @return {window sizes, shift sizes}
	 */
	static int[][] clamp(long[] size, int[] window, int[] shift) {
		int[] w = window.clone();
		int[] s = shift.clone();
		for (int a = 0; a < 3; a++) {
			if (size[a] <= window[a]) {
				w[a] = (int) size[a];
				s[a] = 0;
			}
		}
		return new int[][] { w, s };
	}

	/**
	 * {@code relative_position_index} of a window: for tokens i, j (row-major over the window),
	 * {@code ((di + w0 - 1) * (2 w1 - 1) + dj + w1 - 1) * (2 w2 - 1) + dk + w2 - 1} where
	 * (di, dj, dk) is the position of i minus that of j.
	 *
	 * @return {@code [n * n]} row-major, n = w0 w1 w2
	 */
	static int[] relativePositionIndex(int[] window) {
		int n = window[0] * window[1] * window[2];
		int m1 = 2 * window[1] - 1;
		int m2 = 2 * window[2] - 1;
		int[] index = new int[n * n];
		for (int i = 0; i < n; i++) {
			int[] pi = position(i, window);
			for (int j = 0; j < n; j++) {
				int[] pj = position(j, window);
				int r0 = pi[0] - pj[0] + window[0] - 1;
				int r1 = pi[1] - pj[1] + window[1] - 1;
				int r2 = pi[2] - pj[2] + window[2] - 1;
				index[i * n + j] = (r0 * m1 + r1) * m2 + r2;
			}
		}
		return index;
	}

	/** The top-left {@code k x k} block of a row-major {@code n x n} index, as MONAI's {@code index[:k, :k]}. */
	static int[] topLeft(int[] index, int n, int k) {
		int[] out = new int[k * k];
		for (int i = 0; i < k; i++) System.arraycopy(index, i * n, out, i * k, k);
		return out;
	}

	private static int[] position(int token, int[] window) {
		return new int[] { token / (window[1] * window[2]), token / window[2] % window[1], token % window[2] };
	}

	/**
	 * MONAI {@code compute_mask} before the comparison: the region label of every token of the
	 * padded grid, arranged window by window as {@code window_partition} arranges them.
	 *
	 * @param padded the padded grid size (multiples of the window)
	 * @return {@code [windows][tokens per window]}, windows in (d0, d1, d2) row-major order
	 */
	static int[][] regionLabels(int[] padded, int[] window, int[] shift) {
		int[][] axis = new int[3][];
		for (int a = 0; a < 3; a++) axis[a] = axisRegions(padded[a], window[a], shift[a]);
		int[] nw = { padded[0] / window[0], padded[1] / window[1], padded[2] / window[2] };
		int n = window[0] * window[1] * window[2];
		int[][] labels = new int[nw[0] * nw[1] * nw[2]][n];
		for (int w0 = 0; w0 < nw[0]; w0++) {
			for (int w1 = 0; w1 < nw[1]; w1++) {
				for (int w2 = 0; w2 < nw[2]; w2++) {
					int[] row = labels[(w0 * nw[1] + w1) * nw[2] + w2];
					for (int t = 0; t < n; t++) {
						int[] p = position(t, window);
						row[t] = axis[0][w0 * window[0] + p[0]] * 9 + axis[1][w1 * window[1] + p[1]] * 3
								+ axis[2][w2 * window[2] + p[2]];
					}
				}
			}
		}
		return labels;
	}

	/**
	 * The region index along one axis: MONAI assigns the slices {@code [:-w]}, {@code [-w:-s]},
	 * {@code [-s:]} in this order (Python slice semantics, later ones overwrite), so with s = 0
	 * the last slice {@code [0:]} covers the whole axis.
	 */
	static int[] axisRegions(int length, int window, int shift) {
		int[] region = new int[length];
		Integer[][] slices = { { null, -window }, { -window, -shift }, { -shift, null } };
		for (int r = 0; r < 3; r++) {
			int from = bound(slices[r][0], length, 0);
			int to = bound(slices[r][1], length, length);
			for (int i = from; i < to; i++) region[i] = r;
		}
		return region;
	}

	private static int bound(Integer v, int length, int ifNone) {
		if (v == null) return ifNone;
		int i = v < 0 ? length + v : v;
		return Math.max(0, Math.min(length, i));
	}
}
