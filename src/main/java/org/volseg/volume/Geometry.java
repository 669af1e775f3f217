package org.volseg.volume;

import java.util.Arrays;

/**
 * Where a volume's voxels are in the patient: a 4x4 affine from voxel indices (x, y, z), that is
 * NIfTI's (i, j, k) and DICOM's (column, row, slice), to world coordinates in millimetres in DICOM's
 * patient system (LPS: +x to the patient's left, +y posterior, +z superior).
 *
 * <p>Voxel (0, 0, 0) is the first stored voxel and its centre is at {@link #origin()}. The upper
 * 3x3 block may hold any invertible matrix, shear included; spacing and direction are derived from
 * it (column norms and normalised columns). Instances are immutable and thread-safe; every array
 * returned is a fresh copy.</p>
 */
public final class Geometry {

	private final double[][] affine;

	private Geometry(double[][] affine) {
		this.affine = affine;
	}

	/**
	 * @param affineLps a 4x4 voxel-to-LPS affine given as rows; its last row must be (0, 0, 0, 1)
	 *        and its 3x3 block invertible
	 * @throws IllegalArgumentException if it is not such a matrix
	 */
	public static Geometry ofLps(double[][] affineLps) {
		String problem = problem(affineLps);
		if (problem != null)
			throw new IllegalArgumentException(problem);
		return new Geometry(copy4x4(affineLps));
	}

	/**
	 * Why {@link #ofLps} would refuse an affine (LPS or RAS alike: the rule does not depend on the
	 * sign of the world axes), or null if it is accepted. Readers call this first, so that a file
	 * whose fields give a degenerate geometry gets an error naming the file and the fields.
	 *
	 * @param affine 4 rows of 4
	 */
	public static String problem(double[][] affine) {
		double[][] a = copy4x4(affine);
		if (a[3][0] != 0 || a[3][1] != 0 || a[3][2] != 0 || a[3][3] != 1)
			return "the affine's last row must be (0, 0, 0, 1), got " + Arrays.toString(a[3]);
		for (double[] row : a)
			for (double v : row)
				if (!Double.isFinite(v))
					return "the affine holds a non-finite value: " + Arrays.deepToString(a);
		double det = Math.abs(determinant3(a));
		if (!(det >= 1e-12))
			return "the affine's 3x3 block is singular: " + Arrays.deepToString(a);
		if (!Double.isFinite(det))
			return "the affine's 3x3 block is too large to invert: " + Arrays.deepToString(a);
		return null;
	}

	/** The same as {@link #ofLps} for an affine in RAS (NIfTI's world system): negates world x and y. */
	public static Geometry ofRas(double[][] affineRas) {
		return ofLps(flipXY(copy4x4(affineRas)));
	}

	/** Axis-aligned geometry with the given spacing (mm) and the first voxel at the world origin. */
	public static Geometry ofSpacing(double sx, double sy, double sz) {
		return ofLps(new double[][] { { sx, 0, 0, 0 }, { 0, sy, 0, 0 }, { 0, 0, sz, 0 }, { 0, 0, 0, 1 } });
	}

	/** Identity: 1 mm isotropic spacing, axes along L, P, S, first voxel at the origin. */
	public static Geometry identity() {
		return ofSpacing(1, 1, 1);
	}

	/** The voxel-to-LPS affine as 4 rows of 4. */
	public double[][] affineLps() {
		return copy4x4(affine);
	}

	/** The voxel-to-RAS affine (NIfTI's convention) as 4 rows of 4. */
	public double[][] affineRas() {
		return flipXY(copy4x4(affine));
	}

	/** Distance in mm between neighbouring voxel centres along x, y and z (the 3x3 block's column norms). */
	public double[] spacing() {
		double[] s = new double[3];
		for (int c = 0; c < 3; c++)
			s[c] = Math.sqrt(affine[0][c] * affine[0][c] + affine[1][c] * affine[1][c] + affine[2][c] * affine[2][c]);
		return s;
	}

	/** LPS position in mm of the centre of voxel (0, 0, 0). */
	public double[] origin() {
		return new double[] { affine[0][3], affine[1][3], affine[2][3] };
	}

