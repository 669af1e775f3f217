package org.volseg.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.volseg.io.VolumeIO;
import org.volseg.train.eval.EvaluationReport;
import org.volseg.train.eval.SegmentationEvaluator;
import org.volseg.volume.Volume;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code volseg evaluate}: compares a predicted label image with a reference, class by class. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
		description = { "Compare a predicted label image with a reference: per class Dice, 95th percentile Hausdorff "
				+ "distance (mm) and volumes (mL), and means over the foreground classes.",
				"Both images must share their grid (dimensions and voxel-to-world affine). Label 0 is background.",
				"Undefined values (a class absent from one or both images) are n/a or inf in the table, null in JSON." })
public final class EvaluateCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Option(names = "--reference", required = true, paramLabel = "LABELS", description = "Reference (ground truth) label image.")
	Path reference;

	@Option(names = "--prediction", required = true, paramLabel = "LABELS", description = "Predicted label image.")
	Path prediction;

	@Option(names = "--json", description = "Print JSON instead of a table.")
	boolean json;

	@Option(names = "--labels", split = ",", paramLabel = "L,...",
			description = "Classes to report (default: every label above 0 found in either image).")
	int[] labels;

	@Option(names = "--percentile", defaultValue = "95", paramLabel = "P",
			description = "Hausdorff distance percentile, 0 to 100 (default: ${DEFAULT-VALUE}; 100 is the classic Hausdorff distance).")
	double percentile;

	@Option(names = "--geometry-tolerance", paramLabel = "MM", defaultValue = "" + SegmentationEvaluator.DEFAULT_GEOMETRY_TOLERANCE,
			description = "Largest accepted difference between the two affines' entries, mm (default: ${DEFAULT-VALUE}).")
	double geometryTolerance;

	@Override
	public Integer call() {
		SegmentationEvaluator evaluator = SegmentationEvaluator.defaults().withPercentile(percentile)
				.withGeometryTolerance(geometryTolerance);
		if (labels != null)
			evaluator = evaluator.withLabels(labels);
		Volume ref = VolumeIO.read(reference).volume();
		Volume pred = VolumeIO.read(prediction).volume();
		EvaluationReport report = evaluator.evaluate(ref, reference.toString(), pred, prediction.toString());
		spec.commandLine().getOut().print(json ? report.toJson() : report.toTable());
		spec.commandLine().getOut().flush();
		return 0;
	}
}
