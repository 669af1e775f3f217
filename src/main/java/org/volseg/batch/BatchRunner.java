package org.volseg.batch;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.volseg.VolSegException;
import org.volseg.util.AtomicFiles;
import org.volseg.io.dicom.DicomFolderReader;
import org.volseg.io.dicom.SkippedFile;
import org.volseg.io.dicom.DicomSeries;
import org.volseg.io.dicom.DicomSeriesVolume;
import org.volseg.io.nifti.NiftiReader;
import org.volseg.pipeline.LabelRow;
import org.volseg.pipeline.SegmentationListener;
import org.volseg.pipeline.SegmentationResult;
import org.volseg.pipeline.SegSink;
import org.volseg.pipeline.SegmentationSettings;
import org.volseg.pipeline.Segmenter;
import org.volseg.CancelledException;
import org.volseg.volume.LabelStatistics;

/**
 * Segments every input of a batch with one {@link Segmenter} (the model is loaded once), one input
 * at a time in the {@link BatchInputs sorted order}, and keeps {@code summary.csv} up to date. The
 * command line ({@code volseg batch}), Fiji's batch command and the macro API all run this.
 *
 * <p><b>Per input.</b> Stale temporary files of its outputs left by a killed run are deleted first.
 * If its outputs are {@link BatchOutputs#complete() complete} and {@link BatchSettings#overwrite()}
 * is off, it is {@code skipped}: its voxel counts come from the last summary row written for that
 * output by any earlier run (any shard), else from reading the labels file (if that file cannot be
 * read it is segmented again). Otherwise it is segmented and written atomically ({@code done}); any
 * error (unreadable, corrupt, unsupported, a volume the model cannot take, out of memory) makes it
 * {@code failed} with the message, nothing is written for it, and the batch goes on.</p>
 *
 * <p><b>DICOM folders.</b> The series among the folder's own files are found (headers only); each is
 * one row, in SeriesNumber order, written to {@code FOLDER_series<N>_labels.nii.gz} (N: the
 * SeriesNumber; {@code none} without one; {@code N-2}, {@code N-3}... for further series sharing a
 * number, in the reader's order: same number, then most slices first). Localizer (scout) and colour
 * series are {@code skipped} with the reason in the error column. With a series number in the
 * segmentation settings only that series is segmented.</p>
 *
 * <p><b>Summary.</b> After every done or failed row (after skipped rows: at most every 5 seconds, and
 * at the end), {@link BatchSettings#summaryFile()} is rewritten atomically
 * with one row per finished input of this run, and, for inputs of this run not reached yet, the
 * rows earlier runs wrote for them; so a killed or stopped run leaves a summary of everything
 * known. A run without {@code --shard} after a sharded one collects every shard's rows into
 * {@code summary.csv} (the finished inputs are skipped, their counts taken from the shard
 * summaries).</p>
 *
 * <p>Not thread-safe: one {@link #run} at a time. The segmenter is not closed.</p>
 */
public final class BatchRunner {

	private static final long SKIPPED_WRITE_INTERVAL_NANOS = 5_000_000_000L;

	private final Segmenter segmenter;
	private final BatchSettings settings;
	private final SummaryCsv layout;

	/** @param segmenter the loaded model, used for every input; the caller closes it */
	public BatchRunner(Segmenter segmenter, BatchSettings settings) {
		this.segmenter = Objects.requireNonNull(segmenter, "segmenter");
		this.settings = Objects.requireNonNull(settings, "settings");
		this.layout = new SummaryCsv(segmenter.descriptor().volseg().classes());
	}

	/** The summary's layout (its columns). */
	public SummaryCsv summaryLayout() {
		return layout;
	}

