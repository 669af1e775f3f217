package org.volseg.model;

import java.util.List;

/**
 * Applies a model's input {@link Preprocessing} steps to a whole volume, in place, following the
 * bioimage.io definitions (numpy semantics: population standard deviation, linearly interpolated
 * percentiles).
 *
 * <p>The volume is given as one flat array per channel ({@code channels[c][voxel]}, any fixed
 * voxel order). Statistics are computed per channel, or jointly over all channels when a step's
 * {@code axes} include {@code channel}; always over the whole volume (per-slice statistics are not
 * supported, see {@link DescriptorValidator}). {@link Preprocessing.Mode#PER_DATASET} is computed
 * like {@link Preprocessing.Mode#PER_SAMPLE}: at inference the dataset is the one volume.</p>
 *
 * <p>With {@link NormalizationRegion#FOREGROUND} (nnU-Net's "nonzero" normalisation for MRI), the
 * per-sample statistics of {@code zero_mean_unit_variance} and {@code scale_range} are taken over
 * the foreground only: the voxels where at least one channel is not 0 (computed once, before the
 * first step). After those steps background voxels are set to 0 again. Fixed-value steps
 * ({@code clip}, {@code scale_linear}, fixed mean/std) treat every voxel alike.</p>
 *
 * <p>Stateless and thread-safe; arrays are modified in place.</p>
 */
public final class IntensityPreprocessor {

	private IntensityPreprocessor() {
	}

	/**
	 * @param steps the descriptor's {@code inputs[0].preprocessing}, applied in order
	 * @param channels one array per input channel, all the same length; modified in place
	 * @param region over which voxels per-sample statistics are computed
	 */
	public static void apply(List<Preprocessing> steps, float[][] channels, NormalizationRegion region) {
		if (channels.length == 0 || steps.isEmpty())
			return;
		int n = channels[0].length;
		for (float[] c : channels)
			if (c.length != n)
				throw new IllegalArgumentException("channels differ in length");
		boolean[] mask = region == NormalizationRegion.FOREGROUND ? foreground(channels) : null;
		for (Preprocessing step : steps) {
			if (step instanceof Preprocessing.Clip c)
				clip(channels, c);
			else if (step instanceof Preprocessing.ScaleLinear s)
				scaleLinear(channels, s);
			else if (step instanceof Preprocessing.ScaleRange s)
				scaleRange(channels, s, mask);
			else if (step instanceof Preprocessing.ZeroMeanUnitVariance z)
				zeroMeanUnitVariance(channels, z, mask);
		}
	}

	/** Voxels where any channel is not 0. */
	static boolean[] foreground(float[][] channels) {
		boolean[] m = new boolean[channels[0].length];
		for (float[] c : channels)
			for (int i = 0; i < c.length; i++)
				m[i] |= c[i] != 0;
		return m;
	}

	private static void clip(float[][] channels, Preprocessing.Clip c) {
		float lo = (float) c.min(), hi = (float) c.max();
		for (float[] ch : channels)
			for (int i = 0; i < ch.length; i++)
				ch[i] = Math.min(hi, Math.max(lo, ch[i]));
	}

	private static void scaleLinear(float[][] channels, Preprocessing.ScaleLinear s) {
		for (int c = 0; c < channels.length; c++) {
			double g = perChannel(s.gain(), c), o = perChannel(s.offset(), c);
			float[] ch = channels[c];
			for (int i = 0; i < ch.length; i++)
				ch[i] = (float) (g * ch[i] + o);
		}
	}

	private static double perChannel(List<Double> values, int c) {
		return values.size() == 1 ? values.get(0) : values.get(c);
	}

	private static boolean joint(List<String> axes) {
		return axes.contains("channel");
	}

	private static void scaleRange(float[][] channels, Preprocessing.ScaleRange s, boolean[] mask) {
		if (joint(s.axes())) {
			float[] all = collect(channels, mask);
			double lo = percentile(all, s.minPercentile()), hi = percentile(all, s.maxPercentile());
			for (float[] ch : channels)
				affine(ch, lo, 1 / (hi - lo + s.eps()), mask);
		} else
			for (float[] ch : channels) {
				float[] values = collect(new float[][] { ch }, mask);
				double lo = percentile(values, s.minPercentile()), hi = percentile(values, s.maxPercentile());
				affine(ch, lo, 1 / (hi - lo + s.eps()), mask);
			}
	}

