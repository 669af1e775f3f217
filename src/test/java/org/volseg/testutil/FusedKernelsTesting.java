package org.volseg.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.volseg.engine.kernels.FusedKernels;

/**
 * For tests of VolSeg's fused CPU kernels, which need a C compiler: in CI ({@code CI=true}, where
 * {@code .ci/run} installs gcc) they must be available, and a test fails when they are not;
 * elsewhere (a machine with Java and Maven only) the test is reported as skipped, with the reason.
 * And the comparison those tests share.
 */
public final class FusedKernelsTesting {

	private FusedKernelsTesting() {}

	/** Fails (in CI) or skips (elsewhere) the calling test unless the fused kernels are available. */
	public static void requireFusedKernels() {
		boolean available = FusedKernels.available();
		if ("true".equalsIgnoreCase(System.getenv("CI")))
			assertTrue(available, "CI must test the fused CPU kernels: " + FusedKernels.status());
		else
			assumeTrue(available, FusedKernels.status());
	}

	/**
	 * Asserts that {@code actual} is within {@code tolerance} times the scale (the largest
	 * |expected|) of {@code expected} everywhere, and that the scale exceeds {@code minScale}: a
	 * flat output would make the comparison say nothing.
	 */
	public static void assertCloseToScale(float[] expected, float[] actual, double minScale, double tolerance) {
		assertEquals(expected.length, actual.length, "lengths");
		double scale = 0;
		double diff = 0;
		for (int i = 0; i < expected.length; i++) {
			scale = Math.max(scale, Math.abs(expected[i]));
			diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
		}
		assertTrue(scale > minScale, "output scale " + scale);
		assertTrue(diff <= tolerance * scale, "max |diff| " + diff + " for scale " + scale);
	}
}
