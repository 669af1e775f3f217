package org.volseg.train;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.volseg.VolSegException;
import org.volseg.util.AtomicFiles;
import org.volseg.io.nifti.NiftiWriter;
import org.volseg.model.ModelInstaller;
import org.volseg.model.ModelPackage;
import org.volseg.volume.Volume;

/**
 * Fine-tunes an installed model on corrected cases and installs the result as a new model: the
 * correction loop's last step (Fiji's "Fine-tune Model...", the macro {@code fineTune}).
 *
 * <p>Cases come as (scan, corrected labels) volume pairs, written as NIfTI into a temporary folder
 * (deleted afterwards), or as an images folder and a labels folder ({@link CasePairs}). The
 * {@link Trainer} starts from the model's weights ({@code --init-model}), with its grid,
 * preprocessing, classes and patch size, for {@code steps} steps of batch 1 at {@code learningRate}
 * (no warm-up; cosine decay), validating on the training cases. The new package is named
 * {@code BASE-finetuned-yyyy-MM-dd-HHmm} (unless a name is given) and installed into
 * {@code modelsFolder}. Runs on the calling thread; {@code cancel} is polled before every step.</p>
 */
public final class FineTuning {

	/** The outcome: the installed package and the training's report. */
	public record Result(String name, Path installed, Trainer.Report report) {}

	private Path model;
	private int steps = 50;
	private double learningRate = 1e-4;
	private int[] patch;
	private String name;
	private long seed = 1;
	private BooleanSupplier cancel = () -> false;
	private BiConsumer<Long, Long> progress = (a, b) -> { };
	private Consumer<String> log = s -> { };

	/** @param model the package to start from (folder, rdf.yaml or .zip) */
	public FineTuning(Path model) {
		this.model = model;
	}

	public FineTuning steps(int n) {
		if (n < 1)
			throw org.volseg.InvalidParameterException.of("steps", n, "at least 1 training step");
		this.steps = n;
		return this;
	}

	public FineTuning learningRate(double lr) {
		if (!(lr > 0))
			throw org.volseg.InvalidParameterException.of("learning_rate", lr, "a positive learning rate, e.g. 1e-4");
		this.learningRate = lr;
		return this;
	}

	/** Training patch (x, y, z); default the model's patch size. */
	public FineTuning patch(int[] p) {
		this.patch = p == null ? null : p.clone();
		return this;
	}

	/** The new model's name; default {@code BASE-finetuned-yyyy-MM-dd-HHmm}. */
	public FineTuning name(String n) {
		this.name = n == null || n.isBlank() ? null : n.trim();
		return this;
	}

	public FineTuning seed(long s) {
		this.seed = s;
		return this;
	}

	public FineTuning cancel(BooleanSupplier c) {
		this.cancel = c;
		return this;
	}

	/** Told (steps done, steps in all) after every training step. */
	public FineTuning progress(BiConsumer<Long, Long> p) {
		this.progress = p;
		return this;
	}

	/** Receives the trainer's log lines. */
	public FineTuning log(Consumer<String> l) {
		this.log = l;
		return this;
	}

	/** The default name of a model fine-tuned from {@code base} now. */
	public static String defaultName(String base) {
		return base + "-finetuned-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm", Locale.ROOT));
	}

	/**
	 * Fine-tunes on (scan, labels) pairs of volumes; each labels volume must be on its scan's grid.
	 *
	 * @throws VolSegException for unusable cases or a model without network, and if it cannot install
	 * @throws org.volseg.CancelledException if cancelled (nothing is installed)
	 */
	public Result run(List<Volume> scans, List<Volume> labels, Path modelsFolder) throws IOException {
		if (scans.isEmpty() || scans.size() != labels.size())
			throw new VolSegException("fine-tuning needs pairs of scans and label images: got " + scans.size() + " scans and "
					+ labels.size() + " label images");
		Path work = Files.createTempDirectory("volseg-finetune-");
		try {
			Path images = Files.createDirectories(work.resolve("images"));
			Path labelDir = Files.createDirectories(work.resolve("labels"));
			for (int i = 0; i < scans.size(); i++) {
				if (!scans.get(i).geometry().equalsWithin(labels.get(i).geometry(), 1e-3))
					throw new VolSegException("fine-tuning pair " + (i + 1) + ": the label image is not on its scan's grid ("
							+ labels.get(i).geometry() + " vs " + scans.get(i).geometry() + "); pair each scan with labels made on it");
				String file = String.format(Locale.ROOT, "case%03d.nii.gz", i + 1);
				NiftiWriter.writeFloat32(scans.get(i), images.resolve(file));
				NiftiWriter.writeLabels(labels.get(i), labelDir.resolve(file));
			}
			return run(images, labelDir, modelsFolder, work.resolve("run"));
		} finally {
			AtomicFiles.deleteRecursively(work);
		}
	}

	/** Fine-tunes on the pairs of two folders (same file names; see {@link CasePairs}). */
	public Result run(Path imagesFolder, Path labelsFolder, Path modelsFolder) throws IOException {
		Path work = Files.createTempDirectory("volseg-finetune-");
		try {
			return run(imagesFolder, labelsFolder, modelsFolder, work);
		} finally {
			AtomicFiles.deleteRecursively(work);
		}
	}

	private Result run(Path images, Path labels, Path modelsFolder, Path out) throws IOException {
		String base;
		int[] basePatch;
		try (ModelPackage p = ModelPackage.open(model)) {
			base = p.descriptor().name();
			basePatch = p.descriptor().volseg().patchSizeArray();
			if (p.descriptor().volseg().network() == null)
				throw new VolSegException(model + ": the model package does not name its network (config.volseg.network),"
						+ " so it cannot be fine-tuned; fine-tune a model trained or converted by VolSeg");
		}
		TrainingOptions o = new TrainingOptions();
		o.initModel = model;
		o.images = images;
		o.labels = labels;
		o.out = out;
		o.epochs = 1;
		o.stepsPerEpoch = steps;
		o.patch = patch != null ? patch : basePatch;
		o.batch = 1;
		o.validationBatch = 1;
		o.learningRate = learningRate;
		o.warmupFraction = 0;
		o.valFraction = 0;
		o.seed = seed;
		o.augmentation = new Augmentation(new boolean[3], false, 0, 0);
		o.modelName = name != null ? name : defaultName(base);
		o.command = "fine-tuned from " + base + " (" + model + ") for " + steps + " steps at lr " + learningRate;
		o.cancel = cancel;
		o.progress = progress;
		Trainer.Report report = new Trainer(o, new PrintStream(new LineSink(log), true, StandardCharsets.UTF_8)).run();
		Path installed = ModelInstaller.install(report.modelPackage(), modelsFolder, false);
		return new Result(o.modelName, installed, report);
	}

	/** Sends what the trainer prints to a consumer, line by line. */
	private static final class LineSink extends OutputStream {
		private final Consumer<String> lines;
		private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

		LineSink(Consumer<String> lines) {
			this.lines = lines;
		}

		@Override
		public void write(int b) {
			if (b == '\n') {
				lines.accept(line.toString(StandardCharsets.UTF_8));
				line.reset();
			} else
				line.write(b);
		}
	}
}
