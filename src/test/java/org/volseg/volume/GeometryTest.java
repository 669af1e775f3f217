package org.volseg.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GeometryTest {

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
