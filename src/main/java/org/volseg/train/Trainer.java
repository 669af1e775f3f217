package org.volseg.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import org.volseg.InvalidParameterException;
import org.volseg.VolSegException;
import org.volseg.engine.ModelPackageWriter;
import org.volseg.io.VolumeIO;
import org.volseg.util.AtomicFiles;
import org.volseg.model.ModelDescriptor;
import org.volseg.model.ModelPackage;
import org.volseg.model.NetworkSpec;
import org.volseg.model.Preprocessing;
import org.volseg.model.SegmentationClass;
import org.volseg.model.SnomedCode;
import org.volseg.nets.Architecture;
import org.volseg.nets.Architectures;
import org.volseg.util.Json;
import org.volseg.nets.Layers;
import org.volseg.nets.Network;
import org.volseg.nets.NetworkGraph;
import org.volseg.nets.ParameterSource;
import org.volseg.nets.RandomParameters;
import org.volseg.nets.SafeTensors;
import org.volseg.nets.StateDict;
import org.volseg.nets.StateDictParameters;
import org.volseg.pipeline.Preprocessor;
import org.volseg.pipeline.SegmentationSettings;
import org.volseg.volume.Orientation;
import org.volseg.volume.Reorient;
import org.volseg.volume.Resample;
import org.volseg.volume.Volume;

/**
 * Trains or fine-tunes a network on labelled scans and exports the best epoch as a model package.
 *
 * <p>A run: pair images with label maps ({@link CasePairs}); split off validation cases (shuffled
 * with the seed); bring every case onto the model grid exactly as {@link Preprocessor} will at
 * inference (reorientation, resampling (labels nearest-neighbour), intensity steps); build the
 * {@link TrainingGraph} from random weights, a checkpoint or a model package; then per epoch
 * {@link TrainingOptions#stepsPerEpoch} Adam steps on augmented random patches
 * ({@link PatchSampler}, {@link Augmentation}) with a warm-up + cosine learning rate, and a
 * sliding-window validation Dice per class ({@link Validation}). Files written in
 * {@link TrainingOptions#out}: {@code last.safetensors} and {@code best.safetensors} (state dicts,
 * PyTorch layout, {@code __metadata__} architecture and config, so {@code volseg convert} reads
 * them), {@code model/} (the best epoch's model package), {@code training-report.json}.</p>
 *
 * <p>Progress goes to the given stream, one line per report. Not thread-safe; one run per instance.</p>
 */
public final class Trainer {

	private final TrainingOptions o;
	private final PrintStream log;

	public Trainer(TrainingOptions options, PrintStream log) {
		this.o = options;
		this.log = log;
	}

	/** One validation. */
	public record EpochResult(int epoch, double meanLoss, double[] dice, double meanForegroundDice, double seconds) {
	}

	/** What a run produced. */
	public record Report(String architecture, Map<String, Object> config, List<String> classNames, List<String> trainCases,
			List<String> validationCases, List<EpochResult> epochs, int bestEpoch, double[] bestDice,
			double bestMeanForegroundDice, long steps, double seconds, Path modelPackage) {
	}

	/**
	 * Runs the training.
	 *
	 * @throws VolSegException for unusable data or options
	 * @throws IOException if the output cannot be written
	 */
	public Report run() throws IOException {
		long start = System.nanoTime();
		validateOptions();
		ModelPackage initPackage = null;
		try {
			ModelDescriptor base = null;
			if (o.initModel != null) {
				initPackage = ModelPackage.open(o.initModel);
				base = initPackage.descriptor();
			}
			List<CasePairs.Pair> pairs = new ArrayList<>(CasePairs.find(o.images, o.labels));
			Collections.shuffle(pairs, new Random(o.seed));
			int nVal = pairs.size() < 2 ? 0 : Math.max(1, (int) Math.round(pairs.size() * o.valFraction));
			if (o.valFraction == 0) nVal = 0;
			List<CasePairs.Pair> valPairs = new ArrayList<>(pairs.subList(0, nVal));
			List<CasePairs.Pair> trainPairs = new ArrayList<>(pairs.subList(nVal, pairs.size()));
			if (trainPairs.isEmpty()) {
				throw InvalidParameterException.of("--val-fraction", o.valFraction, "a fraction that leaves training cases");
			}
			int classes = resolveClasses(base, pairs);
			List<String> names = classNames(base, classes);
			ModelDescriptor grid = gridDescriptor(base, classes, names);
			log.printf(Locale.ROOT, "volseg train: %d training and %d validation cases (%s)%n", trainPairs.size(), valPairs.size(),
					nVal == 0 ? "validating on the training cases" : "seed " + o.seed);
			List<TrainingCase> train = load(trainPairs, grid, classes);
			List<TrainingCase> val = nVal == 0 ? train : load(valPairs, grid, classes);
			Network network = network(base, train.get(0).channels(), classes);
			ModelDescriptor descriptor = descriptor(network, base, classes, names);
			try (TrainingGraph graph = buildGraph(network, initPackage)) {
				return loop(graph, network, descriptor, names, train, val, trainPairs, valPairs, start);
			}
		} finally {
			if (initPackage != null) initPackage.close();
		}
	}