	/**
	 * Runs the batch (this process's shard of it).
	 *
	 * @param cancel polled before every input and every DICOM series, and during segmentation
	 * @return what this run did; the caller decides on an exit status ({@link BatchReport#failed()})
	 * @throws org.volseg.InvalidParameterException for a malformed input list
	 * @throws VolSegException if the input folder cannot be listed, or the output folder or summary
	 *         cannot be written
	 */
	public BatchReport run(BatchListener listener, BatchCancellation cancel) {
		List<BatchInput> all = BatchInputs.of(settings);
		List<BatchInput> mine = settings.shard().select(all);
		Path out = settings.outputFolder();
		try {
			Files.createDirectories(out);
		} catch (IOException e) {
			throw new VolSegException(out + ": cannot create the output folder (" + e.getMessage() + ")", e);
		}
		Path summary = settings.summaryFile();
		String summaryName = summary.getFileName().toString();
		removeStale(summary.getParent(), n -> AtomicFiles.isTemporaryOf(n, summaryName), listener);
		Run run = new Run(listener, cancel, PreviousRows.read(out, layout), mine);
		listener.planned(mine.size(), all.size());
		int visited = 0;
		boolean stopped = false;
		try {
			for (int i = 0; i < mine.size(); i++) {
				if (cancel.stopRequested()) {
					stopped = true;
					break;
				}
				BatchInput in = mine.get(i);
				listener.inputStarted(i, mine.size(), in);
				if (!run.process(in)) {
					stopped = true;
					break;
				}
				visited++;
			}
		} catch (CancelledException e) {
			stopped = true;
		}
		run.writeSummary();
		return new BatchReport(run.finished, mine.size(), visited, stopped, summary);
	}

	/** The state of one {@link #run}. */
	private final class Run {
		final BatchListener listener;
		final BatchCancellation cancel;
		final PreviousRows previous;
		/** Rows per input: earlier runs' until this run writes the first row of the input. */
		final Map<BatchInput, List<SummaryRow>> table = new LinkedHashMap<>();
		final Map<BatchInput, Boolean> replaced = new HashMap<>();
		final List<SummaryRow> finished = new ArrayList<>();
		long lastWrite = System.nanoTime();

		/** This run's {@link OutputRecord#settingsKey}. */
		final String settingsKey = OutputRecord.settingsKey(settings.segmentation());

		Run(BatchListener listener, BatchCancellation cancel, PreviousRows previous, List<BatchInput> inputs) {
			this.listener = listener;
			this.cancel = cancel;
			this.previous = previous;
			for (BatchInput in : inputs) {
				List<SummaryRow> before = new ArrayList<>(previous.forInput(in.path().toString()));
				if (in.outputs() != null) // a file listed twice with two outputs: each line its own row
					before.removeIf(r -> !r.output().isEmpty() && !r.output().equals(in.outputs().labels().toString()));
				table.put(in, before);
			}
		}

		/** {@code NAME_seg.dcm} next to {@code NAME_labels.nii.gz}. */
		Path segOutput(BatchOutputs outputs) {
			String name = outputs.labels().getFileName().toString();
			String stem = name.replaceFirst("(?i)(_labels)?\\.nii(\\.gz)?$", "");
			return outputs.labels().resolveSibling(stem + "_seg.dcm");
		}

		boolean isDicom(Path p) {
			return Files.isDirectory(p) || org.volseg.io.dicom.DicomParser.isDicom(p);
		}

		/** Processes one input; false if a stop was requested between two of its series. */
		boolean process(BatchInput in) {
			if (in.problem() != null) {
				emit(in, failed(in, "", in.outputs() == null ? null : in.outputs().labels(), in.problem(), Double.NaN));
				return true;
			}
			switch (in.kind()) {
			case NIFTI:
			case LISTED:
				if (settings.seg() && !isDicom(in.path())) {
					emit(in, failed(in, "", in.outputs().labels(), in.path() + " is not DICOM, but --seg writes DICOM SEGs, which"
							+ " reference the DICOM images they segment: give DICOM inputs, or leave out --seg", Double.NaN));
					return true;
				}
				SegmentationSettings s = in.outputs().applyTo(settings.segmentation());
				if (settings.seg())
					s = s.toBuilder().outputSink(new SegSink(segOutput(in.outputs()), "--seg")).build();
				SegmentationSettings listed = s;
				segmentOne(in, "", in.outputs(),
						() -> segmenter.segment(in.path(), listed, listener.segmentation(in), cancel::abortRequested));
				return true;
			case DICOM_FOLDER:
				return dicomFolder(in);
			default:
				emit(in, failed(in, "", null, "not a volume VolSeg reads", Double.NaN));
				return true;
			}
		}

