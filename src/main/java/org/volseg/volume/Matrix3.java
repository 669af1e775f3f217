package org.volseg.volume;

/**
 * Small 3x3 matrix helpers (row-major {@code double[3][3]}) for geometry code: products,
 * determinants and the polar decomposition. Stateless and thread-safe; inputs are never modified.
 */
public final class Matrix3 {

	private Matrix3() {}

	/** The upper-left 3x3 block of a 4x4 (or larger) matrix, copied. */
	public static double[][] block(double[][] m) {
		double[][] b = new double[3][3];
		for (int r = 0; r < 3; r++)
			System.arraycopy(m[r], 0, b[r], 0, 3);
		return b;
	}

	public static double determinant(double[][] a) {
		return a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
				- a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
				+ a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
	}

	public static double[][] multiply(double[][] a, double[][] b) {
		double[][] m = new double[3][3];
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 3; c++)
				m[r][c] = a[r][0] * b[0][c] + a[r][1] * b[1][c] + a[r][2] * b[2][c];
		return m;
	}

	public static double[][] transpose(double[][] a) {
		double[][] t = new double[3][3];
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 3; c++)
				t[r][c] = a[c][r];
		return t;
	}

	/** Euclidean norms of the three columns. */
	public static double[] columnNorms(double[][] a) {
		double[] n = new double[3];
		for (int c = 0; c < 3; c++)
			n[c] = Math.sqrt(a[0][c] * a[0][c] + a[1][c] * a[1][c] + a[2][c] * a[2][c]);
		return n;
	}

	/**
	 * The orthogonal factor U of the polar decomposition {@code a = U P} of an invertible matrix: the
	 * orthogonal matrix nearest to {@code a} in the Frobenius norm, equal to {@code P Q^T} of the SVD
	 * {@code a = P S Q^T}. Its determinant has the sign of {@code det(a)}.
	 *
	 * @throws IllegalArgumentException if {@code a} is singular
	 */
	public static double[][] nearestOrthogonal(double[][] a) {
		double[][] ata = multiply(transpose(a), a);
		double[][] v = new double[3][3];
		double[] lambda = symmetricEigen(ata, v);
		double[][] invSqrt = new double[3][3];
		for (int k = 0; k < 3; k++) {
			if (!(lambda[k] > 0))
				throw new IllegalArgumentException("singular matrix has no polar decomposition");
			double w = 1 / Math.sqrt(lambda[k]);
			for (int r = 0; r < 3; r++)
				for (int c = 0; c < 3; c++)
					invSqrt[r][c] += w * v[r][k] * v[c][k];
		}
		return multiply(a, invSqrt);
	}

	/**
	 * Eigen-decomposition of a symmetric 3x3 matrix by cyclic Jacobi rotations.
	 *
	 * @param eigenvectors receives the eigenvectors as columns
	 * @return the eigenvalues, in the order of the eigenvector columns
	 */
	public static double[] symmetricEigen(double[][] symmetric, double[][] eigenvectors) {
		double[][] a = new double[3][3];
		for (int r = 0; r < 3; r++) {
			System.arraycopy(symmetric[r], 0, a[r], 0, 3);
			for (int c = 0; c < 3; c++)
				eigenvectors[r][c] = r == c ? 1 : 0;
		}
		for (int sweep = 0; sweep < 64; sweep++) {
			double off = a[0][1] * a[0][1] + a[0][2] * a[0][2] + a[1][2] * a[1][2];
			double diag = a[0][0] * a[0][0] + a[1][1] * a[1][1] + a[2][2] * a[2][2];
			if (off <= 1e-34 * diag || off == 0)
				break;
			for (int p = 0; p < 2; p++)
				for (int q = p + 1; q < 3; q++)
					rotate(a, eigenvectors, p, q);
		}
		return new double[] { a[0][0], a[1][1], a[2][2] };
	}

	private static void rotate(double[][] a, double[][] v, int p, int q) {
		if (a[p][q] == 0)
			return;
		double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
		double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
		if (theta == 0)
			t = 1;
		double c = 1 / Math.sqrt(t * t + 1), s = t * c;
		for (int k = 0; k < 3; k++) {
			double akp = a[k][p], akq = a[k][q];
			a[k][p] = c * akp - s * akq;
			a[k][q] = s * akp + c * akq;
		}
		for (int k = 0; k < 3; k++) {
			double apk = a[p][k], aqk = a[q][k];
			a[p][k] = c * apk - s * aqk;
			a[q][k] = s * apk + c * aqk;
		}
		for (int k = 0; k < 3; k++) {
			double vkp = v[k][p], vkq = v[k][q];
			v[k][p] = c * vkp - s * vkq;
			v[k][q] = s * vkp + c * vkq;
		}
	}
}