	private void validateOptions() {
		if (o.images == null) throw InvalidParameterException.of("--images", null, "a folder of images");
		if (o.labels == null) throw InvalidParameterException.of("--labels", null, "a folder of label maps");
		if (o.out == null) throw InvalidParameterException.of("--out", null, "an output folder");
		if (o.epochs < 1) throw InvalidParameterException.of("--epochs", o.epochs, "at least 1");
		if (o.stepsPerEpoch < 1) throw InvalidParameterException.of("--steps-per-epoch", o.stepsPerEpoch, "at least 1");
		if (o.batch < 1) throw InvalidParameterException.of("--batch", o.batch, "at least 1");
		if (!(o.learningRate > 0)) throw InvalidParameterException.of("--lr", o.learningRate, "a positive learning rate");
		if (!(o.valFraction >= 0 && o.valFraction < 1)) throw InvalidParameterException.of("--val-fraction", o.valFraction, "in [0, 1)");
		if (o.patch == null || o.patch.length != 3 || o.patch[0] < 1 || o.patch[1] < 1 || o.patch[2] < 1) {
			throw InvalidParameterException.of("--patch", o.patch == null ? null : java.util.Arrays.toString(o.patch), "three positive sizes X,Y,Z");
		}
		if (o.initModel != null && o.initWeights != null) {
			throw InvalidParameterException.of("--init-weights", o.initWeights, "not together with --init-model (give one)");
		}
		if (o.initModel == null && o.architecture == null) {
			throw InvalidParameterException.of("--arch", null, "an architecture (" + String.join(", ", Architectures.names())
					+ ") or --init-model DIR");
		}
	}

	private int resolveClasses(ModelDescriptor base, List<CasePairs.Pair> pairs) {
		if (o.classes > 0) return o.classes;
		if (base != null) return base.volseg().classes().size();
		int max = 0;
		for (CasePairs.Pair p : pairs) {
			Volume l = VolumeIO.read(p.labels()).volume();
			for (net.imglib2.type.numeric.real.FloatType t : net.imglib2.view.Views.flatIterable(l.voxels())) {
				max = Math.max(max, Math.round(t.get()));
			}
		}
		if (max < 1) throw new TrainingDataException(o.labels + ": every label map is empty (all 0); label at least one class");
		return max + 1;
	}

	private List<String> classNames(ModelDescriptor base, int classes) {
		List<String> names = new ArrayList<>();
		for (int k = 0; k < classes; k++) {
			String name = null;
			if (k < o.classNames.size()) name = o.classNames.get(k);
			else if (base != null && k < base.volseg().classes().size()) name = base.volseg().classes().get(k).name();
			names.add(name != null ? name : k == 0 ? "background" : "class" + k);
		}
		return names;
	}

	/** A descriptor that carries only what preprocessing reads (grid and intensity steps). */
	private ModelDescriptor gridDescriptor(ModelDescriptor base, int classes, List<String> names) {
		ModelDescriptor.Builder b = ModelDescriptor.builder().name(o.modelName).description("grid").inputChannels(1)
				.patchSize(o.patch[0], o.patch[1], o.patch[2]);
		applyGrid(b, base);
		for (int k = 0; k < classes; k++) b.addClass(k, names.get(k), 0, 0, 0);
		return b.build();
	}

