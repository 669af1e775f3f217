package org.volseg.model;

import org.volseg.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Installs a model package (folder or {@code .zip}) into a models folder: validates it, copies it
 * into a temporary folder inside the models folder, then renames that into place, so the models
 * folder never holds half a package. The installed folder is named after the model
 * ({@link #folderName}). Stateless.
 */
public final class ModelInstaller {

	private ModelInstaller() {
	}

	/** As {@link #install(Path, Path, boolean, Consumer)} without an extra check. */
	public static Path install(Path pkg, Path modelsDir, boolean replace) {
		return install(pkg, modelsDir, replace, p -> {
		});
	}

	/**
	 * @param pkg a package folder, its {@code rdf.yaml} or a {@code .zip}
	 * @param modelsDir where installed models live (created if missing)
	 * @param replace whether an installed model of the same name is replaced (else an error)
	 * @param extraCheck run on the opened package before copying, for example loading it with the
	 *        engine; throws to refuse the package
	 * @return the installed package folder
	 * @throws ModelPackageException if the package is invalid, already installed (without
	 *         {@code replace}) or cannot be copied
	 */
	public static Path install(Path pkg, Path modelsDir, boolean replace, Consumer<ModelPackage> extraCheck) {
		try (ModelPackage p = ModelPackage.open(pkg)) {
			extraCheck.accept(p);
			Path target = modelsDir.resolve(folderName(p.descriptor().name()));
			if (Files.exists(target) && !replace)
				throw new ModelPackageException(pkg.toString(), List.of("a model named \"" + p.descriptor().name()
						+ "\" is already installed at " + target + "; remove it or choose to replace it"));
			Path tmp = null;
			try {
				tmp = AtomicFiles.tempFolderNextTo(target);
				Files.delete(tmp);
				AtomicFiles.copyFolder(p.root(), tmp);
				AtomicFiles.moveFolder(tmp, target, replace);
				return target;
			} catch (IOException e) {
				throw new ModelPackageException(pkg.toString(), "cannot install into " + modelsDir + ": "
						+ e.getMessage(), e);
			} finally {
				if (tmp != null)
					try {
						AtomicFiles.deleteRecursively(tmp);
					} catch (IOException e) {
						tmp.toFile().deleteOnExit();
					}
			}
		}
	}

	/**
	 * A portable folder name for a model name: lower case ASCII letters, digits, {@code .}, {@code _}
	 * and {@code -}; runs of other characters (and of {@code -}) become one {@code -}.
	 */
	public static String folderName(String modelName) {
		String ascii = Normalizer.normalize(modelName, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
		String s = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("-{2,}", "-")
				.replaceAll("^[-.]+|[-.]+$", "");
		return s.isEmpty() ? "model" : s;
	}
}
