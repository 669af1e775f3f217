package org.volseg.tiling;

import org.volseg.runtime.PatchPredictor;

import java.util.Arrays;

/**
 * The weight of every voxel of a window when overlapping window outputs are blended; immutable
 * and thread-safe. Matches MONAI 1.x {@code compute_importance_map} followed by the clamp in
 * {@code sliding_window_inference}:
 *
 * <ul>
 * <li>{@link BlendMode#CONSTANT}: every weight is 1.</li>
 * <li>{@link BlendMode#GAUSSIAN}: window voxel {@code p} has weight
 * {@code prod_i exp(-(p_i - (roi_i - 1) / 2)^2 / (2 * (sigma_scale_i * roi_i)^2))}, each 1D factor
 * rounded to float32 and multiplied in float32 in axis order x, y, z, as MONAI does. Then every
 * weight is clamped from below at {@code max(smallest weight, 1e-3)}, so weights never fall
 * below 1e-3 and no voxel is left without weight.</li>
 * </ul>
 *
 * <p>No normalisation: the centre weight is 1 for an odd window size and slightly less for an even
 * one. MONAI up to 0.7 built the gaussian by smoothing a delta and divided it by its maximum;
 * MONAI 0.8 and later (the reference here, MONAI 1.5) evaluate the formula above without dividing
 * by the maximum. Since blended outputs are divided by the summed weights, a global scale would
 * cancel anyway; it would only move the 1e-3 floor. Values agree with MONAI's float32 arithmetic
 * to within a few units in the last place (PyTorch's vectorised {@code exp} and this class's
 * {@code Math.exp} may round differently).</p>
 *
 * <p>Layout of {@link #toArray()}: {@code [x, y, z]} row-major (z fastest), the spatial order of a
 * {@link PatchPredictor} patch.</p>
 */
final class ImportanceMap {

	/** MONAI's floor for the weights. */
	public static final float MIN_WEIGHT = 1e-3f;

	private final int[] roi;
	private final float[] weights;

	private ImportanceMap(int[] roi, float[] weights) {
		this.roi = roi;
		this.weights = weights;
	}

	/** The importance map the settings ask for: their blend mode, window size and sigma scale. */
	public static ImportanceMap of(SlidingWindowSettings settings) {
		return of(settings.blend(), settings.roi(), settings.sigmaScale());
	}

	/**
	 * @param roi window size (x, y, z), each at least 1
	 * @param sigmaScale gaussian sigma per axis as a fraction of the window size (x, y, z); ignored
	 *        for {@link BlendMode#CONSTANT}
	 */
	public static ImportanceMap of(BlendMode mode, int[] roi, double[] sigmaScale) {
		int n = Math.multiplyExact(Math.multiplyExact(roi[0], roi[1]), roi[2]);
		float[] w = new float[n];
		if (mode == BlendMode.CONSTANT) {
			Arrays.fill(w, 1f);
			return new ImportanceMap(roi.clone(), w);
		}
		float[][] g = new float[3][];
		for (int d = 0; d < 3; d++)
			g[d] = gaussian1d(roi[d], sigmaScale[d] * roi[d]);
		int i = 0;
		float min = Float.POSITIVE_INFINITY;
		for (int x = 0; x < roi[0]; x++)
			for (int y = 0; y < roi[1]; y++) {
				float gxy = g[0][x] * g[1][y];
				for (int z = 0; z < roi[2]; z++) {
					float v = gxy * g[2][z];
					w[i++] = v;
					min = Math.min(min, v);
				}
			}
		float floor = Math.max(min, MIN_WEIGHT);
		for (int k = 0; k < n; k++)
			w[k] = Math.max(w[k], floor);
		return new ImportanceMap(roi.clone(), w);
	}

	/** {@code exp(-(p - (size - 1) / 2)^2 / (2 sigma^2))} for p = 0 .. size - 1, each rounded to float32. */
	private static float[] gaussian1d(int size, double sigma) {
		float[] g = new float[size];
		double centre = (size - 1) / 2.0;
		for (int p = 0; p < size; p++) {
			double d = p - centre;
			g[p] = (float) Math.exp(d * d / (-2 * sigma * sigma));
		}
		return g;
	}

	/** Window size (x, y, z); a copy. */
	public int[] roi() {
		return roi.clone();
	}

	/** The weight of window voxel (x, y, z). */
	public float weight(int x, int y, int z) {
		return weights[(x * roi[1] + y) * roi[2] + z];
	}

	/** All weights, {@code [x, y, z]} row-major (z fastest); a copy. */
	public float[] toArray() {
		return weights.clone();
	}

	/** The weights without copying; callers must not modify them. */
	float[] weights() {
		return weights;
	}
}
