package org.volseg.sample;

import java.util.SplittableRandom;

/**
 * Deterministic low-frequency noise in world space: random values in [-1, 1] on a cubic lattice
 * (cell size in mm), interpolated with a smoothstep-weighted trilinear blend. The result lies in
 * [-1, 1] and varies over about one cell. Immutable and thread-safe once built.
 */
final class SmoothNoise {

	private final double cell;
	private final double[] min;
	private final int nx, ny, nz;
	private final float[] lattice;

	/**
	 * @param lower world corner (mm) that the field must cover
	 * @param upper opposite world corner (mm)
	 * @param cell lattice spacing in mm
	 * @param random the source of the lattice values (consumed here)
	 */
	SmoothNoise(double[] lower, double[] upper, double cell, SplittableRandom random) {
		this.cell = cell;
		this.min = new double[] { lower[0] - cell, lower[1] - cell, lower[2] - cell };
		nx = (int) Math.ceil((upper[0] - min[0]) / cell) + 3;
		ny = (int) Math.ceil((upper[1] - min[1]) / cell) + 3;
		nz = (int) Math.ceil((upper[2] - min[2]) / cell) + 3;
		lattice = new float[nx * ny * nz];
		for (int i = 0; i < lattice.length; i++)
			lattice[i] = (float) (2 * random.nextDouble() - 1);
	}

	/** The noise at a world point (mm); points outside the covered box are clamped to it. */
	double at(double x, double y, double z) {
		double fx = clamp((x - min[0]) / cell, nx), fy = clamp((y - min[1]) / cell, ny), fz = clamp((z - min[2]) / cell, nz);
		int ix = (int) fx, iy = (int) fy, iz = (int) fz;
		double tx = smooth(fx - ix), ty = smooth(fy - iy), tz = smooth(fz - iz);
		double c00 = lerp(node(ix, iy, iz), node(ix + 1, iy, iz), tx);
		double c10 = lerp(node(ix, iy + 1, iz), node(ix + 1, iy + 1, iz), tx);
		double c01 = lerp(node(ix, iy, iz + 1), node(ix + 1, iy, iz + 1), tx);
		double c11 = lerp(node(ix, iy + 1, iz + 1), node(ix + 1, iy + 1, iz + 1), tx);
		return lerp(lerp(c00, c10, ty), lerp(c01, c11, ty), tz);
	}

	private double node(int x, int y, int z) {
		return lattice[x + nx * (y + ny * z)];
	}

	private static double clamp(double f, int n) {
		return Math.max(0, Math.min(n - 1.000001, f));
	}

	private static double smooth(double t) {
		return t * t * (3 - 2 * t);
	}

	private static double lerp(double a, double b, double t) {
		return a + (b - a) * t;
	}
}
