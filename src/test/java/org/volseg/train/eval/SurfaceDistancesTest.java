package org.volseg.train.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class SurfaceDistancesTest {

	@Test
	void percentileInterpolatesLinearlyLikeNumpy() {
		// numpy.percentile([1, 2, 3, 4, 10], 95) == 8.8 ; ([5], 95) == 5 ; ([0, 10], 50) == 5
		assertEquals(8.8, SurfaceDistances.percentile(new double[] { 10, 2, 4, 1, 3 }, 95), 1e-12);
		assertEquals(5, SurfaceDistances.percentile(new double[] { 5 }, 95), 0);
		assertEquals(5, SurfaceDistances.percentile(new double[] { 10, 0 }, 50), 0);
		assertEquals(10, SurfaceDistances.percentile(new double[] { 10, 0, 3 }, 100), 0);
	}

	@Test
	void edgesAreMaskMinusSixConnectedErosionWithBackgroundBorder() {
		int[] dims = { 5, 5, 5 };
		boolean[] cube = new boolean[125];
		for (int z = 1; z <= 3; z++)
			for (int y = 1; y <= 3; y++)
				for (int x = 1; x <= 3; x++)
					cube[x + 5 * (y + 5 * z)] = true;
		boolean[] e = SurfaceDistances.edges(cube, dims);
		assertFalse(e[2 + 5 * (2 + 5 * 2)], "centre of a 3x3x3 cube is not surface");
		assertEquals(26, count(e));
		boolean[] full = new boolean[27];
		java.util.Arrays.fill(full, true);
		// a grid-filling mask: every voxel touching the grid border is surface (outside = background)
		boolean[] fe = SurfaceDistances.edges(full, new int[] { 3, 3, 3 });
		assertEquals(26, count(fe));
		assertFalse(fe[13]);
	}

	@Test
	void percentileHausdorffMatchesBruteForceOnRandomBlobs() {
		SplittableRandom random = new SplittableRandom(7);
		int[] dims = { 14, 12, 9 };
		double[] spacing = { 0.9, 1.4, 2.6 };
		for (int trial = 0; trial < 4; trial++) {
			boolean[] a = blob(dims, random);
			boolean[] b = blob(dims, random);
			for (double p : new double[] { 95, 100, 50 }) {
				double expected = Math.max(bruteDirected(a, b, dims, spacing, p), bruteDirected(b, a, dims, spacing, p));
				assertEquals(expected, SurfaceDistances.percentileHausdorff(a, b, dims, spacing, p), 1e-9,
						"trial " + trial + " percentile " + p);
			}
		}
	}

	@Test
	void identicalMasksAreZeroApart() {
		SplittableRandom random = new SplittableRandom(3);
		int[] dims = { 10, 10, 10 };
		boolean[] a = blob(dims, random);
		assertEquals(0, SurfaceDistances.percentileHausdorff(a, a.clone(), dims, new double[] { 1, 2, 3 }, 95), 0);
		assertArrayEquals(new double[0], SurfaceDistances.directedSurfaceDistances(new boolean[1000], a, dims,
				new double[] { 1, 1, 1 }));
	}

	private static boolean[] blob(int[] dims, SplittableRandom random) {
		boolean[] m = new boolean[dims[0] * dims[1] * dims[2]];
		for (int k = 0; k < 3; k++) {
			double cx = random.nextDouble(dims[0]), cy = random.nextDouble(dims[1]), cz = random.nextDouble(dims[2]);
			double r = 1.5 + random.nextDouble(3);
			for (int z = 0, i = 0; z < dims[2]; z++)
				for (int y = 0; y < dims[1]; y++)
					for (int x = 0; x < dims[0]; x++, i++)
						if ((x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz) <= r * r)
							m[i] = true;
		}
		m[random.nextInt(m.length)] = true;
		return m;
	}

	/** Directed percentile surface distance by brute force over voxel pairs. */
	private static double bruteDirected(boolean[] from, boolean[] to, int[] dims, double[] s, double p) {
		boolean[] ef = SurfaceDistances.edges(from, dims);
		boolean[] et = SurfaceDistances.edges(to, dims);
		List<Double> d = new ArrayList<>();
		for (int i = 0; i < ef.length; i++) {
			if (!ef[i])
				continue;
			double best = Double.POSITIVE_INFINITY;
			for (int j = 0; j < et.length; j++)
				if (et[j]) {
					double dx = (i % dims[0] - j % dims[0]) * s[0];
					double dy = ((i / dims[0]) % dims[1] - (j / dims[0]) % dims[1]) * s[1];
					double dz = (i / (dims[0] * dims[1]) - j / (dims[0] * dims[1])) * s[2];
					best = Math.min(best, Math.sqrt(dx * dx + dy * dy + dz * dz));
				}
			d.add(best);
		}
		assertTrue(!d.isEmpty());
		return SurfaceDistances.percentile(d.stream().mapToDouble(Double::doubleValue).toArray(), p);
	}

	private static int count(boolean[] a) {
		int n = 0;
		for (boolean b : a)
			if (b)
				n++;
		return n;
	}
}
