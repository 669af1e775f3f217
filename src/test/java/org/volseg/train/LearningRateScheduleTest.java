package org.volseg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

	@Test
	void warmsUpLinearlyThenDecaysAlongACosine() {
		LearningRateSchedule s = new LearningRateSchedule(1e-3, 10, 110, 0.1);
		assertEquals(1e-4, s.rate(0), 1e-12);
		assertEquals(5e-4, s.rate(4), 1e-12);
		assertEquals(1e-3, s.rate(9), 1e-12);
		assertEquals(1e-3, s.rate(10), 1e-12);
		assertEquals(1e-4 + 0.9e-3 * 0.5, s.rate(60), 1e-12);
		assertEquals(1e-4, s.rate(110), 1e-12);
		assertEquals(1e-4, s.rate(500), 1e-12);
		double prev = s.rate(10);
		for (int i = 11; i <= 110; i++) {
			double r = s.rate(i);
			assertEquals(true, r <= prev, "monotone after warm-up");
			prev = r;
		}
	}

	@Test
	void refusesNonsense() {
		assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(0, 0, 10, 0));
		assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(1e-3, 0, 0, 0));
	}
}
