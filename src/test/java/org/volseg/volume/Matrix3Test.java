package org.volseg.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

class Matrix3Test {

	@Test
	void nearestOrthogonalIsThePolarFactor() {
		Random r = new Random(1);
		for (int t = 0; t < 200; t++) {
			double[][] a = new double[3][3];
			for (double[] row : a)
				for (int j = 0; j < 3; j++)
					row[j] = r.nextGaussian();
			if (Math.abs(Matrix3.determinant(a)) < 1e-3)
				continue;
			double[][] u = Matrix3.nearestOrthogonal(a);
			double[][] utu = Matrix3.multiply(Matrix3.transpose(u), u);
			for (int i = 0; i < 3; i++)
				for (int j = 0; j < 3; j++)
					assertEquals(i == j ? 1 : 0, utu[i][j], 1e-10, "U is orthogonal");
			assertEquals(Math.signum(Matrix3.determinant(a)), Math.signum(Matrix3.determinant(u)));
			// P = U^T A is symmetric positive definite
			double[][] p = Matrix3.multiply(Matrix3.transpose(u), a);
			for (int i = 0; i < 3; i++) {
				for (int j = 0; j < 3; j++)
					assertEquals(p[i][j], p[j][i], 1e-9, "P is symmetric");
			}
			double[][] v = new double[3][3];
			for (double l : Matrix3.symmetricEigen(p, v))
				assertEquals(true, l > 0, "P is positive definite");
		}
	}

	@Test
	void symmetricEigenReconstructs() {
		double[][] s = { { 4, 1, 0.5 }, { 1, 3, -0.2 }, { 0.5, -0.2, 1 } };
		double[][] v = new double[3][3];
		double[] l = Matrix3.symmetricEigen(s, v);
		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 3; j++) {
				double x = 0;
				for (int k = 0; k < 3; k++)
					x += v[i][k] * l[k] * v[j][k];
				assertEquals(s[i][j], x, 1e-12);
			}
	}
}
