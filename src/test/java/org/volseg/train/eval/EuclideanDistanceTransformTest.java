package org.volseg.train.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class EuclideanDistanceTransformTest {

	@Test
	void matchesBruteForceOnRandomMaskWithAnisotropicSpacing() {
		int[] dims = { 11, 8, 6 };
		double[] spacing = { 0.7, 1.3, 2.9 };
		SplittableRandom random = new SplittableRandom(42);
		for (double density : new double[] { 0.02, 0.1, 0.5 }) {
			boolean[] feature = new boolean[dims[0] * dims[1] * dims[2]];
			for (int i = 0; i < feature.length; i++)
				feature[i] = random.nextDouble() < density;
			feature[random.nextInt(feature.length)] = true;
			double[] d = EuclideanDistanceTransform.distances(feature, dims, spacing);
			for (int i = 0; i < feature.length; i++)
				assertEquals(bruteForce(feature, dims, spacing, i), d[i], 1e-9, "voxel " + i + " density " + density);
		}
	}

	@Test
	void singleFeatureGivesExactAnisotropicDistances() {
		int[] dims = { 5, 4, 3 };
		double[] spacing = { 2, 0.5, 3 };
		boolean[] feature = new boolean[60];
		feature[0] = true;
		double[] d2 = EuclideanDistanceTransform.squaredDistances(feature, dims, spacing);
		// voxel (4, 3, 2): (4*2)^2 + (3*0.5)^2 + (2*3)^2 = 64 + 2.25 + 36
		assertEquals(102.25, d2[4 + 5 * (3 + 4 * 2)], 1e-12);
	}

	@Test
	void noFeatureGivesInfinity() {
		double[] d = EuclideanDistanceTransform.squaredDistances(new boolean[24], new int[] { 2, 3, 4 },
				new double[] { 1, 1, 1 });
		for (double v : d)
			assertTrue(v == Double.POSITIVE_INFINITY);
	}

	private static double bruteForce(boolean[] feature, int[] dims, double[] s, int index) {
		int px = index % dims[0], py = (index / dims[0]) % dims[1], pz = index / (dims[0] * dims[1]);
		double best = Double.POSITIVE_INFINITY;
		for (int i = 0; i < feature.length; i++) {
			if (!feature[i])
				continue;
			double dx = (i % dims[0] - px) * s[0];
			double dy = ((i / dims[0]) % dims[1] - py) * s[1];
			double dz = (i / (dims[0] * dims[1]) - pz) * s[2];
			best = Math.min(best, Math.sqrt(dx * dx + dy * dy + dz * dz));
		}
		return best;
	}
}
