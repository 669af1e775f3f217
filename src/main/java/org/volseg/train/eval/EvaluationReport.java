package org.volseg.train.eval;

import org.volseg.util.Json;
import java.util.List;
import java.util.Locale;

/**
 * Per-class metrics of one prediction against one reference, with means over the foreground
 * classes. Immutable.
 *
 * <p>Means: {@link #meanDice()} averages the classes whose Dice is defined (present in the reference
 * or the prediction, so a class predicted where the reference has none counts as 0);
 * {@link #meanHd95Mm()} averages the classes present in both (finite distances) and
 * {@link #classesWithoutHd95()} says how many foreground classes it left out.</p>
 */
public final class EvaluationReport {

	private final String reference;
	private final String prediction;
	private final List<ClassMetrics> classes;
	private final double percentile;

	/**
	 * @param reference name of the reference (a file name), for reports
	 * @param prediction name of the prediction, for reports
	 * @param classes metrics per foreground class, in increasing label order
	 * @param percentile the Hausdorff percentile used (95 for HD95)
	 */
	public EvaluationReport(String reference, String prediction, List<ClassMetrics> classes, double percentile) {
		this.reference = reference;
		this.prediction = prediction;
		this.classes = List.copyOf(classes);
		this.percentile = percentile;
	}

	public String reference() {
		return reference;
	}

	public String prediction() {
		return prediction;
	}

	/** Foreground classes in increasing label order. */
	public List<ClassMetrics> classes() {
		return classes;
	}

	public double percentile() {
		return percentile;
	}

	/** The metrics of one label, or null if it was not evaluated. */
	public ClassMetrics forLabel(int label) {
		return classes.stream().filter(c -> c.label() == label).findFirst().orElse(null);
	}

	/** Mean Dice over foreground classes whose Dice is defined; NaN if there is none. */
	public double meanDice() {
		return mean(classes.stream().mapToDouble(ClassMetrics::dice).filter(d -> !Double.isNaN(d)).toArray());
	}

	/** Mean percentile Hausdorff distance (mm) over classes present in both images; NaN if none. */
	public double meanHd95Mm() {
		return mean(classes.stream().mapToDouble(ClassMetrics::hd95Mm).filter(Double::isFinite).toArray());
	}

	/** Number of foreground classes left out of {@link #meanHd95Mm()} (absent from one image or both). */
	public int classesWithoutHd95() {
		return (int) classes.stream().filter(c -> !Double.isFinite(c.hd95Mm())).count();
	}

	/** Mean signed volume difference (prediction minus reference, mL) over all foreground classes. */
	public double meanVolumeDifferenceMl() {
		return mean(classes.stream().mapToDouble(ClassMetrics::volumeDifferenceMl).toArray());
	}

	/** Mean absolute volume difference (mL) over all foreground classes. */
	public double meanAbsoluteVolumeDifferenceMl() {
		return mean(classes.stream().mapToDouble(c -> Math.abs(c.volumeDifferenceMl())).toArray());
	}

	/** The percentile as a column name shows it: {@code 95}, or {@code 97.5}. */
	private String percentileLabel() {
		return percentile == Math.rint(percentile) ? Long.toString((long) percentile) : Double.toString(percentile);
	}

