package org.volseg.fiji;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.volseg.InvalidParameterException;
import org.volseg.VolSegException;
import org.volseg.pipeline.SettingText;
import org.volseg.runtime.EngineRuntimes;
import org.volseg.runtime.FineTuneRequest;
import org.volseg.volume.Volume;

import ij.ImagePlus;

/**
 * What {@code Fine-tune Model...} and the macro {@code fineTune} share: check the training settings,
 * gather the corrected cases (pairs of open images by title, or two folders), resolve the model (blank:
 * the one the first label image was made with) and run the engine's fine-tuning
 * ({@link org.volseg.runtime.EngineRuntime#fineTune}), which installs the result into the user's
 * models folder ({@link ModelCatalog#userModelsFolder()}). Everything given is checked before a scan is
 * read or the model loaded. Stateless.
 */
final class FijiFineTune {

	/** The macro options {@link Settings#fromOptions} takes. */
	static final Set<String> OPTION_KEYS = Set.of("steps", "learning_rate", "name");

	/**
	 * How to train.
	 *
	 * @param steps training steps, at least 1 (50 by default)
	 * @param learningRate above 0 (1e-4 by default)
	 * @param name the new model's name, or blank for {@code MODEL-finetuned-yyyy-MM-dd-HHmm}
	 */
	record Settings(int steps, double learningRate, String name) {

		/** @throws InvalidParameterException naming {@code steps} or {@code learning_rate} */
		Settings {
			if (steps < 1)
				throw InvalidParameterException.of(SettingText.FIJI.name("steps"), steps, "an integer of at least 1");
			if (!(learningRate > 0) || Double.isInfinite(learningRate))
				throw InvalidParameterException.of(SettingText.FIJI.name("learning_rate"), learningRate, "a number above 0, e.g. 1e-4");
			name = name == null ? "" : name.trim();
		}

		/**
		 * From a macro's options {@code steps=50 learning_rate=1e-4 name=[NEW NAME]} (each optional;
		 * {@code 50.0} is 50, as ImageJ's dialogs write numbers).
		 *
		 * @throws InvalidParameterException for an unknown key or a bad value, naming it
		 */
		static Settings fromOptions(String options) {
			MacroOptions o = MacroOptions.parse(options, OPTION_KEYS);
			Double rate = o.number("learning_rate");
			return new Settings(o.integer("steps", 50, 1, Integer.MAX_VALUE), rate == null ? 1e-4 : rate, o.get("name", ""));
		}
	}

	private FijiFineTune() {
	}

	/**
	 * Fine-tunes and installs.
	 *
	 * @param model an installed model's name or a package path; blank: the model recorded on the first label image
	 * @param scanTitles open scans' titles, comma-separated (blank when folders are given)
	 * @param labelTitles their corrected label images' titles, in the same order
	 * @param imagesFolder {@code caseNNN_image.nii.gz} files, or null
	 * @param labelsFolder {@code caseNNN_labels.nii.gz} files, or null
	 * @param cancel polled between steps; true stops and installs nothing
	 * @param progress (steps done, steps in all), on the training thread
	 * @param log one line per event
	 * @throws VolSegException for missing or unpaired cases, no model, or files it cannot write
	 * @throws org.volseg.CancelledException when cancelled
	 */
	static FineTuneRequest.Outcome run(String model, String scanTitles, String labelTitles, Path imagesFolder,
			Path labelsFolder, Settings settings, BooleanSupplier cancel, BiConsumer<Long, Long> progress, Consumer<String> log) {
		boolean folders = imagesFolder != null || labelsFolder != null;
		List<ImagePlus> scanImages = CommandInputs.images(scanTitles), labelImages = CommandInputs.images(labelTitles);
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
		try {
			return EngineRuntimes.get().fineTune(new FineTuneRequest(pkg, s, l, imagesFolder, labelsFolder,
					ModelCatalog.userModelsFolder(), settings.steps(), settings.learningRate(), settings.name(), cancel,
					progress, log));
		} catch (IOException e) {
			throw new VolSegException("fine-tuning could not write its files: " + e.getMessage()
					+ "; check that " + ModelCatalog.userModelsFolder() + " is writable", e);
		}
	}

	/** The status line while training: {@code "VolSeg: fine-tuning step 3/50 (Esc cancels)"}. */
	static String stepText(long done, long all) {
		return String.format(Locale.ROOT, "VolSeg: fine-tuning step %d/%d (Esc cancels)", done, all);
	}

	/** The line after training: the new model, its Dice on the corrected cases and where it was installed. */
	static String installedText(FineTuneRequest.Outcome outcome) {
		return String.format(Locale.ROOT, "VolSeg: installed %s (Dice on the corrected cases %.3f) in %s", outcome.name(),
				outcome.bestMeanForegroundDice(), outcome.installed());
	}
}