	/**
	 * Unit vectors of the voxel axes in LPS, as a 3x3 matrix whose column c is the direction of axis
	 * c. Orthonormal unless the geometry is sheared.
	 */
	public double[][] direction() {
		double[] s = spacing();
		double[][] d = new double[3][3];
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 3; c++)
				d[r][c] = affine[r][c] / s[c];
		return d;
	}

	/** Writes the LPS position (mm) of a voxel position (x, y, z; fractional allowed) into {@code world}. */
	public void voxelToWorld(double[] voxel, double[] world) {
		double x = voxel[0], y = voxel[1], z = voxel[2];
		for (int r = 0; r < 3; r++)
			world[r] = affine[r][0] * x + affine[r][1] * y + affine[r][2] * z + affine[r][3];
	}

	/** The voxel position (x, y, z; fractional) of an LPS point in mm, written into {@code voxel}. */
	public void worldToVoxel(double[] world, double[] voxel) {
		inverse().voxelToWorldUnchecked(world, voxel);
	}

	private void voxelToWorldUnchecked(double[] in, double[] out) {
		double x = in[0], y = in[1], z = in[2];
		for (int r = 0; r < 3; r++)
			out[r] = affine[r][0] * x + affine[r][1] * y + affine[r][2] * z + affine[r][3];
	}

	/** The inverse map, world (LPS mm) to voxel, as a Geometry-shaped affine. */
	public Geometry inverse() {
		double[][] a = affine;
		double det = determinant3(a);
		double[][] inv = new double[4][4];
		inv[0][0] = (a[1][1] * a[2][2] - a[1][2] * a[2][1]) / det;
		inv[0][1] = (a[0][2] * a[2][1] - a[0][1] * a[2][2]) / det;
		inv[0][2] = (a[0][1] * a[1][2] - a[0][2] * a[1][1]) / det;
		inv[1][0] = (a[1][2] * a[2][0] - a[1][0] * a[2][2]) / det;
		inv[1][1] = (a[0][0] * a[2][2] - a[0][2] * a[2][0]) / det;
		inv[1][2] = (a[0][2] * a[1][0] - a[0][0] * a[1][2]) / det;
		inv[2][0] = (a[1][0] * a[2][1] - a[1][1] * a[2][0]) / det;
		inv[2][1] = (a[0][1] * a[2][0] - a[0][0] * a[2][1]) / det;
		inv[2][2] = (a[0][0] * a[1][1] - a[0][1] * a[1][0]) / det;
		for (int r = 0; r < 3; r++)
			inv[r][3] = -(inv[r][0] * a[0][3] + inv[r][1] * a[1][3] + inv[r][2] * a[2][3]);
		inv[3][3] = 1;
		return new Geometry(inv);
	}

	/** This geometry followed by nothing else, preceded by a voxel-to-voxel affine: {@code this * voxelMap}. */
	public Geometry compose(double[][] voxelMap) {
		double[][] m = new double[4][4];
		for (int r = 0; r < 4; r++)
			for (int c = 0; c < 4; c++) {
				double s = 0;
				for (int k = 0; k < 4; k++)
					s += affine[r][k] * voxelMap[k][c];
				m[r][c] = s;
			}
		return ofLps(m);
	}

	/** True if every affine entry differs from {@code other}'s by at most {@code tolerance}. */
	public boolean equalsWithin(Geometry other, double tolerance) {
		for (int r = 0; r < 4; r++)
			for (int c = 0; c < 4; c++)
				if (Math.abs(affine[r][c] - other.affine[r][c]) > tolerance)
					return false;
		return true;
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof Geometry && Arrays.deepEquals(affine, ((Geometry) o).affine);
	}

	@Override
	public int hashCode() {
		return Arrays.deepHashCode(affine);
	}

	@Override
	public String toString() {
		return "Geometry(LPS " + Arrays.deepToString(affine) + ")";
	}

	private static double determinant3(double[][] a) {
		return a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
				- a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
				+ a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
	}

	private static double[][] flipXY(double[][] a) {
		for (int c = 0; c < 4; c++) {
			a[0][c] = 0.0 - a[0][c];
			a[1][c] = 0.0 - a[1][c];
		}
		return a;
	}

	private static double[][] copy4x4(double[][] m) {
		if (m.length != 4)
			throw new IllegalArgumentException("expected a 4x4 affine, got " + m.length + " rows");
		double[][] c = new double[4][];
		for (int r = 0; r < 4; r++) {
			if (m[r].length != 4)
				throw new IllegalArgumentException("expected a 4x4 affine, row " + r + " has " + m[r].length + " entries");
			c[r] = new double[4];
			for (int k = 0; k < 4; k++)
				c[r][k] = m[r][k] + 0.0; // -0.0 becomes 0.0, so equal placements compare equal
		}
		return c;
	}
}
