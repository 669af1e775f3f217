package org.volseg.fiji;

import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.volseg.VolSegException;
import org.volseg.util.AtomicFiles;
import org.volseg.runtime.EngineRuntimes;
import org.volseg.io.dicom.DicomSeries;
import org.volseg.model.ModelInstaller;
import org.volseg.pipeline.SegmentationSettings;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.macro.Interpreter;
import ij.measure.ResultsTable;

/**
 * The macro API: static methods for ImageJ 1's {@code call()}, usable in plain ImageJ 1 (also in
 * {@code -batch} mode, without a SciJava context) and in Fiji alike. Every method takes and returns
 * strings; a failure never opens a dialog: the method returns {@code "Error: <message>"} and writes the
 * message to the Log (stdout in batch mode). Test with {@code startsWith(r, "Error")}.
 *
 * <pre>
 * r = call("org.volseg.fiji.Macros.segment", "/data/ct.nii.gz", "my-model", "/out/ct_labels.nii.gz",
 *          "roi=96,96,96 overlap=0.5 device=cpu results=/out/ct_volumes.csv");
 * if (startsWith(r, "Error")) exit(r);
 * </pre>
 *
 * The model stays loaded between calls with the same package and device (see {@link LoadedModels});
 * {@link #releaseModel()} frees it.
 */
public final class Macros {

	/** Options of {@link #segment} besides {@link FijiSettings#SEGMENTATION_KEYS}. */
	public static final Set<String> DISPLAY_KEYS = Set.of("display", "opacity", "show", "results");

	private Macros() {
	}

	/**
	 * Segments a scan.
	 *
	 * @param input a NIfTI file, a DICOM folder or file, or {@code ""}/{@code "current"} for the
	 *        current image
	 * @param model an installed model's name or folder name, or a package path (folder, rdf.yaml, .zip)
	 * @param output the label file to write ({@code .nii.gz} or {@code .nii}), or {@code ""} for none
	 * @param options {@code key=value} pairs: {@code roi=96,96,96 overlap=0.5 blend=gaussian device=cpu
	 *        batch=2 threads=0 series=3 min_component_size=100 threshold=0.5 pad=constant
	 *        tta=flips tta_axes=x,y,z volume_index=0} ({@code series} a SeriesNumber or SeriesInstanceUID), the
	 *        flags {@code no_resample no_reorient no_normalize trust_model}; and {@code show} (display the label image
	 *        and the overlay; on by default for the current image, off for files), {@code display=filled|outlines|none},
	 *        {@code opacity=40} (percent), {@code results=/path/table.csv} (save the results table)
	 * @return the label file written, or the label image's title when {@code output} is empty; or
	 *         {@code "Error: ..."}
	 */
	public static String segment(String input, String model, String output, String options) {
		return guarded(() -> {
			Set<String> keys = new HashSet<>(FijiSettings.SEGMENTATION_KEYS);
			keys.addAll(DISPLAY_KEYS);
			MacroOptions o = MacroOptions.parse(options, keys);
			Path out = blank(output) ? null : LabelFiles.withNiftiExtension(Path.of(output.trim()));
			SegmentationSettings settings = FijiSettings.fromOptions(o, out);
			// Every option is checked here, before the model is loaded or the scan read.
			boolean show = o.has("show") ? o.flag("show") : blank(input) || input.trim().equalsIgnoreCase("current");
			OverlaySettings drawn = OverlaySettings.parse(o.get("display", "filled"), o.get("opacity", "40"));
			Path pkg = ModelCatalog.standard().resolve("model", model);
			boolean current = blank(input) || input.trim().equalsIgnoreCase("current");
			ImagePlus scan;
			if (current) {
				scan = CommandInputs.imageOrCurrent(null,
						"input: no image is open; give a NIfTI file or DICOM folder, or open a scan first");
			} else {
				Path in = Path.of(input.trim());
				if (out != null && org.volseg.util.SameFile.as(in, out))
					throw org.volseg.InvalidParameterException.of("output", out, "a file other than the input " + in);
				scan = FijiSegmentation.open(in, settings.seriesNumber());
			}
			IJ.resetEscape();
			StatusProgress progress = StatusProgress.imageJ(scan.getTitle());
			progress.loading(pkg);
			FijiSegmentation.Outcome outcome = FijiSegmentation.segment(pkg, settings.engineOptions(), scan, settings, progress,
					CommandRun.stopRequested(() -> false));
			progress.done(outcome.summary());
			if (o.has("results"))
				saveTable(outcome.results(), Path.of(o.get("results", "")));
			if (show) {
				drawn.showOn(scan, outcome.labels());
				if (!current)
					display(scan);
				display(outcome.labels());
				if (!GraphicsEnvironment.isHeadless() && !Interpreter.isBatchMode())
					outcome.results().show(LabelResults.TITLE);
			}
			return out != null ? out.toString() : outcome.labels().getTitle();
		});
	}

