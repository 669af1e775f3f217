package org.volseg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ValidationTest {

	@Test
	void dicePerClass() {
		byte[] ref = { 0, 0, 1, 1, 1, 2, 2, 0 };
		byte[] pred = { 0, 1, 1, 1, 0, 2, 0, 0 };
		double[] d = Validation.dice(ref, pred, 4);
		assertEquals(2.0 * 2 / (4 + 3), d[0], 1e-12);
		assertEquals(2.0 * 2 / (3 + 3), d[1], 1e-12);
		assertEquals(2.0 * 1 / (2 + 1), d[2], 1e-12);
		assertTrue(Double.isNaN(d[3]), "absent from both: undefined");
		assertEquals((d[1] + d[2]) / 2, Validation.meanForeground(d), 1e-12);
	}
}