	/**
	 * The report as JSON: {@code reference}, {@code prediction}, {@code hausdorff_percentile},
	 * {@code classes[]} with {@code label}, {@code presence}, {@code reference_voxels},
	 * {@code prediction_voxels}, {@code dice}, {@code hd95_mm}, {@code volume_reference_ml},
	 * {@code volume_prediction_ml}, {@code volume_difference_ml}, {@code volume_difference_relative},
	 * and {@code mean} with {@code dice}, {@code hd95_mm}, {@code volume_difference_ml},
	 * {@code absolute_volume_difference_ml}, {@code classes}, {@code classes_without_hd95}.
	 * Undefined values (NaN, infinite distances) are {@code null}; {@code presence} says why.
	 */
	public String toJson() {
		StringBuilder s = new StringBuilder();
		s.append("{\n");
		s.append("  \"reference\": ").append(Json.quote(reference)).append(",\n");
		s.append("  \"prediction\": ").append(Json.quote(prediction)).append(",\n");
		s.append("  \"hausdorff_percentile\": ").append(Json.number(percentile)).append(",\n");
		s.append("  \"classes\": [");
		for (int i = 0; i < classes.size(); i++) {
			ClassMetrics c = classes.get(i);
			s.append(i == 0 ? "\n" : ",\n");
			s.append("    {\"label\": ").append(c.label())
					.append(", \"presence\": ").append(Json.quote(c.presence()))
					.append(", \"reference_voxels\": ").append(c.referenceVoxels())
					.append(", \"prediction_voxels\": ").append(c.predictionVoxels())
					.append(", \"dice\": ").append(Json.number(c.dice()))
					.append(", \"hd95_mm\": ").append(Json.number(c.hd95Mm()))
					.append(", \"volume_reference_ml\": ").append(Json.number(c.volumeReferenceMl()))
					.append(", \"volume_prediction_ml\": ").append(Json.number(c.volumePredictionMl()))
					.append(", \"volume_difference_ml\": ").append(Json.number(c.volumeDifferenceMl()))
					.append(", \"volume_difference_relative\": ").append(Json.number(c.volumeDifferenceRelative()))
					.append('}');
		}
		s.append(classes.isEmpty() ? "],\n" : "\n  ],\n");
		s.append("  \"mean\": {\"dice\": ").append(Json.number(meanDice()))
				.append(", \"hd95_mm\": ").append(Json.number(meanHd95Mm()))
				.append(", \"volume_difference_ml\": ").append(Json.number(meanVolumeDifferenceMl()))
				.append(", \"absolute_volume_difference_ml\": ").append(Json.number(meanAbsoluteVolumeDifferenceMl()))
				.append(", \"classes\": ").append(classes.size())
				.append(", \"classes_without_hd95\": ").append(classesWithoutHd95())
				.append("}\n");
		s.append("}\n");
		return s.toString();
	}

	/** The report as an aligned text table, one row per class and a row of means. */
	public String toTable() {
		StringBuilder s = new StringBuilder();
		s.append("reference:  ").append(reference).append('\n');
		s.append("prediction: ").append(prediction).append('\n');
		String hd = percentile == 100 ? "hd_mm" : "hd" + percentileLabel() + "_mm";
		s.append(String.format(Locale.ROOT, "%6s %8s %9s %12s %12s %12s %9s  %s%n", "label", "dice", hd,
				"ref_ml", "pred_ml", "diff_ml", "diff_%", "presence"));
		for (ClassMetrics c : classes)
			s.append(String.format(Locale.ROOT, "%6d %8s %9s %12.3f %12.3f %12.3f %9s  %s%n", c.label(),
					fixed(c.dice(), 4), fixed(c.hd95Mm(), 2), c.volumeReferenceMl(), c.volumePredictionMl(),
					c.volumeDifferenceMl(), fixed(100 * c.volumeDifferenceRelative(), 1), c.presence()));
		s.append(String.format(Locale.ROOT, "%6s %8s %9s %12s %12s %12.3f %9s  %s%n", "mean", fixed(meanDice(), 4),
				fixed(meanHd95Mm(), 2), "", "", meanVolumeDifferenceMl(), "",
				classes.size() + " classes" + (classesWithoutHd95() > 0
						? ", " + classesWithoutHd95() + " without " + hd + " (absent from an image)" : "")));
		return s.toString();
	}

	private static double mean(double[] values) {
		if (values.length == 0)
			return Double.NaN;
		double sum = 0;
		for (double v : values)
			sum += v;
		return sum / values.length;
	}

	private static String fixed(double v, int decimals) {
		if (Double.isNaN(v))
			return "n/a";
		if (Double.isInfinite(v))
			return v > 0 ? "inf" : "-inf";
		return String.format(Locale.ROOT, "%." + decimals + "f", v);
	}


}
