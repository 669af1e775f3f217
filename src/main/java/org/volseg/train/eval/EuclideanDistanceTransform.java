package org.volseg.train.eval;

import java.util.Arrays;

/**
 * Exact Euclidean distance transform of a 3D binary grid with anisotropic spacing, by the separable
 * lower-envelope-of-parabolas algorithm of Felzenszwalb and Huttenlocher ("Distance Transforms of
 * Sampled Functions", Theory of Computing 8, 2012): one 1D pass per axis, linear in the voxel count.
 *
 * <p>Grids are flat arrays in x-fastest order (index {@code x + nx * (y + ny * z)}), the order of
 * a {@code Volume}'s flat iteration. Distances are between voxel centres, in the units of the
 * spacing (millimetres for VolSeg). The result equals the brute-force minimum over all feature
 * voxels of {@code sqrt(sum((s_d * (p_d - q_d))^2))}: it is not restricted to paths inside the
 * grid. Stateless and thread-safe.</p>
 */
final class EuclideanDistanceTransform {

	private EuclideanDistanceTransform() {}

	/**
	 * Squared distance from every voxel to the nearest feature voxel.
	 *
	 * @param feature true at feature voxels (distance 0), x-fastest, length {@code nx * ny * nz}
	 * @param dims (nx, ny, nz), each at least 1
	 * @param spacing distance between neighbouring voxel centres along x, y and z, each positive
	 * @return squared distances; {@code +Infinity} everywhere if there is no feature voxel
	 */
	public static double[] squaredDistances(boolean[] feature, int[] dims, double[] spacing) {
		checkShape(feature.length, dims, spacing);
		double[] d = new double[feature.length];
		for (int i = 0; i < d.length; i++)
			d[i] = feature[i] ? 0 : Double.POSITIVE_INFINITY;
		int nx = dims[0], ny = dims[1], nz = dims[2];
		int longest = Math.max(nx, Math.max(ny, nz));
		Envelope envelope = new Envelope(longest);
		double[] line = new double[longest];
		// axis x: stride 1, lines start at (0, y, z)
		for (int z = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				transformLine(d, (y + ny * z) * nx, 1, nx, spacing[0], line, envelope);
		// axis y: stride nx, lines start at (x, 0, z)
		for (int z = 0; z < nz; z++)
			for (int x = 0; x < nx; x++)
				transformLine(d, x + nx * ny * z, nx, ny, spacing[1], line, envelope);
		// axis z: stride nx * ny, lines start at (x, y, 0)
		for (int y = 0; y < ny; y++)
			for (int x = 0; x < nx; x++)
				transformLine(d, x + nx * y, nx * ny, nz, spacing[2], line, envelope);
		return d;
	}

	/** {@link #squaredDistances} followed by a square root: distances in the spacing's units. */
	public static double[] distances(boolean[] feature, int[] dims, double[] spacing) {
		double[] d = squaredDistances(feature, dims, spacing);
		for (int i = 0; i < d.length; i++)
			d[i] = Math.sqrt(d[i]);
		return d;
	}

	private static void transformLine(double[] d, int start, int stride, int n, double s, double[] line,
			Envelope envelope) {
		for (int i = 0; i < n; i++)
			line[i] = d[start + i * stride];
		envelope.transform(line, n, s);
		for (int i = 0; i < n; i++)
			d[start + i * stride] = line[i];
	}

	private static void checkShape(int length, int[] dims, double[] spacing) {
		if (dims.length != 3 || spacing.length != 3)
			throw new IllegalArgumentException("expected 3 dimensions and 3 spacings, got "
					+ Arrays.toString(dims) + " and " + Arrays.toString(spacing));
		long n = 1;
		for (int k = 0; k < 3; k++) {
			if (dims[k] < 1)
				throw new IllegalArgumentException("dimensions must be at least 1, got " + Arrays.toString(dims));
			if (!(spacing[k] > 0) || !Double.isFinite(spacing[k]))
				throw new IllegalArgumentException("spacing must be positive and finite, got " + Arrays.toString(spacing));
			n *= dims[k];
		}
		if (n != length)
			throw new IllegalArgumentException("grid of " + length + " voxels does not match dimensions " + Arrays.toString(dims));
	}

	/**
	 * The 1D transform {@code out[p] = min_q f[q] + (s (p - q))^2}, computed in place through the
	 * lower envelope of the parabolas rooted at the finite samples. Buffers are reused per line.
	 */
	private static final class Envelope {
		private final int[] roots;
		private final double[] bounds;
		private final double[] values;

		Envelope(int capacity) {
			roots = new int[capacity];
			bounds = new double[capacity + 1];
			values = new double[capacity];
		}

		void transform(double[] f, int n, double s) {
			int k = -1;
			for (int q = 0; q < n; q++) {
				double fq = f[q];
				if (fq == Double.POSITIVE_INFINITY)
					continue;
				double xq = q * s;
				double hq = fq + xq * xq;
				double cross = Double.NEGATIVE_INFINITY;
				while (k >= 0) {
					int v = roots[k];
					double xv = v * s;
					cross = (hq - (values[k] + xv * xv)) / (2 * (xq - xv));
					if (cross <= bounds[k])
						k--;
					else
						break;
				}
				k++;
				roots[k] = q;
				values[k] = fq;
				bounds[k] = k == 0 ? Double.NEGATIVE_INFINITY : cross;
				bounds[k + 1] = Double.POSITIVE_INFINITY;
			}
			if (k < 0)
				return; // no finite sample: the line stays at infinity
			int j = 0;
			for (int p = 0; p < n; p++) {
				double xp = p * s;
				while (bounds[j + 1] < xp)
					j++;
				double dx = xp - roots[j] * s;
				f[p] = values[j] + dx * dx;
			}
		}
	}
}
