package org.volseg.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.volseg.volume.Volume;

/**
 * What {@link EngineRuntime#fineTune} trains on and how: the model to start from, the corrected cases
 * (pairs of open scans and label volumes, or an images folder and a labels folder), the steps and
 * learning rate, the new model's name, and the caller's cancel flag, progress and log. Immutable; the
 * callbacks are called on the training thread.
 *
 * @param model the package to start from (folder, rdf.yaml or .zip)
 * @param scans scans paired with {@code labels} (same order, same grids), or empty when folders are given
 * @param labels corrected label volumes, or empty when folders are given
 * @param imagesFolder {@code caseNNN_image.nii.gz} files, or null when volumes are given
 * @param labelsFolder {@code caseNNN_labels.nii.gz} files, or null when volumes are given
 * @param modelsFolder where the new model is installed
 * @param steps training steps, at least 1 (50 in Fiji's dialog)
 * @param learningRate the optimiser's learning rate (1e-4 in Fiji's dialog)
 * @param name the new model's name, or blank for {@code BASE-finetuned-DATE}
 * @param cancel polled between steps; true stops and installs nothing
 * @param progress (steps done, steps in all)
 * @param log one line per event
 */
public record FineTuneRequest(Path model, List<Volume> scans, List<Volume> labels, Path imagesFolder, Path labelsFolder,
		Path modelsFolder, int steps, double learningRate, String name, BooleanSupplier cancel,
		BiConsumer<Long, Long> progress, Consumer<String> log) {

	public FineTuneRequest {
		Objects.requireNonNull(model, "model");
		scans = List.copyOf(scans);
		labels = List.copyOf(labels);
		Objects.requireNonNull(modelsFolder, "modelsFolder");
		Objects.requireNonNull(cancel, "cancel");
		Objects.requireNonNull(progress, "progress");
		Objects.requireNonNull(log, "log");
	}

	/** True when the cases come from two folders rather than volumes in memory. */
	public boolean fromFolders() {
		return imagesFolder != null;
	}

	/**
	 * What was installed.
	 *
	 * @param name the new model's name
	 * @param installed its package folder
	 * @param bestMeanForegroundDice the best validation mean foreground Dice seen while training
	 */
	public record Outcome(String name, Path installed, double bestMeanForegroundDice) {}
}
