package org.volseg.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Expected values were computed by hand from MONAI 1.x's {@code compute_importance_map} formula in
 * float32 (numpy: per-axis {@code exp(x**2 / float32(-2 sigma**2))}, outer product, clamp at
 * {@code max(min, 1e-3)}), not with this class.
 */
class ImportanceMapTest {

	private static final float EPS = 3e-7f;

	@Test
	void gaussianValuesMatchTheFormula() {
		// roi (3, 4, 5), sigma_scale 0.5: sigma (1.5, 2, 2.5); no weight below 1e-3, so no clamp
		ImportanceMap m = ImportanceMap.of(BlendMode.GAUSSIAN, new int[] { 3, 4, 5 }, new double[] { 0.5, 0.5, 0.5 });
		assertEquals(0.4389049708843231f, m.weight(0, 0, 0), EPS); // exp(-(1/4.5 + 2.25/8 + 4/12.5))
		assertEquals(0.9692331552505493f, m.weight(1, 1, 2), EPS); // exp(-0.25/8)
		assertEquals(0.4389049708843231f, m.weight(2, 3, 4), EPS);
		assertEquals(0.7038077116012573f, m.weight(1, 2, 0), EPS);
		assertEquals(0.604428231716156f, m.weight(0, 3, 2), EPS);
		float[] a = m.toArray();
		assertEquals(m.weight(0, 3, 2), a[(0 * 4 + 3) * 5 + 2]); // [x, y, z], z fastest
	}

	@Test
	void odd7x5x9WithDefaultSigmaIsClampedAt1e3() {
		ImportanceMap m = ImportanceMap.of(BlendMode.GAUSSIAN, new int[] { 7, 5, 9 }, new double[] { 0.125, 0.125, 0.125 });
		assertEquals(1f, m.weight(3, 2, 4), 0f); // the centre of an odd window: exp(0), no normalisation needed
		assertEquals(0.09747855365276337f, m.weight(2, 1, 3), EPS);
		assertEquals(0.0028016376309096813f, m.weight(0, 2, 4), EPS);
		assertEquals(1e-3f, m.weight(0, 0, 0), 0f); // 3.0e-8 before the clamp
	}

	/** The parity fixture's window: 32^3, sigma_scale 0.125. */
	@Test
	void fixtureWindow() {
		ImportanceMap m = ImportanceMap.of(BlendMode.GAUSSIAN, new int[] { 32, 32, 32 }, new double[] { 0.125, 0.125, 0.125 });
		// even size: the centre lies between voxels, exp(-0.25 / 32)^3, and is not normalised to 1
		assertEquals(0.9768350720405579f, m.weight(15, 15, 15), EPS);
		assertEquals(0.9768350720405579f, m.weight(16, 16, 16), EPS);
		assertEquals(0.14072638750076294f, m.weight(10, 12, 20), EPS);
		float min = Float.MAX_VALUE;
		int clamped = 0;
		for (float w : m.toArray()) {
			min = Math.min(min, w);
			if (w == 1e-3f)
				clamped++;
		}
		assertEquals(1e-3f, min, 0f);
		assertEquals(18992, clamped); // voxels whose weight was below 1e-3 (counted with numpy)
	}

	@Test
	void constantIsOne() {
		ImportanceMap m = ImportanceMap.of(SlidingWindowSettings.builder(4, 3, 2).build());
		for (float w : m.toArray())
			assertEquals(1f, w, 0f);
		assertEquals(24, m.toArray().length);
	}

	@Test
	void perAxisSigma() {
		ImportanceMap m = ImportanceMap.of(BlendMode.GAUSSIAN, new int[] { 3, 3, 3 }, new double[] { 1, 0.5, 2 });
		// voxel (0, 0, 0): exp(-1/(2*9)) * exp(-1/(2*2.25)) * exp(-1/(2*36))
		assertEquals((float) Math.exp(-1 / 18.0 - 1 / 4.5 - 1 / 72.0), m.weight(0, 0, 0), EPS);
	}
}
