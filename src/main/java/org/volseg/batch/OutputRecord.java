package org.volseg.batch;

import java.util.Arrays;
import java.util.Locale;

import org.volseg.pipeline.SegmentationSettings;
import org.volseg.tiling.SumPrecision;

/**
 * The settings that change a batch output, as one stable text recorded with each output
 * ({@code summary.csv}'s {@code settings} column): the sliding window (roi, overlap, blend,
 * sigma_scale, pad), the preprocessing switches (reorient, resample, normalize) and the
 * postprocessing (threshold, min_component_size), and test-time mirroring and the precision of the
 * sums when they are set (appended only then, so that records written before they existed still
 * match). Unset values are recorded as {@code model} (the model's default applies). Device, threads
 * and batch size do not change the labels and are left out. Stateless.
 */
final class OutputRecord {

	private OutputRecord() {
	}

	/** For example {@code roi=model;overlap=0.5;blend=model;sigma_scale=model;pad=constant(0.0);reorient=true;...}. */
	public static String settingsKey(SegmentationSettings s) {
		return "roi=" + (s.roi() == null ? "model" : Arrays.toString(s.roi()).replace(" ", "")) + ";overlap="
				+ (s.overlap() == null ? "model" : s.overlap()) + ";blend="
				+ (s.blend() == null ? "model" : s.blend().name().toLowerCase(Locale.ROOT)) + ";sigma_scale="
				+ (s.sigmaScale() == null ? "model" : s.sigmaScale()) + ";pad=" + s.padding() + ";reorient=" + s.reorient()
				+ ";resample=" + s.resample() + ";normalize=" + s.normalize() + ";threshold=" + s.threshold()
				+ ";min_component_size=" + s.minComponentSize() + (s.tta() == null ? "" : ";tta=" + s.tta())
				+ (s.sumPrecision() == SumPrecision.AUTO ? "" : ";sum_precision=" + s.sumPrecision().id());
	}

	/**
	 * Why an earlier row's output cannot be reused by this run, or null if it can: its model or
	 * settings record differs. Rows without a record (written before VolSeg kept one) are reused, as
	 * before.
	 */
	static String mismatch(SummaryRow before, String model, String settings) {
		if (!before.model().isEmpty() && !model.isEmpty() && !before.model().equals(model))
			return "it was made by model " + before.model() + ", this run uses " + model;
		if (!before.settings().isEmpty() && !before.settings().equals(settings))
			return "it was made with other settings (" + before.settings() + "; now " + settings + ")";
		return null;
	}
}
