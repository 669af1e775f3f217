package org.volseg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.volseg.volume.Geometry;

class PatchSamplerTest {

	static final int NX = 48, NY = 40, NZ = 24;

	/** Class 1 fills the lower half in z, class 2 is a 2x2x2 cube at (30..31, 10..11, 18..19); image = x + 100 y + 10000 z. */
	static TrainingCase syntheticCase() {
		float[] img = new float[NX * NY * NZ];
		byte[] lab = new byte[NX * NY * NZ];
		for (int z = 0; z < NZ; z++)
			for (int y = 0; y < NY; y++)
				for (int x = 0; x < NX; x++) {
					int i = (z * NY + y) * NX + x;
					img[i] = x + 100 * y + 10000 * z;
					lab[i] = (byte) (x >= 30 && x < 32 && y >= 10 && y < 12 && z >= 18 && z < 20 ? 2 : z < NZ / 2 ? 1 : 0);
				}
		return new TrainingCase("synthetic", new int[] { NX, NY, NZ }, 1, img, lab, Geometry.identity());
	}

	/** Probability that a uniformly placed patch overlaps [lo, lo + len) along an axis of size n. */
	static double overlapProbability(int n, int patch, int lo, int len) {
		int positions = n - patch + 1;
		int hits = 0;
		for (int o = 0; o < positions; o++) if (o < lo + len && o + patch > lo) hits++;
		return hits / (double) positions;
	}

	static double containsSmallClassFraction(double foregroundFraction, int samples) {
		int[] patch = { 16, 16, 8 };
		PatchSampler sampler = new PatchSampler(List.of(syntheticCase()), patch, 3, foregroundFraction, 1234);
		int n = patch[0] * patch[1] * patch[2];
		float[] img = new float[n];
		int[] lab = new int[n];
		int hits = 0;
		for (int s = 0; s < samples; s++) {
			sampler.nextBatch(img, lab, 1);
			for (int v : lab) {
				if (v == 2) {
					hits++;
					break;
				}
			}
		}
		return hits / (double) samples;
	}

	@Test
	void overSamplesForegroundAsNnUnet() {
		double random = overlapProbability(NX, 16, 30, 2) * overlapProbability(NY, 16, 10, 2) * overlapProbability(NZ, 8, 18, 2);
		// forced patches pick class 1 or 2 with probability 1/2 each; a class-2 pick always contains it
		double expectedForced = 1.0 / 3 * (0.5 + 0.5 * random) + 2.0 / 3 * random;
		int samples = 4000;
		double withForcing = containsSmallClassFraction(1.0 / 3, samples);
		double without = containsSmallClassFraction(0, samples);
		double tolerance = 4 * Math.sqrt(0.25 / samples);
		assertEquals(random, without, tolerance, "uniform placement");
		assertEquals(expectedForced, withForcing, tolerance, "1/3 forced foreground");
		assertTrue(withForcing > 2 * without, withForcing + " vs " + without);
	}

	@Test
	void patchesAreCopiedWithTheirLabelsAtThePlacement() {
		TrainingCase tc = syntheticCase();
		int[] patch = { 16, 8, 4 };
		PatchSampler sampler = new PatchSampler(List.of(tc), patch, 3, 0.5, 7);
		int n = patch[0] * patch[1] * patch[2];
		float[] img = new float[2 * n];
		int[] lab = new int[2 * n];
		for (int s = 0; s < 50; s++) {
			PatchSampler.Placement p = sampler.nextPlacement();
			sampler.extract(p, img, lab, 1);
			if (p.forcedForeground()) {
				int cx = p.origin()[0] + patch[0] / 2, cy = p.origin()[1] + patch[1] / 2, cz = p.origin()[2] + patch[2] / 2;
				assertTrue(cx >= 0 && cx < NX && cy >= 0 && cy < NY && cz >= 0 && cz < NZ);
			}
			for (int x = 0; x < patch[0]; x++)
				for (int y = 0; y < patch[1]; y++)
					for (int z = 0; z < patch[2]; z++) {
						int o = n + (x * patch[1] + y) * patch[2] + z;
						int sx = p.origin()[0] + x, sy = p.origin()[1] + y, sz = p.origin()[2] + z;
						assertEquals(sx + 100 * sy + 10000 * sz, img[o], 0f);
						assertEquals(tc.labels()[(sz * NY + sy) * NX + sx], lab[o]);
					}
		}
	}

	@Test
	void smallCasesArePaddedWithTheMinimumAndBackground() {
		TrainingCase tc = syntheticCase();
		int[] patch = { 64, 40, 24 };
		PatchSampler sampler = new PatchSampler(List.of(tc), patch, 3, 0, 1);
		PatchSampler.Placement p = sampler.nextPlacement();
		assertEquals(-8, p.origin()[0]);
		int n = patch[0] * patch[1] * patch[2];
		float[] img = new float[n];
		int[] lab = new int[n];
		sampler.extract(p, img, lab, 0);
		assertEquals(0f, img[0], 0f);
		assertEquals(0, lab[0]);
		int inside = ((8 * patch[1]) + 0) * patch[2] + 0;
		assertEquals(0f, img[inside], 0f);
		assertEquals(1, lab[inside]);
	}
}
