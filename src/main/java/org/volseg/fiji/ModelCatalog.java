package org.volseg.fiji;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.volseg.VolSegException;
import org.volseg.model.DescriptorReader;
import org.volseg.model.ModelInstaller;
import org.volseg.model.ModelPackage;

/**
 * The model packages installed for Fiji: every sub-folder holding an {@code rdf.yaml} in the Fiji
 * models folder ({@code <Fiji.app>/models/volseg}) and in the user's models folder
 * ({@code ~/.volseg/models}, or the system property {@value #USER_MODELS_PROPERTY}). Resolves what a
 * user typed (an installed model's name or folder name, or a path) to a package path.
 * Immutable; every call reads the folders anew.
 */
final class ModelCatalog {

	/** System property overriding the user's models folder. */
	public static final String USER_MODELS_PROPERTY = "volseg.models.dir";

	/** One installed package: the name its descriptor gives and its folder. */
	public record InstalledModel(String name, Path folder) {
		@Override
		public String toString() {
			return name;
		}
	}

	private final List<Path> folders;

	/** @param folders the models folders, searched in order (missing ones are ignored) */
	public ModelCatalog(List<Path> folders) {
		this.folders = List.copyOf(folders);
	}

	/** Fiji's models folder, then the user's. */
	public static ModelCatalog standard() {
		return new ModelCatalog(List.of(fijiModelsFolder(), userModelsFolder()));
	}

	/** {@code <Fiji.app>/models/volseg}; see {@link #appDirectory()}. */
	public static Path fijiModelsFolder() {
		return appDirectory().resolve("models").resolve("volseg");
	}

	/** {@code ~/.volseg/models}, or the folder the system property {@value #USER_MODELS_PROPERTY} names. */
	public static Path userModelsFolder() {
		String p = System.getProperty(USER_MODELS_PROPERTY);
		if (p != null && !p.isBlank())
			return Path.of(p);
		return Path.of(System.getProperty("user.home"), ".volseg", "models");
	}

	/**
	 * The Fiji (or ImageJ) installation folder: the first of the system properties
	 * {@code scijava.app.directory}, {@code imagej.dir}, {@code fiji.dir}, {@code ij.dir} that is
	 * set, else ImageJ's own idea of it ({@code IJ.getDirectory("imagej")}).
	 */
	public static Path appDirectory() {
		for (String key : new String[] { "scijava.app.directory", "imagej.dir", "fiji.dir", "ij.dir" }) {
			String v = System.getProperty(key);
			if (v != null && !v.isBlank())
				return Path.of(v);
		}
		String dir = ij.IJ.getDirectory("imagej");
		return Path.of(dir == null ? System.getProperty("user.dir") : dir);
	}

	/** The models folders searched, in order. */
	public List<Path> folders() {
		return folders;
	}

	/**
	 * The installed packages, folder by folder, each folder's sorted by name. A folder whose
	 * descriptor cannot be read is listed under its folder name (using it reports the problem).
	 */
	public List<InstalledModel> list() {
		List<InstalledModel> models = new ArrayList<>();
		for (Path folder : folders) {
			if (!Files.isDirectory(folder))
				continue;
			List<InstalledModel> here = new ArrayList<>();
			try (Stream<Path> children = Files.list(folder)) {
				for (Path child : (Iterable<Path>) children::iterator)
					if (Files.isRegularFile(child.resolve(ModelPackage.DESCRIPTOR_FILE)))
						here.add(new InstalledModel(nameOf(child), child));
			} catch (IOException e) {
				continue;
			}
			here.sort((a, b) -> a.name().compareToIgnoreCase(b.name()));
			models.addAll(here);
		}
		return models;
	}

	/**
	 * A package path for what the user gave: an existing path (folder, rdf.yaml or .zip) as is; else
	 * the installed model with that name or folder name (ignoring case).
	 *
	 * @throws VolSegException naming {@code parameter} if nothing matches; the message lists the
	 *         installed models and where they were looked for
	 */
	public Path resolve(String parameter, String nameOrPath) {
		String given = nameOrPath == null ? "" : nameOrPath.trim();
		if (!given.isEmpty()) {
			try {
				Path p = Path.of(given);
				if (Files.exists(p))
					return p;
			} catch (RuntimeException e) {
				// not a valid path: try it as a name
			}
			String folderName = ModelInstaller.folderName(given);
			for (InstalledModel m : list())
				if (m.name().equalsIgnoreCase(given) || m.folder().getFileName().toString().equals(folderName))
					return m.folder();
		}
		List<InstalledModel> installed = list();
		StringBuilder names = new StringBuilder();
		for (InstalledModel m : installed)
			names.append(names.length() == 0 ? "" : ", ").append('"').append(m.name()).append('"');
		throw new VolSegException(parameter + ": " + (given.isEmpty() ? "no model given" : "\"" + given + "\" is neither a path nor an installed model")
				+ "; installed: " + (installed.isEmpty() ? "none" : names) + " (looked in " + folders
				+ "). Give a model package folder or .zip, or install one with Plugins > VolSeg > Install Model...");
	}

	private static String nameOf(Path folder) {
		try {
			return DescriptorReader.read(folder.resolve(ModelPackage.DESCRIPTOR_FILE)).name();
		} catch (RuntimeException e) {
			return folder.getFileName().toString().toLowerCase(Locale.ROOT);
		}
	}
}
