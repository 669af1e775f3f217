package org.volseg.fiji;

import java.io.File;

import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.volseg.runtime.FineTuneRequest;

import ij.IJ;

/**
 * {@code Plugins > VolSeg > Fine-tune Model...}: teaches a model from corrected labels. Takes pairs
 * of open images (scans and their corrected label images, by title, comma-separated, in the same
 * order) or an images folder and a labels folder; runs the existing fine-tuning ({@link FijiFineTune})
 * from the chosen model with progress in the status bar (Esc cancels: nothing is installed) and
 * installs the result as a new model, {@code MODEL-finetuned-yyyy-MM-dd-HHmm} unless a name is given,
 * in the user's models folder ({@link ModelCatalog#userModelsFolder()}), where "Segment Volume..." lists it.
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
		error = CommandRun.cancellable(log, status, "VolSeg: fine-tuning failed", this::isCanceled, cancelled -> {
			FijiFineTune.Settings settings = new FijiFineTune.Settings(steps, learning_rate, name);
			result = FijiFineTune.run(model, scans, labels, CommandInputs.path(images_folder), CommandInputs.path(labels_folder),
					settings, cancelled, (done, all) -> showStatus(FijiFineTune.stepText(done, all), (double) done / all), log::info);
			showStatus(FijiFineTune.installedText(result), 1);
			log.info(FijiFineTune.installedText(result));
		});
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
}
