package org.volseg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.volseg.InvalidParameterException;
import org.volseg.pipeline.InputCheck;
import org.volseg.model.ModelDescriptor;
import org.volseg.pipeline.LabelRow;
import org.volseg.pipeline.ModelLoading;
import org.volseg.pipeline.PreparedScan;
import org.volseg.pipeline.SegmentationResult;
import org.volseg.pipeline.SegmentationSettings;
import org.volseg.pipeline.Segmenter;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code volseg segment --model DIR --input FILE|DICOM_FOLDER --output labels.nii.gz}: a thin shell
 * around {@link Segmenter}. Progress goes to standard error (a bar when it is a terminal, plain
 * lines otherwise), the summary to standard output. Ctrl-C cancels cleanly: no output file is left.
 */
@Command(name = "segment", mixinStandardHelpOptions = true, sortOptions = false,
		description = { "Segment a scan (NIfTI file, DICOM folder or DICOM file) with a model package and write the "
				+ "label map (NIfTI, on the scan's grid: same affine and dimensions).",
				"Settings not given come from the model's rdf.yaml (roi, overlap, blend, sigma scale) or MONAI's "
						+ "defaults. See docs/segmentation.md." })
public final class SegmentCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Mixin
	SegmentationOptions options;

	@Option(names = "--input", required = true, paramLabel = "FILE|DICOM_FOLDER",
			description = "The scan: .nii/.nii.gz, a DICOM folder (searched recursively) or a DICOM file.")
	Path input;

	@Option(names = "--output", paramLabel = "labels.nii.gz",
			description = "Label map to write (uint8, or uint16 above 255 labels). Optional if --save-logits or "
					+ "--save-probabilities is given.")
	Path output;

	@Option(names = "--save-logits", paramLabel = "F.nii.gz", description = "Also write the blended raw network outputs (float32, one channel per class).")
	Path logits;

	@Option(names = "--save-probabilities", paramLabel = "F.nii.gz", description = "Also write class probabilities (softmax or sigmoid, as the model declares).")
	Path probabilities;

	@Option(names = "--series", paramLabel = "N|UID", description = "DICOM: the SeriesNumber or SeriesInstanceUID to segment (default: the main series; a number several series share is refused; see volseg info).")
	String series;

	@Option(names = "--montage", paramLabel = "F.png",
			description = "Also write a PNG of 12 axial slices with the labels overlaid in the model's class colours.")
	Path montage;

	@Option(names = "--output-seg", paramLabel = "F.dcm",
			description = "Also write the labels as a DICOM SEG (binary Segmentation) that references the DICOM input's"
					+ " images, with the model's class names and SNOMED CT codes. DICOM inputs only.")
	Path seg;

	@Option(names = "--summary", paramLabel = "F.txt|F.json",
			description = "Also write the summary to a file: JSON if the name ends in .json, else the text printed on standard output.")
	Path summaryFile;

	@Option(names = "--volume-index", paramLabel = "K",
			description = "A 4D scan (fMRI, diffusion, a series of Siemens MOSAIC files, a 4D NIfTI): segment its "
					+ "volume K (0-based) with a one-channel model (default: all volumes, as channels).")
	Integer volumeIndex;

	/** Loads the model; replaced in tests to check that a bad scan is refused before any model is loaded. */
	interface ModelLoader {
		Segmenter load(Path model, org.volseg.runtime.EngineOptions options);
	}

	ModelLoader loader = Segmenter::load;

	@Override
	public Integer call() {
		SegmentationSettings settings = settings();
		// the scan's headers first: a bad scan fails in a second, not after the model load
		InputCheck.check(input, settings);
		PrintWriter err = spec.commandLine().getErr();
		PrintWriter out = spec.commandLine().getOut();
		ProgressPrinter printer = new ProgressPrinter(err, options.progressMode());
		AtomicBoolean cancel = new AtomicBoolean();
		CountDownLatch finished = new CountDownLatch(1);
		Thread hook = new Thread(() -> {
			cancel.set(true);
			try {
				finished.await(30, TimeUnit.SECONDS);
			} catch (InterruptedException ignored) {
				Thread.currentThread().interrupt();
			}
		}, "volseg-cancel");
		Runtime.getRuntime().addShutdownHook(hook);
		try {
			// the model loads on its own thread while this one reads and preprocesses the scan (Segmenter.prepare)
			Optional<ModelDescriptor> early = Segmenter.descriptorOf(options.model());
			try (ModelLoading loading = ModelLoading.start(() -> loader.load(options.model(), settings.engineOptions()))) {
				PreparedScan scan = early.isEmpty() ? null : prepareWhileLoading(early.get(), settings, printer, cancel, loading);
				Segmenter segmenter = loading.await();
				double loadSeconds = loading.seconds();
				// the same object when the load read the same rdf.yaml (DescriptorReader): no deep comparison
				SegmentationResult r = scan != null && Objects.equals(scan.descriptor(), segmenter.descriptor())
						? segmenter.segment(scan, printer, cancel::get)
						: segmenter.segment(input, settings, printer, cancel::get);
				printer.done();
				String text = summary(r, loadSeconds);
				if (summaryFile != null)
					SegmentationSummaries.write(summaryFile,
							summaryFile.toString().endsWith(".json") ? SegmentationSummaries.json(r, loadSeconds) : text);
				out.print(text);
				if (summaryFile != null)
					out.printf(Locale.ROOT, "wrote:       %s (summary)%n", summaryFile);
				out.flush();
			}
			return 0;
		} finally {
			printer.done();
			finished.countDown();
			try {
				Runtime.getRuntime().removeShutdownHook(hook);
			} catch (IllegalStateException ignored) {
				// the JVM is shutting down
			}
		}
	}

	/**
	 * Reads and preprocesses the scan on this thread while the model loads. Stops early when the load has
	 * failed, and then reports the load's error (the scan's would hide it); a reading error is reported as it
	 * is (it names the file), after the load has ended and its model was closed ({@link ModelLoading#close}).
	 */
	private PreparedScan prepareWhileLoading(ModelDescriptor descriptor, SegmentationSettings settings,
			ProgressPrinter printer, AtomicBoolean cancel, ModelLoading loading) {
		try {
			return Segmenter.prepare(input, descriptor, options.model().toString(), settings, printer,
					() -> cancel.get() || loading.failed());
		} catch (RuntimeException e) {
			if (loading.failed() && !cancel.get()) {
				loading.await(); // throws the load's error
			}
			throw e;
		}
	}

	SegmentationSettings settings() {
		if (output == null && logits == null && probabilities == null && seg == null)
			throw InvalidParameterException.of("--output", "nothing",
					"a labels file (.nii.gz), or --output-seg / --save-logits / --save-probabilities");
		return options.settings().labelsOutput(output).logitsOutput(logits).probabilitiesOutput(probabilities)
				.montageOutput(montage).segOutput(seg).series(series).volumeIndex(volumeIndex).build();
	}

	/**
	 * The summary's line on where the start-up went: the model load, the first engine batch (with a
	 * model just loaded it includes TensorFlow's one-time optimisation of the graph) and the steady
	 * seconds per batch after it, so that the first batch's extra cost can be read off.
	 */
	static String startupLine(double loadSeconds, double firstBatch, double perBatchAfter) {
		StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "start-up:    model load %.2f s", loadSeconds));
		if (!Double.isNaN(firstBatch)) {
			b.append(String.format(Locale.ROOT, ", first batch %.2f s (TensorFlow's warm-up included)", firstBatch));
			b.append(Double.isNaN(perBatchAfter) ? ", the only batch"
					: String.format(Locale.ROOT, ", then %.2f s per batch (warm-up cost about %.2f s)", perBatchAfter,
							Math.max(0, firstBatch - perBatchAfter)));
		}
		return b.append('\n').toString();
	}

	/** The end-of-run summary: device, windows, timings, voxels/s, outputs, labels with voxel counts and mL. */
	static String summary(SegmentationResult r, double loadSeconds) {
		StringBuilder b = new StringBuilder();
		long[] d = r.labels().dimensions();
		b.append(String.format(Locale.ROOT, "input:       %s (%d x %d x %d)%n", r.source(), d[0], d[1], d[2]));
		b.append(String.format(Locale.ROOT, "model grid:  %d x %d x %d, %.4g x %.4g x %.4g mm, %s%n", r.modelGrid()[0],
				r.modelGrid()[1], r.modelGrid()[2], r.modelSpacingMm()[0], r.modelSpacingMm()[1], r.modelSpacingMm()[2],
				r.modelOrientation()));
		for (String step : r.preprocessing())
			b.append("  ").append(step).append('\n');
		b.append(String.format(Locale.ROOT, "device:      %s%n", r.device()));
		b.append(String.format(Locale.ROOT, "windows:     %d in %d batches%n", r.windows(), r.batches()));
		b.append(String.format(Locale.ROOT, "seconds:     %.2f total, %.2f inside the engine (overhead x%.3f); model load %.2f%n",
				r.secondsTotal(), r.secondsEngine(), r.overhead(), loadSeconds));
		b.append(startupLine(loadSeconds, r.secondsFirstBatch(), r.secondsPerBatchAfterFirst()));
		if (r.secondsOverlappedWithLoad() > 0)
			b.append(String.format(Locale.ROOT,
					"overlapped:  %.2f s of reading and preprocessing ran while the model loaded (not in the total)%n",
					r.secondsOverlappedWithLoad()));
		StringBuilder stages = new StringBuilder();
		for (Map.Entry<String, Double> e : r.seconds().entrySet())
			stages.append(stages.length() == 0 ? "" : ", ").append(e.getKey())
					.append(String.format(Locale.ROOT, " %.2f", e.getValue()));
		b.append("stages:      ").append(stages).append('\n');
		b.append(String.format(Locale.ROOT, "voxels/s:    %.0f%n", r.voxelsPerSecond()));
		if (r.removed().voxels() > 0)
			b.append(String.format(Locale.ROOT, "removed:     %d voxels in small components%n", r.removed().voxels()));
		for (Map.Entry<String, Path> e : r.written().entrySet())
			b.append(String.format(Locale.ROOT, "wrote:       %s (%s)%n", e.getValue(), e.getKey()));
		b.append(String.format(Locale.ROOT, "%6s  %-24s %12s %12s%n", "label", "name", "voxels", "volume mL"));
		for (LabelRow row : r.rows())
			b.append(String.format(Locale.ROOT, "%6d  %-24s %12d %12.3f%n", row.label(), row.name(), row.voxels(), row.volumeMl()));
		if (r.rows().isEmpty())
			b.append("        (no foreground label)\n");
		return b.toString();
	}
}
