package org.volseg.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.volseg.VolSegException;
import org.volseg.model.NormalizationRegion;
import org.volseg.model.Preprocessing;
import org.volseg.volume.FloatStorage;
import org.volseg.volume.Volume;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Applies a model's intensity preprocessing steps ({@code inputs[0].preprocessing} of
 * {@code rdf.yaml}), in order, to a volume's voxels <em>in place</em>: give it a copy (see
 * {@link #copyOf}).
 *
 * <ul>
 * <li>{@code clip}: {@code min(max(v, min), max)}.</li>
 * <li>{@code scale_linear}: {@code gain * v + offset}, one value for all channels or one per channel.</li>
 * <li>{@code scale_range}: {@code (v - p_lo) / (p_hi - p_lo + eps)} with {@code p_lo}, {@code p_hi}
 * the given percentiles (numpy's default linear interpolation between order statistics).</li>
 * <li>{@code zero_mean_unit_variance}: {@code (v - mean) / (std + eps)}, mean and population
 * standard deviation given ({@code fixed}) or computed ({@code per_sample}; {@code per_dataset} is
 * the same for the one volume at hand).</li>
 * </ul>
 *
 * <p>Statistics are computed per channel unless the step's {@code axes} include the channel axis
 * ({@code c} or {@code channel}), then over all channels together. With
 * {@link NormalizationRegion#FOREGROUND} (nnU-Net's "nonzero" normalisation) statistics are taken
 * over the voxels whose value is not 0, only those voxels are changed by the statistical steps,
 * and background voxels stay 0, as nnU-Net does. Sums are in double precision. Stateless.</p>
 */
final class IntensityPreprocessing {

	private IntensityPreprocessing() {
	}

	/** A new contiguous float image (planar) with the volume's voxels and geometry. */
	public static Volume copyOf(Volume volume) {
		Volume copy = Volume.allocate(volume.geometry(), volume.dimensions());
		LoopBuilder.setImages(volume.voxels(), copy.voxels()).multiThreaded().forEachPixel((s, t) -> t.set(s));
		return copy;
	}

	/**
	 * Applies the steps in order.
	 *
	 * @param volume modified in place
	 * @param region over which voxels statistics are taken
	 * @return one line per step describing what was done (with the statistics used)
	 */
	public static List<String> apply(Volume volume, List<Preprocessing> steps, NormalizationRegion region) {
		List<String> done = new ArrayList<>();
		boolean foreground = region == NormalizationRegion.FOREGROUND;
		for (Preprocessing step : steps) {
			if (step instanceof Preprocessing.Clip c) {
				float lo = (float) c.min(), hi = (float) c.max();
				forEach(volume.voxels(), v -> Math.min(Math.max(v, lo), hi), false);
				done.add(String.format(Locale.ROOT, "clip [%g, %g]", c.min(), c.max()));
			} else if (step instanceof Preprocessing.ScaleLinear s) {
				for (long ch = 0; ch < volume.channels(); ch++) {
					double gain = perChannel(s.gain(), ch, volume.channels(), "scale_linear gain");
					double offset = perChannel(s.offset(), ch, volume.channels(), "scale_linear offset");
					forEach(volume.channel(ch), v -> (float) (gain * v + offset), false);
				}
				done.add("scale_linear gain " + s.gain() + " offset " + s.offset());
			} else if (step instanceof Preprocessing.ScaleRange r) {
				for (RandomAccessibleInterval<FloatType> part : parts(volume, r.axes())) {
					float[] values = values(part, foreground);
					if (values.length == 0)
						continue;
					Arrays.parallelSort(values);
					double lo = percentile(values, r.minPercentile()), hi = percentile(values, r.maxPercentile());
					double scale = 1 / (hi - lo + r.eps());
					forEach(part, v -> (float) ((v - lo) * scale), foreground);
					done.add(String.format(Locale.ROOT, "scale_range p%g=%g p%g=%g", r.minPercentile(), lo,
							r.maxPercentile(), hi));
				}
			} else if (step instanceof Preprocessing.ZeroMeanUnitVariance z) {
				List<RandomAccessibleInterval<FloatType>> parts = parts(volume, z.axes());
				for (int i = 0; i < parts.size(); i++) {
					double mean, std;
					if (z.mode() == Preprocessing.Mode.FIXED) {
						mean = perChannel(z.mean(), i, parts.size(), "zero_mean_unit_variance mean");
						std = perChannel(z.std(), i, parts.size(), "zero_mean_unit_variance std");
					} else {
						double[] m = meanStd(parts.get(i), foreground);
						if (Double.isNaN(m[0]))
							continue;
						mean = m[0];
						std = m[1];
					}
					double scale = 1 / (std + z.eps());
					forEach(parts.get(i), v -> (float) ((v - mean) * scale), foreground);
					done.add(String.format(Locale.ROOT, "zero_mean_unit_variance mean %g std %g%s", mean, std,
							foreground ? " (foreground)" : ""));
				}
			}
		}
		return done;
	}

	/** The channels one by one, or the whole image when the axes name the channel axis. */
	private static List<RandomAccessibleInterval<FloatType>> parts(Volume volume, List<String> axes) {
		boolean joint = axes.stream().anyMatch(a -> a.equals("c") || a.equals("channel"));
		List<RandomAccessibleInterval<FloatType>> parts = new ArrayList<>();
		if (joint)
			parts.add(volume.voxels());
		else
			for (long c = 0; c < volume.channels(); c++)
				parts.add(volume.channel(c));
		return parts;
	}

	private static double perChannel(List<Double> values, long channel, long channels, String what) {
		if (values.size() == 1)
			return values.get(0);
		if (values.size() != channels)
			throw new VolSegException("the model's " + what + " has " + values.size() + " values but the volume has "
					+ channels + " channel(s); fix rdf.yaml or give a volume with " + values.size() + " channels");
		return values.get((int) channel);
	}

	private interface FloatOp {
		float apply(float v);
	}

	private static void forEach(RandomAccessibleInterval<FloatType> image, FloatOp op, boolean foregroundOnly) {
		List<float[]> arrays = FloatStorage.arraysInFlatOrder(image);
		if (arrays != null) {
			arrays.parallelStream().forEach(a -> {
				for (int i = 0; i < a.length; i++)
					if (!foregroundOnly || a[i] != 0)
						a[i] = op.apply(a[i]);
			});
			return;
		}
		for (FloatType t : Views.flatIterable(image)) {
			float v = t.get();
			if (!foregroundOnly || v != 0)
				t.set(op.apply(v));
		}
	}

	private static float[] values(RandomAccessibleInterval<FloatType> image, boolean foregroundOnly) {
		long n = 0;
		for (FloatType t : Views.flatIterable(image))
			if (!foregroundOnly || t.get() != 0)
				n++;
		if (n > Integer.MAX_VALUE - 8)
			throw new VolSegException("scale_range over " + n + " voxels needs more than one Java array; "
					+ "use --no-normalize and normalise the volume beforehand");
		float[] values = new float[(int) n];
		int i = 0;
		for (FloatType t : Views.flatIterable(image))
			if (!foregroundOnly || t.get() != 0)
				values[i++] = t.get();
		return values;
	}

	/** numpy.percentile (linear): the value at rank {@code q/100 * (n-1)} of the sorted values. */
	static double percentile(float[] sorted, double q) {
		double rank = q / 100 * (sorted.length - 1);
		int lo = (int) Math.floor(rank);
		int hi = Math.min(lo + 1, sorted.length - 1);
		double f = rank - lo;
		return sorted[lo] + (sorted[hi] - (double) sorted[lo]) * f;
	}

	/** Mean and population standard deviation; NaN when there is no voxel. */
	static double[] meanStd(RandomAccessibleInterval<FloatType> image, boolean foregroundOnly) {
		long n = 0;
		double sum = 0;
		for (FloatType t : Views.flatIterable(image)) {
			float v = t.get();
			if (!foregroundOnly || v != 0) {
				n++;
				sum += v;
			}
		}
		if (n == 0)
			return new double[] { Double.NaN, Double.NaN };
		double mean = sum / n, ss = 0;
		for (FloatType t : Views.flatIterable(image)) {
			float v = t.get();
			if (!foregroundOnly || v != 0)
				ss += (v - mean) * (v - mean);
		}
		return new double[] { mean, Math.sqrt(ss / n) };
	}
}
