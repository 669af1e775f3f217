package org.volseg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.volseg.InvalidParameterException;
import org.volseg.batch.BatchCancellation;
import org.volseg.batch.BatchInput;
import org.volseg.batch.BatchListener;
import org.volseg.batch.BatchReport;
import org.volseg.batch.BatchRunner;
import org.volseg.batch.BatchSettings;
import org.volseg.batch.BatchStatus;
import org.volseg.batch.Shard;
import org.volseg.batch.SummaryRow;
import org.volseg.model.ModelPackageException;
import org.volseg.pipeline.SegmentationListener;
import org.volseg.pipeline.SegmentationSettings;
import org.volseg.pipeline.Segmenter;

import picocli.CommandLine.Command;
import org.volseg.bundle.BundleCache;
import org.volseg.model.ModelIdentity;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code volseg batch --model DIR --input FOLDER|LIST.csv --output FOLDER}: a thin shell around
 * {@link BatchRunner}. One line per input and per finished row on standard error (with the
 * segmentation's progress as {@code volseg segment} shows it), and a last line on standard output
 * with the counts: {@code volseg batch: D done, S skipped, F failed (summary: FILE)}.
 *
 * <p>Exit status: 0 when every input was done or skipped, 1 when any failed (or the run was
 * interrupted), 2 for a usage error (a bad option value, --shard, input or output folder, or model
 * package). Ctrl-C (SIGTERM) cancels the current file, leaving no output for it, and writes the
 * summary.</p>
 */
@Command(name = "batch", mixinStandardHelpOptions = true, sortOptions = false,
		description = { "Segment every scan of a folder (NIfTI files, and every series of every DICOM folder, "
				+ "searched recursively) or of a CSV list (input[,output] per line), with the model loaded once.",
				"Outputs are named after the inputs (NAME_labels.nii.gz; FOLDER_series<N>_labels.nii.gz for DICOM), "
						+ "written atomically; a rerun skips inputs whose outputs exist. One bad scan fails alone. "
						+ "summary.csv in the output folder lists every input with its status, time and label volumes. "
						+ "See docs/batch.md." })
public final class BatchCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Mixin
	SegmentationOptions options;

	@Option(names = "--input", required = true, paramLabel = "FOLDER|LIST.csv",
			description = "A folder of scans (searched recursively) or a CSV list: input[,output] per line, optional "
					+ "header, relative inputs against the list's folder, relative outputs against --output.")
	Path input;

	@Option(names = "--output", required = true, paramLabel = "FOLDER",
			description = "Output folder (created if needed): label maps, in the inputs' relative folders, and summary.csv.")
	Path output;

	@Option(names = "--overwrite", description = "Segment inputs again even if their outputs exist.")
	boolean overwrite;

	@Option(names = "--shard", paramLabel = "K/N",
			description = "Process only the K-th of N partitions of the sorted inputs (K from 1 to N; input i, counted "
					+ "from 0, belongs to shard i mod N + 1). Summary: summary-shard-K-of-N.csv.")
	String shard;

	@Option(names = "--save-logits", description = "Also write NAME_logits.nii.gz (blended raw outputs, float32, a channel per class).")
	boolean saveLogits;

	@Option(names = "--save-probabilities", description = "Also write NAME_probabilities.nii.gz (softmax or sigmoid, as the model declares).")
	boolean saveProbabilities;

	@Option(names = "--seg", description = "Also write NAME_seg.dcm: the labels of each DICOM series as a DICOM SEG"
			+ " referencing its images (DICOM inputs only; a NIfTI input fails with a message).")
	boolean writeSeg;

	@Option(names = "--series", paramLabel = "N|UID",
			description = "DICOM: segment only series with this SeriesNumber or SeriesInstanceUID (default: every "
					+ "series of a folder; for a DICOM folder in a CSV list: its main series).")
	String series;

	/** The model's identity recorded with each output; a bundle is imported (once, into the cache) to get it. */
	private String modelIdentity() {
		PrintWriter err = spec.commandLine().getErr();
		return ModelIdentity.of(BundleCache.packageFor(options.model(), line -> err.println("volseg: " + line),
				w -> err.println("volseg: warning: " + w)));
	}

	@Override
	public Integer call() {
		BatchSettings settings;
		try {
			SegmentationSettings seg = options.settings().series(series).build();
			settings = BatchSettings.builder(input, output).segmentation(seg).overwrite(overwrite)
					.shard(shard == null ? Shard.ALL : Shard.parse(shard)).saveLogits(saveLogits)
					.saveProbabilities(saveProbabilities).seg(writeSeg).modelIdentity(modelIdentity()).build();
		} catch (InvalidParameterException | ModelPackageException e) {
			throw new ParameterException(spec.commandLine(), e.getMessage(), e);
		}
		PrintWriter err = spec.commandLine().getErr();
		PrintWriter out = spec.commandLine().getOut();
		ProgressPrinter.Mode mode = options.progressMode();
		BatchCancellation cancel = new BatchCancellation();
		CountDownLatch finished = new CountDownLatch(1);
		Thread hook = new Thread(() -> {
			cancel.abort();
			try {
				finished.await(30, TimeUnit.SECONDS);
			} catch (InterruptedException ignored) {
				Thread.currentThread().interrupt();
			}
		}, "volseg-batch-cancel");
		Runtime.getRuntime().addShutdownHook(hook);
		try {
			Segmenter segmenter;
			try {
				// the inputs first (a folder walk, a CSV list): a wrong --input fails before the model load
				org.volseg.batch.BatchInputs.of(settings);
			} catch (InvalidParameterException e) {
				throw new ParameterException(spec.commandLine(), e.getMessage(), e);
			}
			try {
				segmenter = Segmenter.load(options.model(), settings.segmentation().engineOptions());
			} catch (ModelPackageException e) {
				throw new ParameterException(spec.commandLine(), e.getMessage(), e);
			}
			try (segmenter) {
				err.println("volseg: model " + segmenter.descriptor().name() + " on " + segmenter.device());
				err.flush();
				BatchReport report;
				try {
					report = new BatchRunner(segmenter, settings).run(new Printer(err, mode), cancel);
				} catch (InvalidParameterException e) {
					throw new ParameterException(spec.commandLine(), e.getMessage(), e);
				}
				out.println(String.format(Locale.ROOT, "volseg batch: %d done, %d skipped, %d failed%s (summary: %s)",
						report.done(), report.skipped(), report.failed(),
						report.stopped() ? ", stopped after " + report.inputsVisited() + " of " + report.inputs() + " inputs"
								: "",
						report.summary()));
				out.flush();
				return report.failed() > 0 || report.stopped() ? 1 : 0;
			}
		} finally {
			finished.countDown();
			try {
				Runtime.getRuntime().removeShutdownHook(hook);
			} catch (IllegalStateException ignored) {
				// the JVM is shutting down
			}
		}
	}

	/** Progress lines on standard error. */
	private static final class Printer implements BatchListener {
		private final PrintWriter err;
		private final ProgressPrinter progress;

		Printer(PrintWriter err, ProgressPrinter.Mode mode) {
			this.err = err;
			this.progress = new ProgressPrinter(err, mode);
		}

		@Override
		public void planned(int inputs, int total) {
			err.println("volseg: " + inputs + " input(s)" + (inputs == total ? "" : " in this shard, of " + total));
			if (total == 0)
				err.println("volseg: warning: no .nii/.nii.gz file and no folder of DICOM files found; check --input");
			err.flush();
		}

		@Override
		public void inputStarted(int index, int count, BatchInput input) {
			progress.done();
			err.println("volseg: [" + (index + 1) + "/" + count + "] " + input.path());
			err.flush();
		}

		@Override
		public SegmentationListener segmentation(BatchInput input) {
			return progress;
		}

		@Override
		public void rowFinished(SummaryRow row) {
			progress.done();
			String what = row.series().isEmpty() ? "" : " series " + row.series();
			if (row.status() == BatchStatus.FAILED)
				err.println("volseg: failed" + what + ": " + row.error());
			else if (row.status() == BatchStatus.SKIPPED)
				err.println("volseg: skipped" + what + ": "
						+ (row.error().isEmpty() ? "complete output " + row.output() : row.error()));
			else
				err.println(String.format(Locale.ROOT, "volseg: done%s in %.1f s: %s", what, row.seconds(), row.output()));
			err.flush();
		}

		@Override
		public void warning(String message) {
			progress.warning(message);
		}
	}
}
