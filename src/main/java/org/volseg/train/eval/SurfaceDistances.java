package org.volseg.train.eval;

import java.util.Arrays;

/**
 * Surface voxels of binary masks and the percentile Hausdorff distance between them, defined as in
 * MONAI's {@code compute_hausdorff_distance} (metrics/hausdorff_distance.py with
 * {@code get_mask_edges} and {@code get_surface_distance}, Euclidean metric):
 * <ul>
 * <li>the surface (edge) of a mask is the mask minus its binary erosion with the 6-connected cross,
 * voxels outside the grid counting as background (so mask voxels on the grid border are surface);</li>
 * <li>the directed distance set from A to B holds, for every surface voxel of A, the Euclidean
 * distance (mm, anisotropic spacing) from its centre to the nearest surface voxel centre of B;</li>
 * <li>the directed percentile distance is the {@code percentile}-th percentile of that set with
 * linear interpolation between order statistics (numpy's default);</li>
 * <li>the symmetric distance is the larger of the two directed percentile distances.</li>
 * </ul>
 * Both masks must be non-empty; callers decide what an empty mask means (see
 * {@link SegmentationEvaluator}). Grids are flat arrays in x-fastest order. Stateless, thread-safe.
 */
final class SurfaceDistances {

	private SurfaceDistances() {}

	/**
	 * The surface voxels of a mask: mask voxels with at least one of their 6 face neighbours outside
	 * the mask or outside the grid.
	 */
	public static boolean[] edges(boolean[] mask, int[] dims) {
		int nx = dims[0], ny = dims[1], nz = dims[2];
		if ((long) nx * ny * nz != mask.length)
			throw new IllegalArgumentException("mask of " + mask.length + " voxels does not match " + Arrays.toString(dims));
		boolean[] edge = new boolean[mask.length];
		int plane = nx * ny;
		for (int z = 0, i = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++, i++) {
					if (!mask[i])
						continue;
					edge[i] = x == 0 || x == nx - 1 || y == 0 || y == ny - 1 || z == 0 || z == nz - 1
							|| !mask[i - 1] || !mask[i + 1] || !mask[i - nx] || !mask[i + nx]
							|| !mask[i - plane] || !mask[i + plane];
				}
		return edge;
	}

	/**
	 * Distances (mm) from every surface voxel of {@code from} to the nearest surface voxel of
	 * {@code to}, in flat order of the {@code from} surface voxels.
	 *
	 * @param fromEdges surface voxels of the first mask (see {@link #edges})
	 * @param toEdges surface voxels of the second mask; must hold at least one voxel
	 */
	public static double[] directedSurfaceDistances(boolean[] fromEdges, boolean[] toEdges, int[] dims, double[] spacing) {
		double[] squared = EuclideanDistanceTransform.squaredDistances(toEdges, dims, spacing);
		int n = 0;
		for (boolean e : fromEdges)
			if (e)
				n++;
		double[] out = new double[n];
		for (int i = 0, j = 0; i < fromEdges.length; i++)
			if (fromEdges[i])
				out[j++] = Math.sqrt(squared[i]);
		return out;
	}

	/**
	 * The symmetric percentile Hausdorff distance (mm) between two non-empty masks on the same grid.
	 *
	 * @param percentile in [0, 100]; 95 gives HD95, 100 the classic Hausdorff distance
	 * @throws IllegalArgumentException if a mask is empty or the percentile is outside [0, 100]
	 */
	public static double percentileHausdorff(boolean[] maskA, boolean[] maskB, int[] dims, double[] spacing, double percentile) {
		if (!(percentile >= 0 && percentile <= 100))
			throw new IllegalArgumentException("percentile must be in [0, 100], got " + percentile);
		boolean[] edgesA = edges(maskA, dims);
		boolean[] edgesB = edges(maskB, dims);
		if (!any(edgesA) || !any(edgesB))
			throw new IllegalArgumentException("both masks must hold at least one voxel");
		double ab = percentile(directedSurfaceDistances(edgesA, edgesB, dims, spacing), percentile);
		double ba = percentile(directedSurfaceDistances(edgesB, edgesA, dims, spacing), percentile);
		return Math.max(ab, ba);
	}

	/**
	 * The {@code p}-th percentile of the values with linear interpolation between the two nearest
	 * order statistics (rank {@code p / 100 * (n - 1)}), as numpy's {@code percentile} and
	 * PyTorch's {@code quantile} by default. Sorts {@code values} in place.
	 *
	 * @throws IllegalArgumentException for an empty array
	 */
	public static double percentile(double[] values, double p) {
		if (values.length == 0)
			throw new IllegalArgumentException("no values");
		Arrays.sort(values);
		double rank = p / 100 * (values.length - 1);
		int lo = (int) Math.floor(rank);
		int hi = Math.min(lo + 1, values.length - 1);
		double frac = rank - lo;
		return frac == 0 ? values[lo] : values[lo] + (values[hi] - values[lo]) * frac;
	}

	private static boolean any(boolean[] a) {
		for (boolean b : a)
			if (b)
				return true;
		return false;
	}
}
