package org.volseg.cli;

import java.nio.file.Path;
import java.util.Locale;

import org.volseg.InvalidParameterException;
import org.volseg.pipeline.SegmentationSettings;
import org.volseg.pipeline.SettingText;
import org.volseg.tiling.Mirroring;
import org.volseg.tiling.SumPrecision;

import picocli.CommandLine.Option;

/**
 * The options {@code volseg segment} and {@code volseg batch} share (a picocli mixin): the model,
 * the sliding window, the device, the preprocessing switches, postprocessing and progress. Each
 * command adds its own input and output options.
 */
final class SegmentationOptions {

	@Option(names = "--model", required = true, paramLabel = "DIR", description = "Model package: folder, rdf.yaml or .zip.")
	Path model;

	@Option(names = "--roi", paramLabel = "X,Y,Z", description = "Sliding-window size in voxels (default: the model's patch size).")
	String roi;

	@Option(names = "--overlap", paramLabel = "F", description = "Overlap of neighbouring windows, 0 <= F < 1 (default: the model's).")
	Double overlap;

	@Option(names = "--blend", paramLabel = "MODE", description = "constant or gaussian (default: the model's).")
	String blend;

	@Option(names = "--sigma-scale", paramLabel = "S", description = "Gaussian sigma as a fraction of the window (default: the model's, MONAI 0.125).")
	Double sigmaScale;

	@Option(names = "--batch", paramLabel = "N", defaultValue = "1", description = "Windows per engine call (default ${DEFAULT-VALUE}).")
	int batch;

	@Option(names = "--pad", paramLabel = "MODE", defaultValue = "constant",
			description = "Padding where the scan is smaller than the window: constant, edge or reflect (default ${DEFAULT-VALUE}).")
	String pad;

	@Option(names = "--pad-value", paramLabel = "V", defaultValue = "0", description = "Value of constant padding (default ${DEFAULT-VALUE}).")
	double padValue;

	@Option(names = "--tta", paramLabel = "none|flips",
			description = "Test-time augmentation: flips predicts every window also mirrored along the --tta-axes "
					+ "(2, 4 or 8 runs) and averages the raw outputs (default: the model's, else none).")
	String tta;

	@Option(names = "--tta-axes", paramLabel = "AXES",
			description = "Axes to mirror with --tta flips, a comma-separated subset of x,y,z (default x,y,z).")
	String ttaAxes;

	@Option(names = "--sum-precision", paramLabel = "auto|float32|float16", defaultValue = "auto",
			description = "Number type of the stitcher's running sums: float16 takes half the memory (nnU-Net's choice; "
					+ "a voxel whose two best classes are within 2^-11 may be labelled differently), float32 is MONAI's; "
					+ "auto (default) is float16 for labels alone, and for saved logits or probabilities when float32 sums would "
					+ "take more than 512 MiB, else float32.")
	String sumPrecision;

	@Option(names = "--device", paramLabel = "cpu|gpu|auto", defaultValue = "auto", description = "Where to run (default ${DEFAULT-VALUE}).")
	String device;

	@Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "TensorFlow threads per operation; 0 = all cores (default).")
	int threads;

	@Option(names = "--inter-op-threads", paramLabel = "N", defaultValue = "0", description = "TensorFlow operations run "
			+ "side by side; 0 = VolSeg's choice (2, or 1 with --threads 1; default). 1 holds less memory (about 100 MiB "
			+ "for UNETR, 550 MiB for SwinUNETR) and may take longer.")
	int interOpThreads;

	@Option(names = "--trust-model", description = "Run the model even if its graph holds operations outside VolSeg's"
			+ " allow-list (file, network or Python operations): only for models from authors you trust.")
	boolean trustModel;

	@Option(names = "--no-resample", description = "Do not resample to the model's spacing.")
	boolean noResample;

	@Option(names = "--no-reorient", description = "Do not reorient to the model's orientation.")
	boolean noReorient;

	@Option(names = "--no-normalize", description = "Skip the model's intensity preprocessing.")
	boolean noNormalize;

	@Option(names = "--min-component-size", paramLabel = "N", defaultValue = "0",
			description = "Remove connected components (26-connected, per label) smaller than N voxels (default 0: keep all).")
	long minComponentSize;

	@Option(names = "--threshold", paramLabel = "P", defaultValue = "0.5",
			description = "Probability threshold for models with independent (sigmoid) classes (default ${DEFAULT-VALUE}).")
	float threshold;

	@Option(names = "--progress", paramLabel = "auto|bar|lines|none", defaultValue = "auto",
			description = "Progress on standard error: a bar on a terminal, lines otherwise (default ${DEFAULT-VALUE}).")
	String progress;

	/** The model package given with {@code --model}. */
	public Path model() {
		return model;
	}

	/**
	 * Settings holding these options (no outputs, no series choice).
	 *
	 * @throws InvalidParameterException naming the flag of a bad value
	 */
	public SegmentationSettings.Builder settings() {
		SettingText t = SettingText.CLI;
		return SegmentationSettings.builder().roi(t.roi(roi)).overlap(overlap == null ? null : t.overlap(overlap.toString()))
				.blend(t.blend(blend)).sigmaScale(sigmaScale).batch(batch)
				.padding(t.padding(pad, padValue)).device(t.device(device)).threads(threads).interOpThreads(interOpThreads).trustModel(trustModel)
				.resample(!noResample).reorient(!noReorient).normalize(!noNormalize).minComponentSize(minComponentSize)
				.threshold(threshold).tta(parseTta())
				.sumPrecision(SumPrecision.parse("--sum-precision", sumPrecision));
	}

	private Mirroring parseTta() {
		return SettingText.CLI.tta(tta, ttaAxes);
	}

	ProgressPrinter.Mode progressMode() {
		switch (progress.toLowerCase(Locale.ROOT)) {
		case "auto":
			return System.console() != null ? ProgressPrinter.Mode.BAR : ProgressPrinter.Mode.LINES;
		case "bar":
			return ProgressPrinter.Mode.BAR;
		case "lines":
			return ProgressPrinter.Mode.LINES;
		case "none":
			return ProgressPrinter.Mode.NONE;
		default:
			throw InvalidParameterException.of("--progress", progress, "auto, bar, lines or none");
		}
	}
}