	/**
	 * Segments every NIfTI file and DICOM series under a folder (or listed in a CSV file) into an
	 * output folder, with {@code summary.csv}; finished inputs are skipped on a rerun, bad inputs are
	 * logged as failed and the batch goes on (see {@link org.volseg.batch.BatchRunner}). Esc stops
	 * after the current file.
	 *
	 * @param options the segmentation options of {@link #segment} (not the display ones), and
	 *        {@code overwrite} (redo finished inputs) and {@code shard=K/N}
	 * @return {@code "done=N skipped=N failed=N summary=/path/summary.csv"} (a failed input is not an
	 *         error of the call), or {@code "Error: ..."} if the batch could not run at all
	 */
	public static String batchSegment(String input, String model, String outputFolder, String options) {
		return guarded(() -> {
			Set<String> keys = new HashSet<>(FijiSettings.SEGMENTATION_KEYS);
			keys.add("overwrite");
			keys.add("shard");
			MacroOptions o = MacroOptions.parse(options, keys);
			org.volseg.batch.BatchSettings settings = FijiBatch.settings(blank(input) ? null : Path.of(input.trim()),
					blank(outputFolder) ? null : Path.of(outputFolder.trim()), FijiSettings.fromOptions(o, null),
					o.flag("overwrite"), o.get("shard", ""));
			IJ.resetEscape();
			org.volseg.batch.BatchReport report = FijiBatch.run(ModelCatalog.standard().resolve("model", model), settings,
					(text, fraction) -> {
						IJ.showStatus(text);
						IJ.showProgress(fraction);
					}, IJ::log, CommandRun.stopRequested(() -> false)::getAsBoolean, new org.volseg.batch.BatchCancellation());
			return FijiBatch.summary(report);
		});
	}

	/** Opens a NIfTI file (calibrated, geometry kept) and makes it the current image; returns its title. */
	public static String openNifti(String path) {
		return guarded(() -> {
			ImagePlus image = FijiSegmentation.open(Path.of(path.trim()), null);
			display(image);
			return image.getTitle();
		});
	}

	/**
	 * Opens a DICOM series of a folder and makes it the current image; returns its title.
	 *
	 * @param series blank or {@code main} for the main series, a SeriesNumber, or {@code #k}
	 */
	public static String openDicom(String folder, String series) {
		return guarded(() -> {
			Path dir = Path.of(folder.trim());
			List<DicomSeries> all = DicomSeriesChooser.scan(dir);
			ImagePlus image = DicomSeriesChooser.open(dir, DicomSeriesChooser.choose(all, series));
			display(image);
			return image.getTitle();
		});
	}

	/** The series of a DICOM folder, one line each as {@code "number: description (modality, XxYxZ)"}. */
	public static String listSeries(String folder) {
		return guarded(() -> String.join("\n", DicomSeriesChooser.describeAll(DicomSeriesChooser.scan(Path.of(folder.trim())))));
	}

	/** Saves the current image as a NIfTI label map with its scan's geometry; returns the file written. */
	public static String saveLabels(String path) {
		return guarded(() -> {
			ImagePlus image = CommandInputs.imageOrCurrent(null, "saveLabels: no image is open; segment a scan first");
			return LabelFiles.save(image, Path.of(path.trim())).toString();
		});
	}

	/**
	 * Saves the current image (a label image) as a DICOM SEG of its scan's DICOM series; returns the file written.
	 *
	 * @param dicomFolder the scan's DICOM folder, or {@code ""} for the one the scan was opened from
	 */
	public static String saveSeg(String path, String dicomFolder) {
		return guarded(() -> {
			ImagePlus image = CommandInputs.imageOrCurrent(null, "saveSeg: no image is open; segment a scan first");
			return FijiSeg.save(image, blank(dicomFolder) ? null : Path.of(dicomFolder.trim()), Path.of(path.trim())).toString();
		});
	}

