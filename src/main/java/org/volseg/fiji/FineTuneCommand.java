package org.volseg.fiji;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.volseg.VolSegException;
import org.volseg.CancelledException;
import org.volseg.runtime.EngineRuntimes;
import org.volseg.runtime.FineTuneRequest;
import org.volseg.volume.Volume;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;

/**
 * {@code Plugins > VolSeg > Fine-tune Model...}: teaches a model from corrected labels. Takes pairs
 * of open images (scans and their corrected label images, by title, comma-separated, in the same
 * order) or an images folder and a labels folder; runs the existing fine-tuning ({@link org.volseg.runtime.EngineRuntime#fineTune}) from the chosen model
 * with progress in the status bar (Esc cancels: nothing is installed) and installs the result as a
 * new model, {@code MODEL-finetuned-yyyy-MM-dd-HHmm} unless a name is given, in the user's models
 * folder ({@link ModelCatalog#userModelsFolder()}), where "Segment Volume..." lists it.
 */
@Plugin(type = Command.class, menuPath = "Plugins>VolSeg>Fine-tune Model...", headless = true)
public class FineTuneCommand extends ContextCommand {

	@Parameter
	private LogService log;

	@Parameter(required = false)
	private StatusService status;

	@Parameter(label = "Model (blank: the one the label image was made with)", required = false, persist = false)
	private String model = "";

	@Parameter(label = "Scans (open image titles, comma-separated)", required = false, persist = false)
	private String scans = "";

	@Parameter(label = "Corrected labels (open image titles, same order)", required = false, persist = false)
	private String labels = "";

	@Parameter(label = "Or: images folder", style = FileWidget.DIRECTORY_STYLE, required = false, persist = false)
	private File images_folder;

	@Parameter(label = "Or: labels folder", style = FileWidget.DIRECTORY_STYLE, required = false, persist = false)
	private File labels_folder;

	@Parameter(label = "Training steps", min = "1")
	private int steps = 50;

	@Parameter(label = "Learning rate")
	private double learning_rate = 1e-4;

	@Parameter(label = "New model name (blank: MODEL-finetuned-DATE-TIME)", required = false, persist = false)
	private String name = "";

	private FineTuneRequest.Outcome result;
	private String error;

	@Override
	public void run() {
		Thread worker = Thread.currentThread();
		IJ.resetEscape();
		BooleanSupplier cancelled = () -> IJ.escapePressed() || worker.isInterrupted() || isCanceled();
		try {
			result = FijiFineTune.run(model, scans, labels, images_folder == null ? null : images_folder.toPath(),
					labels_folder == null ? null : labels_folder.toPath(), steps, learning_rate, name, cancelled,
					(done, all) -> showStatus(String.format(Locale.ROOT, "VolSeg: fine-tuning step %d/%d (Esc cancels)", done, all),
							(double) done / all),
					log::info);
			String text = String.format(Locale.ROOT, "VolSeg: installed %s (Dice on the corrected cases %.3f) in %s",
					result.name(), result.bestMeanForegroundDice(), result.installed());
			showStatus(text, 1);
			log.info(text);
		} catch (CancelledException e) {
			error = e.getMessage();
			showStatus("VolSeg: " + e.getMessage(), 1);
			log.info("VolSeg: " + e.getMessage());
		} catch (VolSegException e) {
			error = e.getMessage();
			showStatus("VolSeg: fine-tuning failed", 1);
			CommandErrors.report(log, e);
		} catch (IOException e) {
			error = "fine-tuning could not write its files: " + e.getMessage();
			showStatus("VolSeg: fine-tuning failed", 1);
			log.error("VolSeg: " + error);
		} finally {
			IJ.resetEscape();
		}
	}

	private void showStatus(String text, double fraction) {
		StatusProgress.show(status, text, fraction);
		IJ.showProgress(fraction);
	}

	/** What was installed, or null. */
	public FineTuneRequest.Outcome result() {
		return result;
	}

	/** Why it failed or was cancelled, or null. */
	public String error() {
		return error;
	}

	/** The shared logic of the command and the macro. */
	static final class FijiFineTune {
		private FijiFineTune() {
		}

		static FineTuneRequest.Outcome run(String model, String scanTitles, String labelTitles, Path imagesFolder, Path labelsFolder,
				int steps, double lr, String name, BooleanSupplier cancel, java.util.function.BiConsumer<Long, Long> progress,
				java.util.function.Consumer<String> log) throws IOException {
			boolean folders = imagesFolder != null || labelsFolder != null;
			List<ImagePlus> scanImages = images(scanTitles), labelImages = images(labelTitles);
			if (folders && (imagesFolder == null || labelsFolder == null))
				throw new VolSegException("fine-tuning from folders needs both an images folder and a labels folder");
			if (!folders && (scanImages.isEmpty() || scanImages.size() != labelImages.size()))
				throw new VolSegException("fine-tuning needs pairs: " + scanImages.size() + " scan(s) and " + labelImages.size()
						+ " label image(s) given; list the open scans and their corrected label images in the same order,"
						+ " or give an images folder and a labels folder");
			String chosen = model == null ? "" : model.trim();
			if (chosen.isEmpty() && !labelImages.isEmpty())
				chosen = labelImages.get(0).getProp(LabelImages.MODEL_PROPERTY) == null ? ""
						: labelImages.get(0).getProp(LabelImages.MODEL_PROPERTY);
			if (chosen.isEmpty())
				throw new VolSegException("model: give the model to fine-tune (an installed model's name or a package path)");
			Path pkg = ModelCatalog.standard().resolve("model", chosen);
			List<Volume> s = new ArrayList<>(), l = new ArrayList<>();
			for (int i = 0; !folders && i < scanImages.size(); i++) {
				Volume scan = ImagePlusVolumes.toVolume(scanImages.get(i));
				Volume lab = ImagePlusVolumes.toVolume(labelImages.get(i));
				if (lab.geometry().equalsWithin(scan.geometry(), 1e-2))
					lab = lab.withGeometry(scan.geometry());
				s.add(scan);
				l.add(lab);
			}
			return EngineRuntimes.get().fineTune(new FineTuneRequest(pkg, s, l, imagesFolder, labelsFolder,
					ModelCatalog.userModelsFolder(), steps, lr, name, cancel, progress, log));
		}

		private static List<ImagePlus> images(String titles) {
			List<ImagePlus> out = new ArrayList<>();
			if (titles == null || titles.isBlank())
				return out;
			for (String t : titles.split(",")) {
				ImagePlus image = WindowManager.getImage(t.trim());
				if (image == null)
					throw new VolSegException("no open image is titled '" + t.trim() + "'; open images: "
							+ String.join(", ", WindowManager.getImageTitles()));
				out.add(image);
			}
			return out;
		}
	}
}