	private void applyGrid(ModelDescriptor.Builder b, ModelDescriptor base) {
		double[] spacing = o.targetSpacingMm;
		String orientation = o.targetOrientation;
		List<Preprocessing> steps = o.preprocessing;
		if (base != null) {
			if (spacing == null) spacing = base.volseg().targetSpacing().orElse(null);
			if (orientation == null) orientation = base.volseg().targetOrientation();
			if (steps.isEmpty()) steps = base.input().preprocessing();
		}
		if (spacing != null) b.targetSpacingMm(spacing[0], spacing[1], spacing[2]);
		if (orientation != null) b.targetOrientation(orientation);
		for (Preprocessing p : steps) b.preprocessing(p);
	}

	private List<TrainingCase> load(List<CasePairs.Pair> pairs, ModelDescriptor grid, int classes) {
		List<TrainingCase> cases = new ArrayList<>();
		for (CasePairs.Pair p : pairs) {
			Volume image = VolumeIO.read(p.image()).volume();
			Volume labels = VolumeIO.read(p.labels()).volume();
			if (!image.geometry().equalsWithin(labels.geometry(), 1e-3)) {
				throw new TrainingDataException(p.labels() + ": its geometry differs from " + p.image() + " (" + labels.geometry()
						+ " vs " + image.geometry() + "); label maps must be on the image's voxel grid");
			}
			Preprocessor.Prepared prep = Preprocessor.prepare(image, grid, SegmentationSettings.defaults());
			Volume prepared = prep.volume();
			Volume labelGrid = labelsOnGrid(labels, grid);
			// a MONAI foreground crop cuts the label map to the same box as the image
			if (prep.crop() != null && !prep.crop().empty())
				labelGrid = prep.crop().crop(labelGrid);
			TrainingCase tc = TrainingCase.of(p.name(), prepared, labelGrid, classes);
			cases.add(tc);
			log.printf(Locale.ROOT, "  loaded %s: %s on the model grid%n", p.name(), java.util.Arrays.toString(tc.dims()));
		}
		return cases;
	}

	/** The label map through the same reorientation and resampling as the image (nearest neighbour). */
	static Volume labelsOnGrid(Volume labels, ModelDescriptor grid) {
		Volume v = labels;
		if (grid.volseg().targetOrientation() != null) {
			v = Reorient.to(v, Orientation.parse(grid.volseg().targetOrientation(), "config.volseg.target_orientation"));
		}
		java.util.Optional<double[]> spacing = grid.volseg().targetSpacing();
		if (spacing.isPresent()) {
			double[] have = v.geometry().spacing();
			boolean same = true;
			for (int d = 0; d < 3; d++) same &= Math.abs(have[d] - spacing.get()[d]) <= 1e-4 * Math.max(have[d], spacing.get()[d]);
			if (!same) v = Resample.toSpacing(v, spacing.get(), Resample.Interpolation.NEAREST);
		}
		return v;
	}

	private Network network(ModelDescriptor base, int channels, int classes) {
		Architecture architecture;
		Map<String, Object> kwargs;
		if (base != null) {
			NetworkSpec spec = base.volseg().network();
			if (spec == null) {
				throw new VolSegException(o.initModel + ": rdf.yaml has no config.volseg.network (architecture and configuration); "
						+ "only packages written by volseg convert or volseg train can be fine-tuned");
			}
			architecture = Architectures.byName(spec.architecture());
			kwargs = new LinkedHashMap<>(spec.config());
			if (o.networkConfig != null) kwargs.putAll(o.networkConfig);
		} else {
			architecture = Architectures.byName(o.architecture);
			kwargs = o.networkConfig == null ? new LinkedHashMap<>() : new LinkedHashMap<>(o.networkConfig);
		}
		return architecture.configure(architecture.withDataShape(kwargs, channels, classes, o.patch));
	}