	/**
	 * Opens a DICOM SEG onto the current image (the scan): shows the label overlay and makes the
	 * label image current; returns its title. Overlaps are written to the Log.
	 */
	public static String openSeg(String path) {
		return guarded(() -> {
			ImagePlus scan = CommandInputs.imageOrCurrent(null, "openSeg: no scan is open; open its DICOM series first (openDicom)");
			FijiSeg.Opened o = FijiSeg.open(Path.of(path.trim()), scan);
			for (String w : o.warnings())
				ij.IJ.log("VolSeg: " + w);
			OverlaySettings.DEFAULT.showOn(scan, o.labels());
			display(o.labels());
			return o.labels().getTitle();
		});
	}

	/**
	 * Fine-tunes a model on corrected labels and installs the result as a new model; returns its name.
	 *
	 * @param model an installed model's name or a package path ({@code ""}: the model of the first label image)
	 * @param scans titles of open scans, comma-separated (or an images folder, with {@code labels} a labels folder)
	 * @param labels titles of their corrected label images, same order (or a labels folder)
	 * @param options {@code steps=50 learning_rate=1e-4 name=[NEW NAME]}, each optional; unknown keys are refused
	 */
	public static String fineTune(String model, String scans, String labels, String options) {
		return guarded(() -> {
			FijiFineTune.Settings settings = FijiFineTune.Settings.fromOptions(options);
			IJ.resetEscape();
			boolean folders = !blank(scans) && Files.isDirectory(Path.of(scans.trim()));
			return FijiFineTune.run(model, folders ? "" : scans, folders ? "" : labels, folders ? Path.of(scans.trim()) : null,
					folders && !blank(labels) ? Path.of(labels.trim()) : null, settings, CommandRun.stopRequested(() -> false),
					(done, all) -> IJ.showStatus(FijiFineTune.stepText(done, all)), s -> { }).name();
		});
	}

	/** The installed models, one {@code name<TAB>folder} line each (empty if none). */
	public static String listModels() {
		return guarded(() -> {
			StringBuilder s = new StringBuilder();
			for (ModelCatalog.InstalledModel m : ModelCatalog.standard().list())
				s.append(s.length() == 0 ? "" : "\n").append(m.name()).append('\t').append(m.folder());
			return s.toString();
		});
	}

	/**
	 * Validates and installs a model package.
	 *
	 * @param destination {@code fiji} (Fiji.app/models/volseg) or {@code user} (~/.volseg/models)
	 * @param replace {@code true} to replace an installed model of the same name
	 * @return the installed folder
	 */
	public static String installModel(String path, String destination, String replace) {
		return guarded(() -> {
			Path folder = "user".equalsIgnoreCase(destination == null ? "" : destination.trim())
					? ModelCatalog.userModelsFolder() : ModelCatalog.fijiModelsFolder();
			return ModelInstaller.install(Path.of(path.trim()), folder, Boolean.parseBoolean(replace == null ? "" : replace.trim()),
					pkg -> EngineRuntimes.get().verify(pkg.source())).toString();
		});
	}

	/** Frees the model kept loaded between calls; returns "". */
	public static String releaseModel() {
		return guarded(() -> {
			LoadedModels.release();
			return "";
		});
	}

	/** Runs a call, turning an error into {@code "Error: ..."} logged to the Log window. */
	static String guarded(Supplier<String> call) {
		try {
			return call.get();
		} catch (VolSegException e) {
			return error(e.getMessage());
		} catch (RuntimeException e) {
			return error(e.getClass().getSimpleName() + ": " + e.getMessage());
		} catch (OutOfMemoryError e) {
			return error("out of memory: give ImageJ more memory (Edit > Options > Memory & Threads) or use a smaller roi/batch");
		}
	}

	private static String error(String message) {
		String text = "Error: " + message;
		IJ.log("VolSeg " + text);
		return text;
	}

	/** Shows an image: a window with a screen, a batch-mode image in batch mode, else just the current image. */
	static void display(ImagePlus image) {
		if (Interpreter.isBatchMode() || !GraphicsEnvironment.isHeadless())
			image.show();
		else
			WindowManager.setTempCurrentImage(image);
	}

	private static void saveTable(ResultsTable table, Path target) {
		Path dir = target.toAbsolutePath().getParent();
		try {
			Files.createDirectories(dir);
			Path tmp = AtomicFiles.temporarySibling(target, ".csv"); // ImageJ picks the format by the name
			try {
				if (!table.save(tmp.toString()))
					throw new IOException("ImageJ could not write " + tmp);
				AtomicFiles.moveIntoPlace(tmp, target);
			} finally {
				Files.deleteIfExists(tmp);
			}
		} catch (IOException e) {
			throw new VolSegException("results: cannot write " + target + ": " + e.getMessage() + "; choose a writable folder", e);
		}
	}

	private static boolean blank(String s) {
		return s == null || s.isBlank();
	}
}
