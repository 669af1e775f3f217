package org.volseg.io.nifti;

import org.volseg.volume.Matrix3;

/**
 * NIfTI's three ways of placing voxels (sform, qform, pixdim only), computed as nibabel computes
 * them, and the reverse: a qform (quaternion, offsets, voxel sizes, qfac) for a given affine. All
 * affines here are voxel-to-RAS (NIfTI's world), 4 rows of 4. Stateless.
 */
final class NiftiAffines {

	/** Which header fields placed the voxels. */
	public enum Source {
		SFORM, QFORM, PIXDIM;

		public String label() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}
	}

	/** An affine and the header fields it came from. */
	public record Choice(double[][] affineRas, Source source) {}

	/** A qform: quaternion (b, c, d; a is implied and non-negative), offsets (mm), voxel sizes and qfac (+1 or -1). */
	public record Qform(double[] quatern, double[] qoffset, double[] zooms, double qfac) {}

	private NiftiAffines() {}

	/**
	 * The affine nibabel chooses: the sform if {@code sform_code > 0}, else the qform if
	 * {@code qform_code > 0}, else the pixdim-only affine. A chosen form whose 3x3 block is singular
	 * or not finite cannot place voxels; the next one in that order is used instead.
	 */
	public static Choice choose(NiftiHeader h) {
		if (h.sformCode() > 0) {
			double[][] s = sform(h);
			if (usable(s))
				return new Choice(s, Source.SFORM);
		}
		if (h.qformCode() > 0) {
			double[][] q = qform(h);
			if (usable(q))
				return new Choice(q, Source.QFORM);
		}
		return new Choice(pixdimOnly(h), Source.PIXDIM);
	}

	/** The sform: srow_x, srow_y, srow_z and (0, 0, 0, 1). */
	public static double[][] sform(NiftiHeader h) {
		double[][] s = h.srow();
		return new double[][] { s[0].clone(), s[1].clone(), s[2].clone(), { 0, 0, 0, 1 } };
	}

	/**
	 * The qform as nibabel's {@code get_qform}: rotation from the quaternion (a = sqrt(1 - b^2 - c^2 - d^2),
	 * 0 if that is negative; the rotation matrix of the normalised quaternion), times
	 * diag(pixdim[1], pixdim[2], qfac * pixdim[3]), then the offsets. qfac is -1 if pixdim[0] < 0,
	 * else 1.
	 */
	public static double[][] qform(NiftiHeader h) {
		double b = h.quatern()[0], c = h.quatern()[1], d = h.quatern()[2];
		double w2 = 1.0 - (b * b + c * c + d * d);
		double a = w2 > 0 ? Math.sqrt(w2) : 0;
		double[][] r = rotation(a, b, c, d);
		double[] z = h.zooms();
		if (h.pixdim()[0] < 0)
			z[2] = -z[2];
		double[][] m = new double[4][4];
		for (int i = 0; i < 3; i++) {
			for (int j = 0; j < 3; j++)
				m[i][j] = r[i][j] * z[j];
			m[i][3] = h.qoffset()[i];
		}
		m[3][3] = 1;
		return m;
	}

	/**
	 * nibabel's fallback ({@code get_base_affine}): diag(-pixdim[1], pixdim[2], pixdim[3]) with the
	 * volume's centre voxel at the world origin.
	 */
	public static double[][] pixdimOnly(NiftiHeader h) {
		double[] z = h.zooms();
		long[] dims = h.volumeDimensions();
		double[] zs = { -z[0], z[1], z[2] };
		double[][] m = new double[4][4];
		for (int i = 0; i < 3; i++) {
			m[i][i] = zs[i];
			m[i][3] = -(dims[i] - 1) / 2.0 * zs[i];
		}
		m[3][3] = 1;
		return m;
	}

	/**
	 * The qform nibabel's {@code set_qform} writes for an affine: voxel sizes are the column norms;
	 * qfac is -1 if the normalised 3x3 block has a negative determinant (its last column is then
	 * negated); the rotation is the nearest orthogonal matrix to that (so a sheared affine gets the
	 * closest rigid one) and is stored as a quaternion with a >= 0.
	 */
	public static Qform qformOf(double[][] affineRas) {
		double[][] r = Matrix3.block(affineRas);
		double[] zooms = Matrix3.columnNorms(r);
		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 3; j++)
				r[i][j] /= zooms[j];
		double qfac = 1;
		if (Matrix3.determinant(r) < 0) {
			qfac = -1;
			for (int i = 0; i < 3; i++)
				r[i][2] = -r[i][2];
		}
		double[] q = quaternion(Matrix3.nearestOrthogonal(r));
		return new Qform(new double[] { q[1], q[2], q[3] },
				new double[] { affineRas[0][3], affineRas[1][3], affineRas[2][3] }, zooms, qfac);
	}

	/** Rotation matrix of quaternion (a, b, c, d) after normalising it (nibabel's {@code quat2mat}). */
	static double[][] rotation(double w, double x, double y, double z) {
		double n = w * w + x * x + y * y + z * z;
		if (n < 1e-300)
			return new double[][] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
		double s = 2.0 / n;
		double xs = x * s, ys = y * s, zs = z * s;
		double wx = w * xs, wy = w * ys, wz = w * zs;
		double xx = x * xs, xy = x * ys, xz = x * zs;
		double yy = y * ys, yz = y * zs, zz = z * zs;
		return new double[][] {
				{ 1 - (yy + zz), xy - wz, xz + wy },
				{ xy + wz, 1 - (xx + zz), yz - wx },
				{ xz - wy, yz + wx, 1 - (xx + yy) } };
	}

	/** Unit quaternion (a, b, c, d) with a >= 0 of a proper rotation matrix (Shepperd's method). */
	static double[] quaternion(double[][] m) {
		double trace = m[0][0] + m[1][1] + m[2][2];
		double w, x, y, z;
		if (trace > 0) {
			double s = Math.sqrt(trace + 1) * 2;
			w = s / 4;
			x = (m[2][1] - m[1][2]) / s;
			y = (m[0][2] - m[2][0]) / s;
			z = (m[1][0] - m[0][1]) / s;
		} else if (m[0][0] > m[1][1] && m[0][0] > m[2][2]) {
			double s = Math.sqrt(1 + m[0][0] - m[1][1] - m[2][2]) * 2;
			w = (m[2][1] - m[1][2]) / s;
			x = s / 4;
			y = (m[0][1] + m[1][0]) / s;
			z = (m[0][2] + m[2][0]) / s;
		} else if (m[1][1] > m[2][2]) {
			double s = Math.sqrt(1 + m[1][1] - m[0][0] - m[2][2]) * 2;
			w = (m[0][2] - m[2][0]) / s;
			x = (m[0][1] + m[1][0]) / s;
			y = s / 4;
			z = (m[1][2] + m[2][1]) / s;
		} else {
			double s = Math.sqrt(1 + m[2][2] - m[0][0] - m[1][1]) * 2;
			w = (m[1][0] - m[0][1]) / s;
			x = (m[0][2] + m[2][0]) / s;
			y = (m[1][2] + m[2][1]) / s;
			z = s / 4;
		}
		if (w < 0)
			return new double[] { -w, -x, -y, -z };
		return new double[] { w, x, y, z };
	}

	private static boolean usable(double[][] a) {
		return org.volseg.volume.Geometry.problem(a) == null;
	}
}
