package org.volseg.tiling;

import java.util.List;

/**
 * Plans the sliding window of one segmentation, once: where the windows go (MONAI's placement,
 * {@link TilePlan}), in which order they are predicted and stitched, and how many bytes the
 * stitcher will hold ({@link TilePlan#heldBytes()}). The caller (the segmenter) hands the one plan
 * to the memory check, to {@link SlidingWindowInference#run} and through it to the stitcher:
 * plan, then engine, then stitch.
 *
 * <p>The sums are float16 for {@link SumPrecision#AUTO} when every output ignores scale (labels) or
 * when float32 sums would hold more than {@link SumPrecision#AUTO_FLOAT16_ABOVE} bytes, otherwise
 * float32 (see {@link SumPrecision}).</p>
 *
 * <p>The order is the one of {@link TilePlan.Order#Z_SLOWEST_LAST_PAIRED} and
 * {@link TilePlan.Order#Y_SLOWEST_LAST_PAIRED} that holds fewer bytes (z-slowest on a tie): the
 * stitcher releases a row as soon as the last window writing it has been added, so it holds a band
 * of whole planes (z-slowest) or of whole xz-rows (y-slowest); y-slowest wins when the scan has
 * fewer planes than rows (512 x 512 x 400, 14 classes, ROI 96, overlap 0.5, float32 sums: 0.73 GB
 * instead of 0.86 GB). Both figures come from a dry run of the stitcher's bookkeeping (rows taken
 * when the first window writes them, released when the last has), exact for the stitcher. Stateless.</p>
 */
public final class TilePlanner {

	private TilePlanner() {
	}

	/**
	 * @param imageSize (x, y, z) of the volume the windows slide over, each at least 1
	 * @param settings window size, overlap and batch size are used
	 * @param classes channels of the network output
	 * @param outputs what the stitcher will produce; their finalisers decide whether it keeps summed weights
	 */
	public static TilePlan plan(long[] imageSize, SlidingWindowSettings settings, int classes,
			List<? extends StitchOutput> outputs) {
		if (classes < 1)
			throw new IllegalArgumentException("classes must be at least 1, got " + classes);
		int values = valuesPerVoxel(classes, outputs);
		TilePlan chosen = TilePlan.of(imageSize, settings, order(imageSize, settings));
		long float32Bytes = heldBytes(chosen, values, SumPrecision.FLOAT32);
		SumPrecision precision = settings.sumPrecision().resolve(values == classes, float32Bytes);
		return chosen.withSums(precision, float32Bytes / SumPrecision.FLOAT32.bytes() * precision.bytes());
	}

	/**
	 * The order {@link #plan} gives the windows: the one whose stitcher holds fewer rows at its peak,
	 * z-slowest on a tie. The held bytes are those rows times the same bytes per row in both orders, so
	 * the order depends on the volume's size and the windows only, not on the outputs or the classes.
	 */
	static TilePlan.Order order(long[] imageSize, SlidingWindowSettings settings) {
		TilePlan zSlowest = TilePlan.of(imageSize, settings, TilePlan.Order.Z_SLOWEST_LAST_PAIRED);
		TilePlan ySlowest = TilePlan.of(imageSize, settings, TilePlan.Order.Y_SLOWEST_LAST_PAIRED);
		return peakRows(ySlowest) < peakRows(zSlowest) ? TilePlan.Order.Y_SLOWEST_LAST_PAIRED
				: TilePlan.Order.Z_SLOWEST_LAST_PAIRED;
	}

	/**
	 * Values the stitcher keeps per padded voxel of a live row: one sum per class, plus the summed
	 * weight unless every output {@link Finalizer#ignoresScale() ignores scale} (labels).
	 */
	static int valuesPerVoxel(int classes, List<? extends StitchOutput> outputs) {
		boolean scaleFree = !outputs.isEmpty();
		for (StitchOutput o : outputs)
			scaleFree &= o.finalizer().ignoresScale();
		return scaleFree ? classes : classes + 1;
	}

	/** Peak bytes of the rows live at once when the plan's windows are added in its order. */
	static long heldBytes(TilePlan plan, int valuesPerVoxel, SumPrecision precision) {
		return (long) precision.bytes() * valuesPerVoxel * plan.paddedSize()[0] * peakRows(plan);
	}

	/** The stitcher's bookkeeping without its arrays: the most padded rows live at once. */
	static long peakRows(TilePlan plan) {
		int[][] windowsLeft = plan.windowsPerRow();
		boolean[][] live = new boolean[windowsLeft.length][windowsLeft[0].length];
		int[] roi = plan.roi();
		long liveRows = 0, peak = 0;
		for (int w = 0; w < plan.windowCount(); w++) {
			int y0 = (int) plan.windowStart(w, 1), z0 = (int) plan.windowStart(w, 2);
			for (int z = z0; z < z0 + roi[2]; z++)
				for (int y = y0; y < y0 + roi[1]; y++)
					if (!live[z][y]) {
						live[z][y] = true;
						liveRows++;
					}
			peak = Math.max(peak, liveRows);
			for (int z = z0; z < z0 + roi[2]; z++)
				for (int y = y0; y < y0 + roi[1]; y++)
					if (--windowsLeft[z][y] == 0)
						liveRows--; // released, never taken again
		}
		return peak;
	}
}
