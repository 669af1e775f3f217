package org.volseg.testutil;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.volseg.engine.kernels.FusedKernels;

/**
 * For tests of VolSeg's fused CPU kernels, which need a C compiler: in CI ({@code CI=true}, where
 * {@code .ci/run} installs gcc) they must be available, and a test fails when they are not;
 * elsewhere (a machine with Java and Maven only) the test is reported as skipped, with the reason.
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
}
