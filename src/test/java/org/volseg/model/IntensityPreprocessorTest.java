package org.volseg.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Expected values computed with numpy 2.4 (np.mean, np.std, np.percentile), see the comments. */
class IntensityPreprocessorTest {

	static float[] a() {
		return new float[] { 0, 0, 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 0, 8, 9, 7, 9 };
	}

	static float[] b() {
		return new float[] { 2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5, 9, 0, 4, 5, 2, 3 };
	}

	static final List<String> XYZ = List.of("x", "y", "z");

	@Test
	void zeroMeanUnitVariancePerSample() {
		float[][] v = { a() };
		IntensityPreprocessor.apply(List.of(new Preprocessing.ZeroMeanUnitVariance(Preprocessing.Mode.PER_SAMPLE, XYZ,
				List.of(), List.of(), 1e-6)), v, NormalizationRegion.VOLUME);
		// (a - a.mean()) / (a.std() + 1e-6)
		float[] expected = { -1.3618187f, -1.3618187f, -0.406777f, -1.0434715f, -0.08842975f, -1.0434715f, 0.22991748f,
				1.5033064f, -0.7251242f, 0.5482647f, 0.22991748f, -0.406777f, 0.22991748f, -1.3618187f, 1.1849592f,
				1.5033064f, 0.866612f, 1.5033064f };
		assertArrayEquals(expected, v[0], 1e-5f);
	}

	@Test
	void zeroMeanUnitVarianceOverTheForegroundZeroesTheBackground() {
		float[][] v = { a(), b() };
		IntensityPreprocessor.apply(List.of(new Preprocessing.ZeroMeanUnitVariance(Preprocessing.Mode.PER_SAMPLE, List.of(),
				List.of(), List.of(), 1e-6)), v, NormalizationRegion.FOREGROUND);
		// m = (a != 0) | (b != 0); where(m, (a - a[m].mean()) / (a[m].std() + 1e-6), 0)
		float[] expected = { -1.484617f, -1.484617f, -0.50129926f, -1.1568444f, -0.17352666f, -1.1568444f, 0.15424591f,
				1.4653362f, -0.8290718f, 0.48201847f, 0.15424591f, -0.50129926f, 0.15424591f, 0f, 1.1375636f, 1.4653362f,
				0.80979103f, 1.4653362f };
		assertArrayEquals(expected, v[0], 1e-5f);
		assertEquals(0f, v[1][13]);
	}

	@Test
	void jointStatisticsOverAllChannels() {
		float[][] v = { a(), b() };
		IntensityPreprocessor.apply(List.of(new Preprocessing.ZeroMeanUnitVariance(Preprocessing.Mode.PER_DATASET,
				List.of("channel", "x", "y", "z"), List.of(), List.of(), 1e-6)), v, NormalizationRegion.VOLUME);
		// concatenate([a, b]): mean 4.3333335, std 3.0092452
		assertEquals((0 - 4.3333335) / (3.0092452 + 1e-6), v[0][0], 1e-5);
		assertEquals((9 - 4.3333335) / (3.0092452 + 1e-6), v[1][12], 1e-5);
	}

	@Test
	void fixedMeanStdPerChannelAndClip() {
		float[][] v = { { -500, 0, 100 }, { 10, 20, 30 } };
		IntensityPreprocessor.apply(List.of(new Preprocessing.Clip(-100, 200),
				new Preprocessing.ZeroMeanUnitVariance(Preprocessing.Mode.FIXED, List.of(), List.of(50.0, 20.0),
						List.of(100.0, 10.0), 0)), v, NormalizationRegion.FOREGROUND);
		assertArrayEquals(new float[] { -1.5f, -0.5f, 0.5f }, v[0], 1e-6f);
		assertArrayEquals(new float[] { -1f, 0f, 1f }, v[1], 1e-6f);
	}

	@Test
	void scaleLinearPerChannel() {
		float[][] v = { { 1, 2 }, { 3, 4 } };
		IntensityPreprocessor.apply(List.of(new Preprocessing.ScaleLinear(List.of(2.0, -1.0), List.of(0.5), "channel")),
				v, NormalizationRegion.VOLUME);
		assertArrayEquals(new float[] { 2.5f, 4.5f }, v[0]);
		assertArrayEquals(new float[] { -2.5f, -3.5f }, v[1]);
	}

	@Test
	void scaleRangeUsesNumpyPercentiles() {
		float[][] v = { a() };
		IntensityPreprocessor.apply(List.of(new Preprocessing.ScaleRange(Preprocessing.Mode.PER_SAMPLE, XYZ, 10, 90, 1e-6)),
				v, NormalizationRegion.VOLUME);
		// np.percentile(a, [10, 90]) = [0, 9]; (a - 0) / (9 - 0 + 1e-6)
		assertArrayEquals(new float[] { 0f, 0f, 0.3333333f, 0.1111111f, 0.4444444f, 0.1111111f, 0.5555555f, 0.9999999f },
				java.util.Arrays.copyOf(v[0], 8), 1e-6f);
	}

	@Test
	void percentilesInterpolateLikeNumpy() {
		assertEquals(3.0, IntensityPreprocessor.percentile(a(), 37), 1e-9);
		assertEquals(2.29, IntensityPreprocessor.percentile(b(), 37), 1e-6);
		assertEquals(8.915, IntensityPreprocessor.percentile(b(), 99.5), 1e-6);
		assertEquals(0.0, IntensityPreprocessor.percentile(b(), 0), 1e-9);
		assertEquals(9.0, IntensityPreprocessor.percentile(b(), 100), 1e-9);
		// foreground of b (a | b nonzero): np.percentile(b[m], [10, 90]) = [1.6, 8.0]
		float[][] ab = { a(), b() };
		boolean[] m = IntensityPreprocessor.foreground(ab);
		float[] fg = new float[17];
		for (int i = 0, k = 0; i < 18; i++)
			if (m[i])
				fg[k++] = ab[1][i];
		assertEquals(1.6, IntensityPreprocessor.percentile(fg.clone(), 10), 1e-6);
		assertEquals(8.0, IntensityPreprocessor.percentile(fg.clone(), 90), 1e-6);
	}

	@Test
	void quickselectAgreesWithSortingOnRandomData() {
		java.util.Random r = new java.util.Random(3);
		for (int trial = 0; trial < 50; trial++) {
			float[] x = new float[1 + r.nextInt(200)];
			for (int i = 0; i < x.length; i++)
				x[i] = r.nextInt(20); // many ties
			float[] sorted = x.clone();
			java.util.Arrays.sort(sorted);
			int k = r.nextInt(x.length);
			assertEquals(sorted[k], IntensityPreprocessor.select(x.clone(), k));
			double p = r.nextDouble() * 100, pos = p / 100 * (x.length - 1);
			int lo = (int) Math.floor(pos);
			double expected = lo + 1 < x.length ? sorted[lo] + (pos - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
			assertEquals(expected, IntensityPreprocessor.percentile(x.clone(), p), 1e-4);
		}
	}
}
