package org.volseg.fiji;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.scijava.module.MutableModuleItem;

/**
 * The "Model" and "Or a model package" fields of {@code Segment Volume...} and {@code Batch Segment
 * Folder...}: the choice lists the installed models ({@link ModelCatalog}) and ends with {@link #OTHER};
 * a package file given in {@code model_path} wins over the choice. Stateless.
 */
final class ModelChoice {

	/** The last choice: use the package given in {@code model_path}. */
	static final String OTHER = "(use model_path)";

	private ModelChoice() {
	}

	/** The installed models' names, in the catalog's order, then {@link #OTHER}. */
	static List<String> choices(ModelCatalog catalog) {
		List<String> choices = new ArrayList<>();
		for (ModelCatalog.InstalledModel m : catalog.list())
			choices.add(m.name());
		choices.add(OTHER);
		return choices;
	}

	/**
	 * Sets the choices of the command's {@code model} item (a command's initializer).
	 *
	 * @param current the field's value: a name a macro gave is kept even if it is not listed (resolving
	 *        it then reports the installed models); blank becomes the first choice
	 * @return the value the field should have
	 */
	static String fill(MutableModuleItem<String> item, String current, ModelCatalog catalog) {
		List<String> choices = choices(catalog);
		item.setChoices(choices);
		return current == null || current.isBlank() ? choices.get(0) : current;
	}

	/** What the user chose: the package path if given, else the listed name; {@code ""} for {@link #OTHER} without a path. */
	static String chosen(String model, File modelPath) {
		if (modelPath != null && !modelPath.getPath().isBlank())
			return modelPath.getPath();
		return model == null || OTHER.equals(model) ? "" : model;
	}

	/**
	 * The package to run, from the standard catalog.
	 *
	 * @throws org.volseg.VolSegException naming {@code model} and listing the installed models when
	 *         the choice is neither a path nor an installed model (or nothing was chosen)
	 */
	static Path resolve(String model, File modelPath) {
		return ModelCatalog.standard().resolve("model", chosen(model, modelPath));
	}
}