		boolean dicomFolder(BatchInput in) {
			long t0 = System.nanoTime();
			DicomFolderReader reader = new DicomFolderReader().recursive(false);
			List<DicomSeries> found;
			try {
				found = reader.scan(in.path());
			} catch (VolSegException e) {
				emit(in, failed(in, "", null, e.getMessage(), seconds(t0)));
				return true;
			}
			if (!found.isEmpty())
				for (SkippedFile f : found.get(0).skipped())
					listener.warning(f.line());
			String wanted = settings.segmentation().series();
			Integer wantedNumber = settings.segmentation().seriesNumber();
			List<DicomSeries> series = new ArrayList<>();
			for (DicomSeries s : found)
				if (wanted == null || wanted.equals(s.seriesUid()) || wantedNumber != null && wantedNumber.equals(s.seriesNumber()))
					series.add(s);
			if (series.isEmpty()) {
				StringBuilder numbers = new StringBuilder();
				for (DicomSeries s : found)
					numbers.append(numbers.length() == 0 ? "" : ", ").append(tagOf(s));
				emit(in, row(in, "", null, BatchStatus.SKIPPED, "no series " + wanted + " here (series: " + numbers
						+ ")", seconds(t0), "", null));
				return true;
			}
			Map<String, Integer> seen = new HashMap<>();
			boolean first = true;
			for (DicomSeries s : series) {
				if (!first && cancel.stopRequested())
					return false;
				first = false;
				String tag = tagOf(s);
				int k = seen.merge(tag, 1, Integer::sum);
				if (k > 1)
					tag = tag + "-" + k;
				BatchOutputs outputs = in.seriesOutputs(tag, settings.saveLogits(), settings.saveProbabilities());
				if (s.localizer() || s.colour()) {
					emit(in, row(in, tag, null, BatchStatus.SKIPPED, (s.localizer() ? "localizer (scout) series"
							: "colour (RGB) series") + " " + describe(s) + ": not segmented", 0, "", null));
					continue;
				}
				SegmentationSettings st = outputs.applyTo(settings.segmentation());
				if (settings.seg())
					st = st.toBuilder().outputSink(new SegSink(segOutput(outputs), "--seg", s)).build();
				SegmentationSettings forSeries = st;
				SegmentationListener progress = listener.segmentation(in);
				segmentOne(in, tag, outputs, () -> {
					progress.stage(SegmentationListener.Stage.READING);
					DicomSeriesVolume v = reader.read(s);
					v.warnings().forEach(progress::warning);
					return segmenter.segment(v.volume(), forSeries, progress, cancel::abortRequested);
				});
			}
			return true;
		}

		void segmentOne(BatchInput in, String series, BatchOutputs outputs, Supplier<SegmentationResult> segment) {
			long t0 = System.nanoTime();
			for (Path p : outputs.all())
				removeStale(p.getParent(), temporaryOf(p.getFileName().toString()), listener);
			if (!settings.overwrite() && outputs.complete() && (!settings.seg() || Files.isRegularFile(segOutput(outputs)))) {
				SummaryRow before = previous.forOutput(outputs.labels().toString());
				boolean usable = before != null && before.labels() != null
						&& (before.status() == BatchStatus.DONE || before.status() == BatchStatus.SKIPPED);
				String other = usable ? OutputRecord.mismatch(before, settings.modelIdentity(), settingsKey) : null;
				if (other != null)
					listener.warning(outputs.labels() + " is segmented again: " + other);
				else {
					Map<Integer, LabelVolume> counts = usable ? before.labels() : countLabels(outputs.labels());
					if (counts != null) {
						// the record is carried over from the row that made the output (none if unknown)
						emit(in, new SummaryRow(in.path().toString(), series, outputs.labels().toString(), BatchStatus.SKIPPED,
								"", seconds(t0), usable ? before.device() : "", now(), counts, usable ? before.model() : "",
								usable ? before.settings() : ""));
						return;
					}
					listener.warning(outputs.labels() + " exists but cannot be read; segmenting " + in.path() + " again");
				}
			}
			try {
				for (Path p : outputs.all())
					Files.createDirectories(p.getParent());
			} catch (IOException e) {
				emit(in, failed(in, series, outputs.labels(), "cannot create the output folder " + e.getMessage(), seconds(t0)));
				return;
			}
			String error;
			try {
				SegmentationResult r = segment.get();
				Map<Integer, LabelVolume> counts = new LinkedHashMap<>();
				for (LabelRow lr : r.rows())
					counts.put(lr.label(), new LabelVolume(lr.voxels(), lr.volumeMl()));
				emit(in, row(in, series, outputs.labels(), BatchStatus.DONE, "", seconds(t0), r.device(), counts));
				return;
			} catch (CancelledException e) {
				throw e;
			} catch (VolSegException e) {
				error = e.getMessage();
			} catch (OutOfMemoryError e) {
				error = "out of memory (" + e.getMessage() + "); give Java more memory (for example JAVA_OPTS=-Xmx32g) "
						+ "or segment this scan alone";
			} catch (RuntimeException e) {
				error = "unexpected error " + e + "; please report it as a VolSeg bug with this scan's description";
			}
			emit(in, failed(in, series, outputs.labels(), error, seconds(t0)));
		}

