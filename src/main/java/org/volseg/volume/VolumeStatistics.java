package org.volseg.volume;

import java.util.List;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Minimum, maximum, sum and sum of squares of voxel values, accumulated in float64 (NaN voxels are
 * skipped and counted apart).
 *
 * @param count number of non-NaN values
 * @param min smallest value (NaN if count is 0)
 * @param max largest value (NaN if count is 0)
 * @param sum sum of values
 * @param sumSq sum of squared values
 * @param nanCount number of NaN values skipped
 */
public record VolumeStatistics(long count, double min, double max, double sum, double sumSq, long nanCount) {

	/** Statistics of every voxel of an image (all channels), in float64. */
	public static VolumeStatistics of(RandomAccessibleInterval<FloatType> image) {
		Accumulator a = new Accumulator();
		List<float[]> arrays = FloatStorage.arraysInFlatOrder(image);
		if (arrays != null) {
			for (float[] array : arrays)
				for (float v : array)
					a.add(v);
		} else {
			for (FloatType t : Views.flatIterable(image))
				a.add(t.get());
		}
		return a.result();
	}

	/** Adds values one at a time; not thread-safe. */
	public static final class Accumulator {
		private long count, nan;
		private double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum, sumSq;

		public void add(double v) {
			if (v != v) {
				nan++;
				return;
			}
			count++;
			if (v < min)
				min = v;
			if (v > max)
				max = v;
			sum += v;
			sumSq += v * v;
		}

		public VolumeStatistics result() {
			return count == 0 ? new VolumeStatistics(0, Double.NaN, Double.NaN, 0, 0, nan)
					: new VolumeStatistics(count, min, max, sum, sumSq, nan);
		}
	}
}
