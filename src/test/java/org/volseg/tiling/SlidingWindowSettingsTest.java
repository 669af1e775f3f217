package org.volseg.tiling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.volseg.InvalidParameterException;

class SlidingWindowSettingsTest {

	@Test
	void defaultsAreMonais() {
		SlidingWindowSettings s = SlidingWindowSettings.builder(96, 96, 96).build();
		assertArrayEquals(new int[] { 96, 96, 96 }, s.roi());
		assertArrayEquals(new double[] { 0.25, 0.25, 0.25 }, s.overlap());
		assertEquals(1, s.batch());
		assertEquals(BlendMode.CONSTANT, s.blend());
		assertArrayEquals(new double[] { 0.125, 0.125, 0.125 }, s.sigmaScale());
		assertEquals(Padding.constant(0), s.padding());
	}

	@Test
	void keepsEveryParameter() {
		SlidingWindowSettings s = SlidingWindowSettings.builder(32, 16, 8).overlap(0.5).batch(4)
				.blend(BlendMode.GAUSSIAN).sigmaScale(0.1, 0.2, 0.3).padding(Padding.reflect()).build();
		assertArrayEquals(new int[] { 32, 16, 8 }, s.roi());
		assertArrayEquals(new double[] { 0.5, 0.5, 0.5 }, s.overlap());
		assertEquals(4, s.batch());
		assertEquals(BlendMode.GAUSSIAN, s.blend());
		assertArrayEquals(new double[] { 0.1, 0.2, 0.3 }, s.sigmaScale());
		assertEquals(Padding.reflect(), s.padding());
		assertEquals(s, s.toBuilder().build());
	}

	@Test
	void rejectsBadValuesNamingTheParameter() {
		assertMessage("overlap: expected a number in [0, 1), got 1.2",
				() -> SlidingWindowSettings.builder(8, 8, 8).overlap(1.2));
		assertMessage("overlap: expected a number in [0, 1), got 1.0",
				() -> SlidingWindowSettings.builder(8, 8, 8).overlap(1));
		assertMessage("overlap: expected a number in [0, 1), got -0.1",
				() -> SlidingWindowSettings.builder(8, 8, 8).overlap(-0.1));
		assertMessage("overlap: expected a number in [0, 1), got NaN",
				() -> SlidingWindowSettings.builder(8, 8, 8).overlap(Double.NaN));
		assertMessage("overlap: expected one number in [0, 1), or three (x, y, z), got [0.1, 0.2]",
				() -> SlidingWindowSettings.builder(8, 8, 8).overlap(0.1, 0.2));
		assertMessage("overlap: expected a number in [0, 1), got 1.5",
				() -> SlidingWindowSettings.builder(8, 8, 8).overlap(0.1, 1.5, 0.2));
		assertMessage("roi: expected three window sizes (x, y, z), each at least 1, got [8, 0, 8]",
				() -> SlidingWindowSettings.builder(8, 0, 8));
		assertMessage("roi: expected three window sizes (x, y, z), each at least 1, got [8, 8]",
				() -> SlidingWindowSettings.builder(8, 8));
		assertMessage("batch: expected an integer of at least 1, got 0",
				() -> SlidingWindowSettings.builder(8, 8, 8).batch(0));
		assertMessage("sigma_scale: expected one positive number, or three (x, y, z), got 0.0",
				() -> SlidingWindowSettings.builder(8, 8, 8).sigmaScale(0));
		assertMessage("sigma_scale: expected one positive number, or three (x, y, z), got [0.1, 0.2]",
				() -> SlidingWindowSettings.builder(8, 8, 8).sigmaScale(0.1, 0.2));
		assertMessage("--blend: expected constant or gaussian, got gauss", () -> BlendMode.parse("--blend", "gauss"));
		assertMessage("--pad: expected constant, edge or reflect, got symmetric",
				() -> Padding.parse("--pad", "symmetric", 0));
		assertMessage("pad value: expected a finite float32 number, got NaN", () -> Padding.constant(Double.NaN));
	}

	@Test
	void parsesNames() {
		assertEquals(BlendMode.GAUSSIAN, BlendMode.parse("--blend", "Gaussian"));
		assertEquals(BlendMode.CONSTANT, BlendMode.parse("--blend", "constant"));
		assertEquals(Padding.constant(-1024), Padding.parse("--pad", "constant", -1024));
		assertEquals(Padding.edge(), Padding.parse("--pad", "EDGE", 0));
		assertEquals(Padding.reflect(), Padding.parse("--pad", "reflect", 0));
	}

	private static void assertMessage(String message, Runnable r) {
		InvalidParameterException e = assertThrows(InvalidParameterException.class, r::run);
		assertEquals(message, e.getMessage());
	}
}
