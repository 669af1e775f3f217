package org.volseg.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GeometryTest {

	private static final double[][] SHEARED = { { -0.9, 0.2, 0.1, 12 }, { 0.05, 0.85, -0.3, -7 }, { 0, 0.4, 3, 100 },
			{ 0, 0, 0, 1 } };

	@Test
	void rasAndLpsDifferBySignOfTheFirstTwoWorldAxes() {
		Geometry g = Geometry.ofLps(SHEARED);
		double[][] ras = g.affineRas();
		for (int c = 0; c < 4; c++) {
			assertArrayEquals(new double[] { -SHEARED[0][c], -SHEARED[1][c], SHEARED[2][c] },
					new double[] { ras[0][c], ras[1][c], ras[2][c] }, 0);
		}
		assertTrue(Geometry.ofRas(ras).equals(g));
	}

	@Test
	void worldToVoxelInvertsVoxelToWorld() {
		Geometry g = Geometry.ofLps(SHEARED);
		double[] voxel = { 3.5, -2, 17.25 }, world = new double[3], back = new double[3];
		g.voxelToWorld(voxel, world);
		g.worldToVoxel(world, back);
		assertArrayEquals(voxel, back, 1e-12);
	}

	@Test
	void spacingIsTheColumnNorms() {
		Geometry g = Geometry.ofLps(SHEARED);
		assertArrayEquals(new double[] { Math.hypot(0.9, 0.05), Math.sqrt(0.04 + 0.85 * 0.85 + 0.16),
				Math.sqrt(0.01 + 0.09 + 9) }, g.spacing(), 1e-12);
		assertArrayEquals(new double[] { 12, -7, 100 }, g.origin(), 0);
	}

	@Test
	void singularOrMalformedAffinesAreRefused() {
		assertThrows(IllegalArgumentException.class,
				() -> Geometry.ofLps(new double[][] { { 1, 0, 0, 0 }, { 2, 0, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 0, 1 } }));
		assertThrows(IllegalArgumentException.class,
				() -> Geometry.ofLps(new double[][] { { 1, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 1, 1 } }));
		assertThrows(IllegalArgumentException.class,
				() -> Geometry.ofLps(new double[][] { { Double.NaN, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 0, 1 } }));
	}

	@Test
	void signedZerosDoNotMakeEqualPlacementsDiffer() {
		double[][] ras = { { -2, 0, 0, -0.0 }, { 0, -0.0, 3, -254 }, { 0, 2, 0, 0 }, { 0, 0, 0, 1 } };
		double[][] plain = { { -2, 0, 0, 0 }, { 0, 0, 3, -254 }, { 0, 2, 0, 0 }, { 0, 0, 0, 1 } };
		assertEquals(Geometry.ofRas(plain), Geometry.ofRas(ras));
		for (double[] row : Geometry.ofRas(ras).affineLps())
			for (double v : row)
				assertEquals(false, v == 0 && 1 / v < 0, "no -0.0 in " + java.util.Arrays.toString(row));
		assertEquals(2.0, Geometry.ofRas(ras).affineLps()[0][0], 0);
		assertEquals(254.0, Geometry.ofRas(ras).affineLps()[1][3], 0);
	}
}
