package org.volseg.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class AugmentationTest {

	static final int[] PATCH = { 6, 6, 4 };
	static final int N = 6 * 6 * 4;

	static int index(int x, int y, int z) {
		return (x * PATCH[1] + y) * PATCH[2] + z;
	}

	/** Every transform of the 8 flips x 4 rotations, computed independently: output (x, y, z) reads input at these coordinates. */
	static int[] source(int x, int y, int z, boolean fx, boolean fy, boolean fz, int turns) {
		int n = PATCH[0];
		int rx = x, ry = y;
		// one quarter turn: output (x, y) <- input (y, n - 1 - x)
		for (int q = 0; q < turns; q++) {
			int nx = ry, ny = n - 1 - rx;
			rx = nx;
			ry = ny;
		}
		return new int[] { fx ? n - 1 - rx : rx, fy ? PATCH[1] - 1 - ry : ry, fz ? PATCH[2] - 1 - z : z };
	}

	@Test
	void geometricTransformsKeepImageAndLabelsAligned() {
		Random r = new Random(3);
		int[] labels0 = new int[N];
		float[] image0 = new float[2 * N];
		for (int i = 0; i < N; i++) {
			labels0[i] = r.nextInt(5);
			image0[2 * i] = i; // unique per voxel: identifies where a voxel came from
			image0[2 * i + 1] = 1000 + 7 * labels0[i];
		}
		Augmentation aug = new Augmentation(new boolean[] { true, true, true }, true, 0, 0);
		SplittableRandom random = new SplittableRandom(11);
		Set<String> seen = new HashSet<>();
		for (int trial = 0; trial < 200; trial++) {
			float[] image = image0.clone();
			int[] labels = labels0.clone();
			aug.apply(image, labels, 0, PATCH, 2, random);
			// alignment: the label at each voxel is the label of the voxel the image came from
			for (int i = 0; i < N; i++) {
				int from = (int) image[2 * i];
				assertEquals(labels0[from], labels[i]);
				assertEquals(1000 + 7 * labels[i], image[2 * i + 1], 0f);
			}
			// and the mapping is one of the 32 flip/rotation transforms
			String match = null;
			for (int t = 0; t < 32 && match == null; t++) {
				boolean ok = true;
				for (int x = 0; x < PATCH[0] && ok; x++)
					for (int y = 0; y < PATCH[1] && ok; y++)
						for (int z = 0; z < PATCH[2] && ok; z++) {
							int[] s = source(x, y, z, (t & 1) != 0, (t & 2) != 0, (t & 4) != 0, t >> 3);
							ok = image[2 * index(x, y, z)] == index(s[0], s[1], s[2]);
						}
				if (ok) match = Integer.toString(t);
			}
			assertTrue(match != null, "not a flip/rotation of the patch");
			seen.add(match);
		}
		assertTrue(seen.size() >= 12, "the random transforms vary: " + seen.size() + " distinct");
	}

	@Test
	void intensityChangesTheImageOnlyAndAffinely() {
		Random r = new Random(5);
		int[] labels0 = new int[N];
		float[] image0 = new float[N];
		for (int i = 0; i < N; i++) {
			labels0[i] = r.nextInt(3);
			image0[i] = (float) r.nextGaussian();
		}
		Augmentation aug = new Augmentation(new boolean[3], false, 0.1, 0.2);
		float[] image = image0.clone();
		int[] labels = labels0.clone();
		aug.apply(image, labels, 0, PATCH, 1, new SplittableRandom(2));
		assertArrayEquals(labels0, labels);
		// v' = s v + t with one s, t for the patch
		double s = (image[1] - image[0]) / (image0[1] - image0[0]);
		double t = image[0] - s * image0[0];
		assertTrue(Math.abs(s - 1) <= 0.1 + 1e-6 && Math.abs(t) <= 0.2 + 1e-6, "s " + s + " t " + t);
		assertTrue(Math.abs(s - 1) > 1e-6 || Math.abs(t) > 1e-6, "the intensity changed");
		for (int i = 0; i < N; i++) assertEquals(s * image0[i] + t, image[i], 1e-4);
	}

	@Test
	void onlyTheGivenBatchEntryChanges() {
		float[] image = new float[2 * N];
		int[] labels = new int[2 * N];
		for (int i = 0; i < 2 * N; i++) {
			image[i] = i;
			labels[i] = i % 3;
		}
		float[] before = image.clone();
		new Augmentation(new boolean[] { true, true, true }, false, 0.1, 0.1).apply(image, labels, 1, PATCH, 1, new SplittableRandom(1));
		for (int i = 0; i < N; i++) assertEquals(before[i], image[i], 0f);
	}
}
