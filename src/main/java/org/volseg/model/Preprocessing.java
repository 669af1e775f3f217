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
}