	private ModelDescriptor descriptor(Network network, ModelDescriptor base, int classes, List<String> names) {
		ModelDescriptor.Builder b = ModelDescriptor.builder().name(o.modelName).description(description(network))
				.inputChannels(network.inputChannels()).patchSize(o.patch[0], o.patch[1], o.patch[2]).fixedPatchSize(true)
				.network(new NetworkSpec(network.architecture(), network.config()))
				.blendMode(org.volseg.tiling.BlendMode.GAUSSIAN).overlap(0.25);
		applyGrid(b, base);
		for (int k = 0; k < classes; k++) {
			int[] rgb = colour(k, names.get(k), base);
			int label = k;
			String name = names.get(k);
			// a fine-tuned model keeps the SNOMED CT code of its base's class of the same label and name
			SnomedCode code = base == null ? null : base.volseg().classes().stream()
					.filter(c -> c.label() == label && c.name().equals(name)).map(SegmentationClass::snomed)
					.filter(java.util.Objects::nonNull).findFirst().orElse(null);
			b.addClass(new SegmentationClass(k, name, rgb[0], rgb[1], rgb[2], code));
		}
		return b.build();
	}

	private String description(Network network) {
		StringBuilder sb = new StringBuilder("Trained with volseg train (").append(network.architecture()).append(")");
		if (o.command != null) sb.append(". Command: ").append(o.command).append(" ;");
		return sb.toString();
	}

	/** Colours: the base package's for a class of the same name, fixed ones for common organs, else a hue wheel. */
	private static int[] colour(int k, String name, ModelDescriptor base) {
		if (base != null) {
			for (SegmentationClass c : base.volseg().classes()) {
				if (c.name().equals(name)) return new int[] { c.red(), c.green(), c.blue() };
			}
		}
		switch (name.toLowerCase(Locale.ROOT)) {
			case "background": return new int[] { 0, 0, 0 };
			case "body": return new int[] { 177, 122, 101 };
			case "liver": return new int[] { 221, 130, 101 };
			case "spleen": return new int[] { 157, 108, 162 };
			case "right_kidney": return new int[] { 185, 102, 83 };
			case "left_kidney": return new int[] { 255, 200, 90 };
			case "spine": return new int[] { 241, 214, 145 };
			default:
				return SegmentationClass.paletteColour(k);
		}
	}

	private TrainingGraph buildGraph(Network network, ModelPackage initPackage) {
		ParameterSource params;
		if (o.initWeights != null) {
			StateDict sd = StateDict.read(o.initWeights, o.checkpointKey);
			for (String note : sd.notes()) log.println("note: " + o.initWeights + ": " + note);
			params = new StateDictParameters(sd, network.describe(), network.unusedKeyPatterns());
		} else {
			params = new RandomParameters(o.seed);
		}
		log.printf(Locale.ROOT, "building the training graph: %s, patch %dx%dx%d, batch %d%n", network.describe(), o.patch[0],
				o.patch[1], o.patch[2], o.batch);
		TrainingGraph graph = TrainingGraph.build(network, params, o.patch, o.weightDecay, o.threads);
		try {
			if (initPackage != null) {
				InitialWeights.Outcome r = InitialWeights.copyFromSavedModel(initPackage.savedModelDir(), graph);
				log.printf(Locale.ROOT, "initialised %d parameters from %s%s%n", r.copied(), o.initModel,
						r.reinitialised().isEmpty() ? "" : "; random (shape or key differs): " + String.join(", ", r.reinitialised()));
			} else if (o.initWeights != null) {
				log.println("initialised from " + o.initWeights);
			} else {
				log.println("random initial weights (seed " + o.seed + ")");
			}
		} catch (RuntimeException ex) {
			graph.close();
			throw ex;
		}
		log.printf(Locale.ROOT, "%,d trained parameters%n", graph.trainedParameterCount());
		return graph;
	}

