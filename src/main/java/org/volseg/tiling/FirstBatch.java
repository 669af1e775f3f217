package org.volseg.tiling;

import java.util.Arrays;

/**
 * The patches of a plan's first batch, cut ahead of the inference ({@link SlidingWindowInference#cutFirstBatch}),
 * for example while the network loads, so that the first prediction need not wait for them. It remembers
 * what it was cut with (the volume's size, the windows' starts and size, the padding) and is used by
 * {@link SlidingWindowInference#run(org.volseg.volume.Volume, TilePlan, org.volseg.runtime.PatchPredictor, java.util.List, FirstBatch)}
 * only for a plan whose first batch is the same windows of a volume of that size, with the same padding;
 * the caller vouches that the volume holds the same values. Immutable once made; the patches are handed
 * to the predictor once.
 */
public final class FirstBatch {

	private final long[] imageSize;
	private final long[][] starts;
	private final int[] roi;
	private final Padding padding;
	private final float[] patches;

	FirstBatch(TilePlan plan, Padding padding, float[] patches) {
		this.imageSize = plan.imageSize();
		this.starts = new long[plan.batchEnd(0)][];
		for (int w = 0; w < starts.length; w++)
			starts[w] = plan.windowStart(w);
		this.roi = plan.roi();
		this.padding = padding;
		this.patches = patches;
	}

	/** True if these are the patches of {@code plan}'s first batch with this padding, of a volume with {@code channels}. */
	boolean fits(TilePlan plan, Padding padding, long channels) {
		if (!Arrays.equals(imageSize, plan.imageSize()) || !Arrays.equals(roi, plan.roi()) || !this.padding.equals(padding)
				|| plan.batchEnd(0) != starts.length
				|| patches.length != (long) starts.length * roi[0] * roi[1] * roi[2] * channels)
			return false;
		for (int w = 0; w < starts.length; w++)
			if (!Arrays.equals(starts[w], plan.windowStart(w)))
				return false;
		return true;
	}

	float[] patches() {
		return patches;
	}
}
