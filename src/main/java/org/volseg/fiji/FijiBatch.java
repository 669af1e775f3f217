package org.volseg.fiji;

import java.nio.file.Path;
import java.util.Locale;

import org.volseg.InvalidParameterException;
import org.volseg.VolSegException;
import org.volseg.batch.BatchCancellation;
import org.volseg.batch.BatchInput;
import org.volseg.batch.BatchListener;
import org.volseg.batch.BatchReport;
import org.volseg.batch.BatchRunner;
import org.volseg.batch.BatchSettings;
import org.volseg.batch.Shard;
import org.volseg.batch.SummaryRow;
import org.volseg.pipeline.SegmentationListener;
import org.volseg.pipeline.SegmentationSettings;
import org.volseg.pipeline.SettingText;
import org.volseg.tiling.SlidingWindowProgress;

import ij.measure.ResultsTable;

/**
 * What Fiji's {@code Batch Segment Folder...} command and the macro API's {@code batchSegment} share:
 * run the library's {@link BatchRunner} with the cached model ({@link LoadedModels}), report progress
 * per file and overall on one status line and bar, and turn a stop request (ImageJ's Esc, polled on
 * every progress report) into "stop after the current file". No windows. Stateless.
 */
final class FijiBatch {

	/** What a stop request checks, polled on every progress report. */
	public interface StopRequest {
		boolean requested();
	}

	private FijiBatch() {
	}

	/**
	 * Runs a batch.
	 *
	 * @param model a model package path
	 * @param sink progress text and overall fraction
	 * @param log one line per finished input and per warning
	 * @param stop when true, the batch stops after the current file
	 * @param cancellation also honoured (for example {@link BatchCancellation#abort()} from another thread)
	 */
	public static BatchReport run(Path model, BatchSettings settings, StatusProgress.Sink sink,
			java.util.function.Consumer<String> log, StopRequest stop, BatchCancellation cancellation) {
		return LoadedModels.with(model, settings.segmentation().engineOptions(), segmenter -> {
			BatchRunner runner = new BatchRunner(segmenter, settings);
			return runner.run(new Progress(sink, log, stop, cancellation), cancellation);
		});
	}

	/**
	 * The batch's settings from what the command and the macro are given.
	 *
	 * @param input a folder, or a {@code .csv} list of inputs; null when none was given
	 * @param output the output folder; null when none was given
	 * @param shard {@code K/N} (this process's share), or blank for all inputs
	 * @throws VolSegException when the input or the output is missing; an {@link InvalidParameterException}
	 *         naming {@code input}, {@code output} or {@code shard} when one is unusable (see {@link BatchSettings.Builder#build})
	 */
	public static BatchSettings settings(Path input, Path output, SegmentationSettings segmentation, boolean overwrite,
			String shard) {
		if (input == null || output == null)
			throw new VolSegException("give an input folder (or .csv list) and an output folder");
		Shard share = shard(shard);
		try {
			return BatchSettings.builder(input, output).segmentation(segmentation).overwrite(overwrite).shard(share).build();
		} catch (InvalidParameterException e) {
			throw inFijiTerms(e);
		}
	}

	/**
	 * The library's batch settings name a bad value as the command line does ({@code --input: expected
	 * ...}); Fiji's dialog and the macro call it {@code input}. Other messages are returned as they are.
	 */
	static InvalidParameterException inFijiTerms(InvalidParameterException e) {
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("--([a-z][a-z0-9-]*): ").matcher(e.getMessage());
		if (!m.lookingAt())
			return e;
		InvalidParameterException renamed = new InvalidParameterException(SettingText.FIJI.name(m.group(1).replace('-', '_'))
				+ ": " + e.getMessage().substring(m.end()));
		renamed.initCause(e);
		return renamed;
	}

