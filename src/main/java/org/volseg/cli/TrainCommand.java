package org.volseg.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.volseg.InvalidParameterException;
import org.volseg.model.Preprocessing;
import org.volseg.nets.Architectures;
import org.volseg.train.Augmentation;
import org.volseg.train.Trainer;
import org.volseg.train.TrainingOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code volseg train}: trains or fine-tunes a network on labelled scans and writes a model package. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
		description = { "Train a network (UNETR, SegFormer3D, ...) on labelled scans (or fine-tune a model package) and export the "
				+ "best epoch as a model package.",
				"Pairs caseNNN_image.nii.gz with caseNNN_labels.nii.gz (as volseg phantom writes them), or the same file names "
						+ "in --images and --labels.",
				"Writes OUT/model/ (the package), OUT/best.safetensors and OUT/last.safetensors (state dicts), "
						+ "OUT/training-report.json." })
public final class TrainCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Option(names = "--arch", paramLabel = "NAME", description = "Architecture: ${COMPLETION-CANDIDATES} (not with --init-model).",
			completionCandidates = ConvertCommand.ArchitectureNames.class)
	String arch;

	@Option(names = "--config", paramLabel = "FILE|PRESET|JSON",
			description = "Network keyword arguments: a JSON file, a preset name or inline JSON. in_channels, the number of "
					+ "classes (and UNETR's img_size) are set from the data and --patch.")
	String config;

	@Option(names = "--init-model", paramLabel = "DIR", description = "Fine-tune this model package (network, weights, "
			+ "classes, spacing and preprocessing are taken from it unless given here).")
	Path initModel;

	@Option(names = "--init-weights", paramLabel = "FILE",
			description = "Start from a checkpoint: a state_dict as torch.save file (.pt, .pth, .ckpt) or safetensors.")
	Path initWeights;

	@Option(names = "--checkpoint-key", paramLabel = "KEY",
			description = "Key of the state dict inside the --init-weights training checkpoint (dots for nested keys). "
					+ "Default: automatic (the file itself, else model, state_dict, network, net, model_state_dict).")
	String checkpointKey;

	@Option(names = "--images", required = true, paramLabel = "DIR", description = "Folder of images (NIfTI).")
	Path images;

	@Option(names = "--labels", required = true, paramLabel = "DIR", description = "Folder of label maps (NIfTI, integer classes).")
	Path labels;

	@Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
	Path out;

	@Option(names = "--epochs", defaultValue = "20", description = "Epochs (default ${DEFAULT-VALUE}).")
	int epochs;

	@Option(names = "--steps-per-epoch", defaultValue = "100", description = "Optimiser steps per epoch (default ${DEFAULT-VALUE}).")
	int stepsPerEpoch;

	@Option(names = "--patch", split = ",", paramLabel = "X,Y,Z", description = "Patch size on the model grid (default 96,96,32).")
	int[] patch = { 96, 96, 32 };

	@Option(names = "--batch", defaultValue = "2", description = "Patches per step (default ${DEFAULT-VALUE}).")
	int batch;

	@Option(names = "--lr", defaultValue = "3e-4", description = "Peak learning rate (Adam; default ${DEFAULT-VALUE}).")
	double lr;

	@Option(names = "--warmup", defaultValue = "0.05", description = "Fraction of steps in linear warm-up before cosine decay "
			+ "(default ${DEFAULT-VALUE}).")
	double warmup;

	@Option(names = "--weight-decay", defaultValue = "1e-5", description = "AdamW decoupled weight decay (default ${DEFAULT-VALUE}).")
	double weightDecay;

	@Option(names = "--val-fraction", defaultValue = "0.2", description = "Fraction of cases held out for validation "
			+ "(default ${DEFAULT-VALUE}).")
	double valFraction;

	@Option(names = "--seed", defaultValue = "0", description = "Seed of weights, split, sampling and augmentation (default ${DEFAULT-VALUE}).")
	long seed;

	@Option(names = "--classes", defaultValue = "0", description = "Classes including background (default: largest label + 1).")
	int classes;

	@Option(names = "--class-names", split = ",", paramLabel = "NAMES", description = "Class names by label value, comma-separated.")
	List<String> classNames = new ArrayList<>();

	@Option(names = "--spacing", split = ",", paramLabel = "X,Y,Z", description = "Model grid spacing in mm (default: keep each scan's).")
	double[] spacing;

	@Option(names = "--orientation", paramLabel = "CODE", description = "Model grid orientation, e.g. LPS (default: keep each scan's).")
	String orientation;

	@Option(names = "--ct-window", split = ",", paramLabel = "MIN,MAX",
			description = "CT preprocessing: clip HU to [MIN, MAX] and scale linearly to [-1, 1].")
	double[] ctWindow;

	@Option(names = "--zscore", description = "MRI preprocessing: zero mean, unit variance per scan.")
	boolean zscore;

	@Option(names = "--foreground-fraction", defaultValue = "0.333333", description = "Probability that a patch is centred on "
			+ "a foreground voxel (default 1/3, as nnU-Net).")
	double foregroundFraction;

	@Option(names = "--flip", paramLabel = "AXES", description = "Random flips along these axes, e.g. xyz (default: none; x flips "
			+ "mirror left and right).")
	String flip = "";

	@Option(names = "--rotate90", description = "Random 90-degree rotations in the axial plane (square patches).")
	boolean rotate90;

	@Option(names = "--intensity-scale", defaultValue = "0.05", description = "Random intensity scale 1 +- this (default ${DEFAULT-VALUE}).")
	double intensityScale;

	@Option(names = "--intensity-shift", defaultValue = "0.03", description = "Random intensity shift +- this, in preprocessed "
			+ "units (default ${DEFAULT-VALUE}).")
	double intensityShift;

	@Option(names = "--validate-every", defaultValue = "1", description = "Validate every N epochs (default ${DEFAULT-VALUE}).")
	int validateEvery;

	@Option(names = "--threads", defaultValue = "0", description = "TensorFlow threads per op; 0 = all cores (default).")
	int threads;

	@Option(names = "--name", paramLabel = "NAME", description = "Model name in rdf.yaml (default: volseg-<arch>).")
	String name;

	@Override
	public Integer call() throws IOException {
		TrainingOptions o = new TrainingOptions();
		if (initModel != null && arch != null) {
			throw InvalidParameterException.of("--arch", arch, "not together with --init-model (the package names its network)");
		}
		o.architecture = arch == null ? null : Architectures.byName(arch).name();
		o.networkConfig = config == null ? null : configuration();
		o.initModel = initModel;
		o.initWeights = initWeights;
		o.checkpointKey = checkpointKey;
		o.images = images;
		o.labels = labels;
		o.out = out;
		o.epochs = epochs;
		o.stepsPerEpoch = stepsPerEpoch;
		if (patch.length != 3) throw InvalidParameterException.of("--patch", Arrays.toString(patch), "three sizes X,Y,Z");
		o.patch = patch;
		o.batch = batch;
		o.learningRate = lr;
		o.warmupFraction = warmup;
		o.weightDecay = weightDecay;
		o.valFraction = valFraction;
		o.seed = seed;
		o.classes = classes;
		o.classNames = classNames;
		if (spacing != null && spacing.length != 3) throw InvalidParameterException.of("--spacing", Arrays.toString(spacing), "X,Y,Z in mm");
		o.targetSpacingMm = spacing;
		o.targetOrientation = orientation;
		if (ctWindow != null) {
			if (ctWindow.length != 2 || !(ctWindow[1] > ctWindow[0])) {
				throw InvalidParameterException.of("--ct-window", Arrays.toString(ctWindow), "MIN,MAX with MIN < MAX (HU)");
			}
			double centre = (ctWindow[0] + ctWindow[1]) / 2;
			double half = (ctWindow[1] - ctWindow[0]) / 2;
			o.preprocessing.add(new Preprocessing.Clip(ctWindow[0], ctWindow[1]));
			o.preprocessing.add(new Preprocessing.ScaleLinear(List.of(1 / half), List.of(-centre / half), null));
		}
		if (zscore) {
			o.preprocessing.add(new Preprocessing.ZeroMeanUnitVariance(Preprocessing.Mode.PER_SAMPLE, List.of(), List.of(), List.of(), 1e-6));
		}
		if (!flip.matches("[xyzXYZ]*")) throw InvalidParameterException.of("--flip", flip, "axis letters among x, y, z (e.g. yz)");
		String f = flip.toLowerCase(java.util.Locale.ROOT);
		try {
			o.augmentation = new Augmentation(new boolean[] { f.contains("x"), f.contains("y"), f.contains("z") }, rotate90,
					intensityScale, intensityShift);
		} catch (IllegalArgumentException ex) {
			throw InvalidParameterException.of("--intensity-scale/--intensity-shift", intensityScale + "/" + intensityShift,
					"a scale in [0, 1) and a shift >= 0");
		}
		o.foregroundFraction = foregroundFraction;
		o.validateEvery = Math.max(1, validateEvery);
		if (threads < 0) throw InvalidParameterException.of("--threads", threads, "0 (all cores) or a positive number");
		o.threads = threads;
		o.modelName = name != null ? name : "volseg-" + (arch != null ? o.architecture : "finetuned");
		o.command = "volseg " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
		Trainer.Report r = new Trainer(o, toStream(spec)).run();
		return Double.isNaN(r.bestMeanForegroundDice()) ? 1 : 0;
	}

	private static PrintStream toStream(CommandSpec spec) {
		java.io.PrintWriter w = spec.commandLine().getOut();
		return new PrintStream(new java.io.OutputStream() {
			@Override
			public void write(int b) {
				w.write(b);
			}

			@Override
			public void write(byte[] b, int off, int len) {
				w.write(new String(b, off, len, StandardCharsets.UTF_8));
			}

			@Override
			public void flush() {
				w.flush();
			}
		}, true, StandardCharsets.UTF_8);
	}

	private Map<String, Object> configuration() {
		return ConfigArgument.resolve(config, arch == null ? Map.of() : Architectures.byName(arch).presets(),
				new ConfigArgument.Wording(true, "a JSON file, a preset name or inline JSON {...}", "--config " + config));
	}
}
