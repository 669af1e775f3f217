package org.volseg.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One input preprocessing step of a model package ({@code inputs[i].preprocessing[j]}), with the
 * bioimage.io arguments ({@code kwargs}). Steps run in the order listed.
 *
 * <p>{@code axes} name the axes statistics are reduced over (for example {@code [x, y, z]}: one mean
 * per channel); an empty list means the bioimage.io default (all axes except batch and channel).</p>
 *
 * <p>Besides bioimage.io's steps, a package may list MONAI's intensity transforms with MONAI's own
 * arguments ({@link NormalizeIntensity}, {@link ScaleIntensity}, {@link ScaleIntensityRange}, ids
 * {@code monai_*}), as a bundle's preprocessing declares them. Each carries its own statistics
 * region (MONAI's {@code nonzero}, {@code channel_wise}); {@code config.volseg.normalization_region}
 * applies only to the bioimage.io steps.</p>
 */
public sealed interface Preprocessing {

	/** The bioimage.io id of the step, for example {@code zero_mean_unit_variance}. */
	String id();

	/** The arguments as written to {@code rdf.yaml}. */
	Map<String, Object> kwargs();

	/** How statistics are computed. */
	enum Mode {
		/** Given values ({@code mean}/{@code std}). */
		FIXED,
		/** Over the whole dataset; for one volume at inference the same as {@link #PER_SAMPLE}. */
		PER_DATASET,
		/** Over each input volume. */
		PER_SAMPLE;

		public String yamlName() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	/** {@code clip}: values below {@code min} become {@code min}, above {@code max} become {@code max}. */
	record Clip(double min, double max) implements Preprocessing {
		@Override
		public String id() {
			return "clip";
		}

		@Override
		public Map<String, Object> kwargs() {
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("min", min);
			m.put("max", max);
			return m;
		}
	}

	/**
	 * {@code scale_linear}: {@code out = gain * in + offset}; one value for all channels, or one per
	 * channel along {@code axis}.
	 */
	record ScaleLinear(List<Double> gain, List<Double> offset, String axis) implements Preprocessing {
		public ScaleLinear {
			gain = List.copyOf(gain);
			offset = List.copyOf(offset);
		}

		@Override
		public String id() {
			return "scale_linear";
		}

		@Override
		public Map<String, Object> kwargs() {
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("gain", gain.size() == 1 ? gain.get(0) : gain);
			m.put("offset", offset.size() == 1 ? offset.get(0) : offset);
			if (axis != null)
				m.put("axis", axis);
			return m;
		}
	}

	/**
	 * {@code scale_range}: {@code out = (in - p_min) / (p_max - p_min + eps)} with {@code p_min},
	 * {@code p_max} the given percentiles (0..100) of the input.
	 */
	record ScaleRange(Mode mode, List<String> axes, double minPercentile, double maxPercentile, double eps)
			implements Preprocessing {
		public ScaleRange {
			axes = List.copyOf(axes);
		}

		@Override
		public String id() {
			return "scale_range";
		}

		@Override
		public Map<String, Object> kwargs() {
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("mode", mode.yamlName());
			if (!axes.isEmpty())
				m.put("axes", axes);
			m.put("min_percentile", minPercentile);
			m.put("max_percentile", maxPercentile);
			m.put("eps", eps);
			return m;
		}
	}

	/**
	 * {@code zero_mean_unit_variance}: {@code out = (in - mean) / (std + eps)}; {@code mean} and
	 * {@code std} are given ({@link Mode#FIXED}, one value or one per channel) or computed.
	 */
	record ZeroMeanUnitVariance(Mode mode, List<String> axes, List<Double> mean, List<Double> std, double eps)
			implements Preprocessing {
		public ZeroMeanUnitVariance {
			axes = List.copyOf(axes);
			mean = List.copyOf(mean);
			std = List.copyOf(std);
		}

		@Override
		public String id() {
			return "zero_mean_unit_variance";
		}

		@Override
		public Map<String, Object> kwargs() {
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("mode", mode.yamlName());
			if (!axes.isEmpty())
				m.put("axes", axes);
			if (mode == Mode.FIXED) {
				m.put("mean", mean.size() == 1 ? mean.get(0) : mean);
				m.put("std", std.size() == 1 ? std.get(0) : std);
			}
			m.put("eps", eps);
			return m;
		}
	}

	/**
	 * {@code monai_normalize_intensity}: MONAI's {@code NormalizeIntensity} without subtrahend/divisor.
	 * {@code out = (in - mean) / std} with the mean and population standard deviation (a standard
	 * deviation of 0 divides by 1) of the voxels it changes: with {@code nonzero} only the voxels
	 * whose own value is not 0 (each element of each channel on its own), which are the only ones
	 * changed; otherwise all. Statistics per channel with {@code channelWise}, else over all
	 * channels together. Nothing is done when no voxel qualifies.
	 */
	record NormalizeIntensity(boolean nonzero, boolean channelWise) implements Preprocessing {
		@Override
		public String id() {
			return "monai_normalize_intensity";
		}

		@Override
		public Map<String, Object> kwargs() {
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("nonzero", nonzero);
			m.put("channel_wise", channelWise);
			return m;
		}
	}

	/**
	 * {@code monai_scale_intensity}: MONAI's {@code ScaleIntensity(minv, maxv)} ({@code rescale_array}):
	 * {@code out = (in - min) / (max - min) * (maxv - minv) + minv} with the minimum and maximum of
	 * every voxel (per channel with {@code channelWise}, else over all channels); when the minimum
	 * equals the maximum, {@code out = in * minv}.
	 */
	record ScaleIntensity(double minv, double maxv, boolean channelWise) implements Preprocessing {
		@Override
		public String id() {
			return "monai_scale_intensity";
		}

		@Override
		public Map<String, Object> kwargs() {
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("minv", minv);
			m.put("maxv", maxv);
			m.put("channel_wise", channelWise);
			return m;
		}
	}

	/**
	 * {@code monai_scale_intensity_range}: MONAI's {@code ScaleIntensityRange}:
	 * {@code out = (in - a_min) / (a_max - a_min) * (b_max - b_min) + b_min}, then with {@code clip}
	 * clamped to {@code [b_min, b_max]}; when {@code a_min == a_max}, {@code out = in - a_min + b_min}
	 * (MONAI warns and does that). Fixed values: every voxel alike.
	 */
	record ScaleIntensityRange(double aMin, double aMax, double bMin, double bMax, boolean clip)
			implements Preprocessing {
		@Override
		public String id() {
			return "monai_scale_intensity_range";
		}

		@Override
		public Map<String, Object> kwargs() {
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("a_min", aMin);
			m.put("a_max", aMax);
			m.put("b_min", bMin);
			m.put("b_max", bMax);
			m.put("clip", clip);
			return m;
		}
	}

	/**
	 * {@code monai_crop_foreground}: MONAI's {@code CropForeground} with its default {@code select_fn}
	 * ({@code x > 0} in any channel) on the model grid, at its place among the steps (later steps
	 * see the cropped volume). The box is the foreground's bounding box widened by {@code margin}
	 * voxels per axis (x, y, z), clamped to the volume when {@code allowSmaller}, then grown
	 * (centred, MONAI's rounding) to a multiple of {@code kDivisible} per axis (values below 1: no
	 * rounding); parts of the box outside the volume are zeros. The network runs on the box and its
	 * outputs are put back on the full grid with zeros outside (as MONAI's {@code Invertd} pads them).
	 * With no foreground at all the box is empty and nothing is segmented (every voxel background),
	 * as MONAI's empty crop padded back gives.
	 */
	record CropForeground(List<Integer> margin, List<Integer> kDivisible, boolean allowSmaller) implements Preprocessing {
		public CropForeground {
			margin = List.copyOf(margin);
			kDivisible = List.copyOf(kDivisible);
			if (margin.size() != 3 || kDivisible.size() != 3 || margin.stream().anyMatch(m -> m < 0))
				throw new IllegalArgumentException("margin (3 values >= 0) and k_divisible (3 values) expected, got "
						+ margin + " and " + kDivisible);
		}

		@Override
		public String id() {
			return "monai_crop_foreground";
		}

		@Override
		public Map<String, Object> kwargs() {
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("margin", margin);
			m.put("k_divisible", kDivisible);
			m.put("allow_smaller", allowSmaller);
			return m;
		}
	}
}