	private Report loop(TrainingGraph graph, Network network, ModelDescriptor descriptor, List<String> names,
			List<TrainingCase> train, List<TrainingCase> val, List<CasePairs.Pair> trainPairs, List<CasePairs.Pair> valPairs,
			long start) throws IOException {
		Files.createDirectories(o.out);
		int classes = network.outputChannels();
		PatchSampler sampler = new PatchSampler(train, o.patch, classes, o.foregroundFraction, o.seed);
		SplittableRandom augmentRandom = new SplittableRandom(o.seed ^ 0x5DEECE66DL);
		long total = (long) o.epochs * o.stepsPerEpoch;
		LearningRateSchedule schedule = new LearningRateSchedule(o.learningRate, Math.round(total * o.warmupFraction), total,
				o.minLearningRateFraction);
		int channels = network.inputChannels();
		int voxels = o.patch[0] * o.patch[1] * o.patch[2];
		float[] images = new float[o.batch * voxels * channels];
		int[] labels = new int[o.batch * voxels];
		List<EpochResult> history = new ArrayList<>();
		Path packageDir = o.out.resolve("model");
		double bestMean = Double.NEGATIVE_INFINITY;
		int bestEpoch = 0;
		double[] bestDice = null;
		StateDict best = null;
		Map<String, String> metadata = new LinkedHashMap<>();
		metadata.put("architecture", network.architecture());
		metadata.put("config", Json.writeCompact(network.config()));
		metadata.put("format", "pt");
		int reportEvery = Math.max(1, o.stepsPerEpoch / 4);
		log.printf(Locale.ROOT, "training: %d epochs x %d steps, lr %.3g (warm-up %d steps, cosine), augmentation: %s%n",
				o.epochs, o.stepsPerEpoch, o.learningRate, Math.round(total * o.warmupFraction), o.augmentation.describe());
		for (int epoch = 1; epoch <= o.epochs; epoch++) {
			long epochStart = System.nanoTime();
			double lossSum = 0;
			double windowLoss = 0;
			int window = 0;
			for (int s = 0; s < o.stepsPerEpoch; s++) {
				if (o.cancel.getAsBoolean())
					throw new org.volseg.CancelledException("training cancelled at epoch " + epoch + " step " + (s + 1)
							+ "; no model package was written");
				sampler.nextBatch(images, labels, o.batch);
				for (int b = 0; b < o.batch; b++) o.augmentation.apply(images, labels, b, o.patch, channels, augmentRandom);
				double lr = schedule.rate(graph.steps());
				TrainingGraph.StepLoss l = graph.step(images, labels, o.batch, lr);
				if (!Double.isFinite(l.total())) {
					throw new VolSegException("training diverged at epoch " + epoch + " step " + (s + 1) + " (loss " + l.total()
							+ "); lower --lr (now " + o.learningRate + ")");
				}
				o.progress.accept((long) (epoch - 1) * o.stepsPerEpoch + s + 1, total);
				lossSum += l.total();
				windowLoss += l.total();
				window++;
				if ((s + 1) % reportEvery == 0 || s + 1 == o.stepsPerEpoch) {
					double perStep = (System.nanoTime() - epochStart) / 1e9 / (s + 1);
					log.printf(Locale.ROOT, "epoch %d/%d step %d/%d loss %.4f (last: ce %.4f, dice %.4f) lr %.3g %.2f s/step%n", epoch,
							o.epochs, s + 1, o.stepsPerEpoch, windowLoss / window, l.crossEntropy(), l.dice(), lr, perStep);
					windowLoss = 0;
					window = 0;
				}
			}
			double meanLoss = lossSum / o.stepsPerEpoch;
			SafeTensors.write(o.out.resolve("last.safetensors"), graph.stateDict().tensors(), metadata);
			if (epoch % o.validateEvery != 0 && epoch != o.epochs) continue;
			double[] dice = Validation.dice(graph, val, o.validationBatch);
			double mean = Validation.meanForeground(dice);
			double seconds = (System.nanoTime() - epochStart) / 1e9;
			history.add(new EpochResult(epoch, meanLoss, dice, mean, seconds));
			log.printf(Locale.ROOT, "epoch %d/%d validation Dice: %s; mean foreground %.4f (%.0f s)%n", epoch, o.epochs,
					formatDice(dice, names), mean, seconds);
			if (mean > bestMean || best == null) {
				bestMean = mean;
				bestEpoch = epoch;
				bestDice = dice;
				best = graph.stateDict();
				Map<String, String> m = new LinkedHashMap<>(metadata);
				m.put("epoch", Integer.toString(epoch));
				m.put("validation_mean_foreground_dice", String.format(Locale.ROOT, "%.4f", mean));
				SafeTensors.write(o.out.resolve("best.safetensors"), best.tensors(), m);
				export(network, best, withScores(descriptor, bestEpoch, bestDice, bestMean, names, graph.steps()), packageDir);
				log.println("exported the best model so far to " + packageDir);
			}
			writeReport(new Report(network.architecture(), network.config(), names, names(trainPairs), names(valPairs), history,
					bestEpoch, bestDice, bestMean, graph.steps(), (System.nanoTime() - start) / 1e9, packageDir));
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		Report report = new Report(network.architecture(), network.config(), names, names(trainPairs), names(valPairs), history,
				bestEpoch, bestDice, bestMean, graph.steps(), seconds, packageDir);
		writeReport(report);
		log.printf(Locale.ROOT, "best epoch %d: mean foreground Dice %.4f (%s)%n", bestEpoch, bestMean, formatDice(bestDice, names));
		log.printf(Locale.ROOT, "%d steps in %.0f s; model package %s%n", graph.steps(), seconds, packageDir);
		return report;
	}

	/** Writes the model package of a state dict (replacing the previous one atomically). */
	private static void export(Network network, StateDict weights, ModelDescriptor descriptor, Path packageDir) throws IOException {
		try (NetworkGraph g = NetworkGraph.build(network, weights, Layers.WeightStorage.VARIABLES)) {
			ModelPackageWriter.write(descriptor, g.session(), g.input(), g.output(), packageDir, true);
		}
	}

	private ModelDescriptor withScores(ModelDescriptor d, int epoch, double[] dice, double mean, List<String> names, long steps) {
		String scores = String.format(Locale.ROOT, " Best validation epoch %d of %d (%d steps): mean foreground Dice %.4f; %s.",
				epoch, o.epochs, steps, mean, formatDice(dice, names));
		return new ModelDescriptor(d.formatVersion(), d.name(), d.description() + scores, d.authors(), d.license(), d.inputs(),
				d.outputs(), d.weights(), d.volseg());
	}

	private static List<String> names(List<CasePairs.Pair> pairs) {
		List<String> n = new ArrayList<>();
		for (CasePairs.Pair p : pairs) n.add(p.name());
		return n;
	}

	static String formatDice(double[] dice, List<String> names) {
		StringBuilder sb = new StringBuilder();
		for (int k = 1; k < dice.length; k++) {
			if (sb.length() > 0) sb.append(", ");
			sb.append(names.get(k)).append(' ').append(Double.isNaN(dice[k]) ? "n/a" : String.format(Locale.ROOT, "%.4f", dice[k]));
		}
		return sb.toString();
	}

	private void writeReport(Report r) throws IOException {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("architecture", r.architecture());
		m.put("config", r.config());
		m.put("classes", r.classNames());
		m.put("train_cases", r.trainCases());
		m.put("validation_cases", r.validationCases());
		m.put("seed", o.seed);
		m.put("patch", List.of(o.patch[0], o.patch[1], o.patch[2]));
		m.put("batch", o.batch);
		m.put("epochs", o.epochs);
		m.put("steps_per_epoch", o.stepsPerEpoch);
		m.put("learning_rate", o.learningRate);
		m.put("augmentation", o.augmentation.describe());
		if (o.command != null) m.put("command", o.command);
		m.put("best_epoch", r.bestEpoch());
		m.put("best_mean_foreground_dice", r.bestMeanForegroundDice());
		m.put("best_dice", diceMap(r.bestDice(), r.classNames()));
		List<Object> epochs = new ArrayList<>();
		for (EpochResult e : r.epochs()) {
			Map<String, Object> em = new LinkedHashMap<>();
			em.put("epoch", e.epoch());
			em.put("mean_loss", e.meanLoss());
			em.put("mean_foreground_dice", e.meanForegroundDice());
			em.put("dice", diceMap(e.dice(), r.classNames()));
			em.put("seconds", e.seconds());
			epochs.add(em);
		}
		m.put("history", epochs);
		m.put("steps", r.steps());
		m.put("seconds", r.seconds());
		AtomicFiles.writeString(o.out.resolve("training-report.json"), Json.write(m) + "\n");
	}

	private static Map<String, Object> diceMap(double[] dice, List<String> names) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (int k = 1; k < dice.length; k++) m.put(names.get(k), Double.isNaN(dice[k]) ? null : dice[k]);
		return m;
	}
}