	/** {@code K/N}, or blank for all; errors name {@code shard} (the library's name it {@code --shard}). */
	static Shard shard(String text) {
		if (text == null || text.isBlank())
			return Shard.ALL;
		try {
			return Shard.parse(text.trim());
		} catch (InvalidParameterException e) {
			throw InvalidParameterException.of(SettingText.FIJI.name("shard"), text, "K/N with 1 <= K <= N, for example 2/8"
					+ " (the K-th of N shares of the inputs)");
		}
	}

	/** The report as a table: one row per input (and DICOM series) with status, error, seconds, output. */
	public static ResultsTable table(BatchReport report) {
		ResultsTable t = new ResultsTable();
		t.showRowNumbers(false);
		for (SummaryRow r : report.rows()) {
			t.incrementCounter();
			t.addValue("Input", r.input());
			t.addValue("Series", r.series());
			t.addValue("Status", r.status().toString().toLowerCase(Locale.ROOT));
			t.addValue("Seconds", r.seconds());
			t.addValue("Output", r.output());
			t.addValue("Error", r.error());
		}
		return t;
	}

	/** One line: counts and the summary file. */
	public static String summary(BatchReport report) {
		return "done=" + report.done() + " skipped=" + report.skipped() + " failed=" + report.failed()
				+ (report.stopped() ? " stopped" : "") + " summary=" + report.summary();
	}

	private static final class Progress implements BatchListener {
		private final StatusProgress.Sink sink;
		private final java.util.function.Consumer<String> log;
		private final StopRequest stop;
		private final BatchCancellation cancellation;
		private int index, count = 1;
		private String name = "";

		Progress(StatusProgress.Sink sink, java.util.function.Consumer<String> log, StopRequest stop,
				BatchCancellation cancellation) {
			this.sink = sink;
			this.log = log;
			this.stop = stop;
			this.cancellation = cancellation;
		}

		private void poll() {
			if (stop.requested() && !cancellation.stopRequested()) {
				cancellation.stopAfterCurrent();
				log.accept("VolSeg batch: stopping after the current file");
			}
		}

		private void show(String what, double fileFraction) {
			poll();
			String stopping = cancellation.stopRequested() ? " (stopping after this file)" : " (Esc stops after this file)";
			sink.show("VolSeg batch " + (index + 1) + "/" + count + " " + name + ": " + what + stopping,
					Math.min(1, (index + fileFraction) / count));
		}

		@Override
		public void planned(int inputs, int total) {
			count = Math.max(1, inputs);
			log.accept("VolSeg batch: " + inputs + " input(s)" + (inputs != total ? " of " + total + " (this shard)" : ""));
		}

		@Override
		public void inputStarted(int i, int n, BatchInput input) {
			index = i;
			count = Math.max(1, n);
			name = input.path().getFileName() == null ? input.path().toString() : input.path().getFileName().toString();
			show("starting", 0);
		}

		@Override
		public SegmentationListener segmentation(BatchInput input) {
			return new SegmentationListener() {
				@Override
				public void stage(Stage stage) {
					show(stage.label(), stage == Stage.WRITING ? 0.98 : stage == Stage.POSTPROCESSING ? 0.95 : 0.02);
				}

				@Override
				public void windows(SlidingWindowProgress p) {
					show("window " + p.windowsDone() + "/" + p.windowsTotal(), 0.05 + 0.9 * p.fraction());
				}

				@Override
				public void warning(String message) {
					log.accept("VolSeg warning (" + name + "): " + message);
				}
			};
		}

		@Override
		public void rowFinished(SummaryRow row) {
			log.accept("VolSeg batch: " + row.status().toString().toLowerCase(Locale.ROOT) + " " + row.input()
					+ (row.series().isEmpty() ? "" : " series " + row.series())
					+ (row.error().isEmpty() ? "" : ": " + row.error()));
			show("finished", 1);
		}

		@Override
		public void warning(String message) {
			log.accept("VolSeg batch warning: " + message);
		}
	}
}