		Map<Integer, LabelVolume> countLabels(Path labels) {
			try {
				Map<Integer, LabelVolume> counts = new LinkedHashMap<>();
				for (LabelStatistics.Row r : LabelStatistics.of(NiftiReader.read(labels).volume()))
					counts.put(r.label(), new LabelVolume(r.voxels(), r.volumeMl()));
				return counts;
			} catch (VolSegException | IllegalArgumentException e) {
				return null;
			}
		}

		SummaryRow failed(BatchInput in, String series, Path output, String error, double seconds) {
			return row(in, series, output, BatchStatus.FAILED, error, seconds, segmenter.device(), null);
		}

		SummaryRow row(BatchInput in, String series, Path output, BatchStatus status, String error, double seconds,
				String device, Map<Integer, LabelVolume> labels) {
			boolean made = status == BatchStatus.DONE;
			return new SummaryRow(in.path().toString(), series, output == null ? "" : output.toString(), status, error,
					seconds, device, now(), labels, made ? settings.modelIdentity() : "", made ? settingsKey : "");
		}

		String now() {
			return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
		}

		void emit(BatchInput in, SummaryRow row) {
			List<SummaryRow> rows = table.get(in);
			if (replaced.put(in, Boolean.TRUE) == null)
				rows.clear();
			rows.add(row);
			finished.add(row);
			// Skipped rows cost no work to redo: a rerun over thousands of finished inputs rewrites
			// the summary at most every few seconds, not once per row.
			long now = System.nanoTime();
			if (row.status() != BatchStatus.SKIPPED || now - lastWrite > SKIPPED_WRITE_INTERVAL_NANOS)
				writeSummary();
			listener.rowFinished(row);
		}

		void writeSummary() {
			lastWrite = System.nanoTime();
			List<SummaryRow> rows = new ArrayList<>();
			table.values().forEach(rows::addAll);
			layout.write(settings.summaryFile(), rows);
		}
	}

	private static String tagOf(DicomSeries s) {
		return s.seriesNumber() == null ? "none" : s.seriesNumber().toString();
	}

	private static String describe(DicomSeries s) {
		return "'" + s.description() + "' (" + s.sliceCount() + " slice(s))";
	}

	private static double seconds(long t0) {
		return (System.nanoTime() - t0) * 1e-9;
	}

	/**
	 * Names of the temporary files an interrupted write of the output {@code name} leaves: the
	 * pipeline's {@code .NAME.volseg-RANDOM.nii[.gz]}, the NIfTI writer's {@code .TARGET.RANDOM.part}
	 * under it ({@code ..NAME.volseg-RANDOM.nii.gz.RANDOM.part}), or the writer's own on the final name.
	 */
	static Predicate<String> temporaryOf(String name) {
		return n -> n.startsWith(".") && (n.replaceFirst("^\\.+", "").startsWith(name + ".volseg-")
				|| AtomicFiles.isTemporaryOf(n, name));
	}

	/** Deletes the regular files in {@code dir} whose names match. */
	private static void removeStale(Path dir, Predicate<String> stale, BatchListener listener) {
		if (dir == null || !Files.isDirectory(dir))
			return;
		try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
			for (Path f : files) {
				String name = f.getFileName().toString();
				if (stale.test(name) && Files.isRegularFile(f))
					try {
						Files.deleteIfExists(f);
					} catch (IOException e) {
						listener.warning(f + ": a temporary file of an interrupted run could not be deleted (" + e + ")");
					}
			}
		} catch (IOException e) {
			listener.warning(dir + ": cannot be listed to remove temporary files of an interrupted run (" + e + ")");
		}
	}
}