	private static void zeroMeanUnitVariance(float[][] channels, Preprocessing.ZeroMeanUnitVariance z, boolean[] mask) {
		if (z.mode() == Preprocessing.Mode.FIXED) {
			for (int c = 0; c < channels.length; c++)
				affine(channels[c], perChannel(z.mean(), c), 1 / (perChannel(z.std(), c) + z.eps()), null);
			return;
		}
		if (joint(z.axes())) {
			double[] ms = meanStd(channels, mask);
			for (float[] ch : channels)
				affine(ch, ms[0], 1 / (ms[1] + z.eps()), mask);
		} else
			for (float[] ch : channels) {
				double[] ms = meanStd(new float[][] { ch }, mask);
				affine(ch, ms[0], 1 / (ms[1] + z.eps()), mask);
			}
	}

	/** {@code (v - sub) * mul}; with a mask, voxels outside it become 0. */
	private static void affine(float[] ch, double sub, double mul, boolean[] mask) {
		for (int i = 0; i < ch.length; i++)
			ch[i] = mask != null && !mask[i] ? 0f : (float) ((ch[i] - sub) * mul);
	}

	/** Mean and population standard deviation over the masked voxels (all voxels without a mask). */
	static double[] meanStd(float[][] channels, boolean[] mask) {
		double sum = 0;
		long n = 0;
		for (float[] ch : channels)
			for (int i = 0; i < ch.length; i++)
				if (mask == null || mask[i]) {
					sum += ch[i];
					n++;
				}
		if (n == 0)
			return new double[] { 0, 0 };
		double mean = sum / n, sq = 0;
		for (float[] ch : channels)
			for (int i = 0; i < ch.length; i++)
				if (mask == null || mask[i]) {
					double d = ch[i] - mean;
					sq += d * d;
				}
		return new double[] { mean, Math.sqrt(sq / n) };
	}

	private static float[] collect(float[][] channels, boolean[] mask) {
		int count = 0;
		for (float[] ch : channels)
			for (int i = 0; i < ch.length; i++)
				if (mask == null || mask[i])
					count++;
		float[] out = new float[count];
		int k = 0;
		for (float[] ch : channels)
			for (int i = 0; i < ch.length; i++)
				if (mask == null || mask[i])
					out[k++] = ch[i];
		return out;
	}

	/**
	 * numpy's default ({@code linear}) percentile of {@code values}, 0..100; reorders
	 * {@code values}. 0 for an empty array.
	 */
	static double percentile(float[] values, double p) {
		int n = values.length;
		if (n == 0)
			return 0;
		double pos = p / 100.0 * (n - 1);
		int lo = (int) Math.floor(pos);
		int hi = Math.min(n - 1, lo + 1);
		double a = select(values, lo);
		if (hi == lo || pos == lo)
			return a;
		// after select(lo), everything right of lo is >= a: the next order statistic is their minimum
		float b = Float.POSITIVE_INFINITY;
		for (int i = lo + 1; i < n; i++)
			b = Math.min(b, values[i]);
		return a + (pos - lo) * (b - a);
	}

	/** The k-th smallest value (0-based), by quickselect; partially reorders {@code a}. */
	static float select(float[] a, int k) {
		int lo = 0, hi = a.length - 1;
		java.util.Random r = new java.util.Random(k);
		while (lo < hi) {
			float pivot = a[lo + r.nextInt(hi - lo + 1)];
			int i = lo, j = hi;
			while (i <= j) {
				while (a[i] < pivot)
					i++;
				while (a[j] > pivot)
					j--;
				if (i <= j) {
					float t = a[i];
					a[i] = a[j];
					a[j] = t;
					i++;
					j--;
				}
			}
			if (k <= j)
				hi = j;
			else if (k >= i)
				lo = i;
			else
				return a[k];
		}
		return a[k];
	}
}
