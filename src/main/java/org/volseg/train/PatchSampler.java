package org.volseg.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws random training patches from labelled cases, over-sampling foreground as nnU-Net does: each
 * patch is, with probability {@code foregroundFraction} (nnU-Net: 1/3), centred on a random voxel of a
 * foreground class chosen uniformly among the classes (1..K-1) present in a uniformly chosen case;
 * otherwise it is placed uniformly at random inside the case. Choosing the class first gives small
 * organs as many forced patches as large ones.
 *
 * <p>Patches that do not fit (case smaller than the patch along an axis) are centred and padded:
 * the image with the case's minimum intensity (air after CT normalisation), the labels with 0.</p>
 *
 * <p>Output layout (TensorFlow, channels-last, row-major): image {@code [x, y, z, channel]}, labels
 * {@code [x, y, z]}, one patch after another in a batch. Deterministic for a seed; not thread-safe.</p>
 */
final class PatchSampler {

	private final List<TrainingCase> cases;
	private final int[] patch;
	private final int classes;
	private final double foregroundFraction;
	private final SplittableRandom random;
	/** Per case and class: flat indices of that class's voxels (null if absent or background). */
	private final List<int[][]> classVoxels = new ArrayList<>();
	private final float[] padValue;

	/**
	 * @param patch (x, y, z) patch size
	 * @param foregroundFraction probability in [0, 1] that a patch is forced onto foreground
	 */
	public PatchSampler(List<TrainingCase> cases, int[] patch, int classes, double foregroundFraction, long seed) {
		if (cases.isEmpty()) throw new IllegalArgumentException("no training cases");
		if (!(foregroundFraction >= 0 && foregroundFraction <= 1)) {
			throw new IllegalArgumentException("foreground fraction must be in [0, 1], got " + foregroundFraction);
		}
		this.cases = List.copyOf(cases);
		this.patch = patch.clone();
		this.classes = classes;
		this.foregroundFraction = foregroundFraction;
		this.random = new SplittableRandom(seed);
		this.padValue = new float[cases.size()];
		for (int c = 0; c < cases.size(); c++) {
			TrainingCase tc = cases.get(c);
			long[] counts = tc.classCounts(classes);
			int[][] lists = new int[classes][];
			int[] fill = new int[classes];
			for (int k = 1; k < classes; k++) if (counts[k] > 0) lists[k] = new int[Math.toIntExact(counts[k])];
			byte[] lab = tc.labels();
			for (int i = 0; i < lab.length; i++) {
				int k = lab[i];
				if (k > 0) lists[k][fill[k]++] = i;
			}
			classVoxels.add(lists);
			float min = Float.POSITIVE_INFINITY;
			for (float v : tc.image()) min = Math.min(min, v);
			padValue[c] = min;
		}
	}

	/** Where one patch comes from. */
	public record Placement(int caseIndex, int[] origin, boolean forcedForeground, int forcedClass) {
	}

	/** Draws the next placement. */
	public Placement nextPlacement() {
		int c = random.nextInt(cases.size());
		TrainingCase tc = cases.get(c);
		int[] d = tc.dims();
		int[] origin = new int[3];
		if (random.nextDouble() < foregroundFraction) {
			int[][] lists = classVoxels.get(c);
			List<Integer> present = new ArrayList<>();
			for (int k = 1; k < classes; k++) if (lists[k] != null) present.add(k);
			if (!present.isEmpty()) {
				int k = present.get(random.nextInt(present.size()));
				int v = lists[k][random.nextInt(lists[k].length)];
				int[] centre = { v % d[0], (v / d[0]) % d[1], v / (d[0] * d[1]) };
				for (int a = 0; a < 3; a++) origin[a] = clampOrigin(centre[a] - patch[a] / 2, d[a], patch[a]);
				return new Placement(c, origin, true, k);
			}
		}
		for (int a = 0; a < 3; a++) {
			origin[a] = d[a] >= patch[a] ? random.nextInt(d[a] - patch[a] + 1) : clampOrigin(0, d[a], patch[a]);
		}
		return new Placement(c, origin, false, 0);
	}

	private static int clampOrigin(int o, int dim, int size) {
		if (dim < size) return -(size - dim) / 2;
		return Math.max(0, Math.min(o, dim - size));
	}

	/**
	 * Fills patch {@code b} of a batch.
	 *
	 * @param image batch image array, {@code batch * x * y * z * channels}
	 * @param labels batch label array, {@code batch * x * y * z}
	 */
	public void extract(Placement p, float[] image, int[] labels, int b) {
		TrainingCase tc = cases.get(p.caseIndex());
		int[] d = tc.dims();
		int ch = tc.channels();
		int px = patch[0], py = patch[1], pz = patch[2];
		int voxels = px * py * pz;
		int caseVoxels = tc.voxelCount();
		float[] src = tc.image();
		byte[] lab = tc.labels();
		float pad = padValue[p.caseIndex()];
		for (int x = 0; x < px; x++) {
			int sx = p.origin()[0] + x;
			for (int y = 0; y < py; y++) {
				int sy = p.origin()[1] + y;
				for (int z = 0; z < pz; z++) {
					int sz = p.origin()[2] + z;
					int o = b * voxels + (x * py + y) * pz + z;
					boolean inside = sx >= 0 && sy >= 0 && sz >= 0 && sx < d[0] && sy < d[1] && sz < d[2];
					int s = inside ? (sz * d[1] + sy) * d[0] + sx : -1;
					labels[o] = inside ? lab[s] : 0;
					for (int c = 0; c < ch; c++) image[o * ch + c] = inside ? src[c * caseVoxels + s] : pad;
				}
			}
		}
	}

	/** Draws and extracts a whole batch. */
	public void nextBatch(float[] image, int[] labels, int batch) {
		for (int b = 0; b < batch; b++) extract(nextPlacement(), image, labels, b);
	}

	public int[] patchSize() {
		return patch.clone();
	}
}
