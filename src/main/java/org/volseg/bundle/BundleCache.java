package org.volseg.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.volseg.model.ModelPackage;

/**
 * Lets every place that loads a model also take a MONAI bundle: {@link #packageFor} returns a
 * model package path unchanged, and imports a bundle (folder or zip) once into
 * {@code ~/.volseg/bundle-cache/<sha256 of configs and model.pt>/} (overridable with the system
 * property {@value #CACHE_PROPERTY}), reusing that package next time. The import writes to a
 * temporary folder renamed into place ({@link org.volseg.engine.ModelPackageWriter}), so a cache
 * entry is either complete or absent; two processes importing the same bundle at once both
 * succeed (the second finds the first's package). A bundle that needs {@code --force} is refused
 * here: import it with {@code volseg import-bundle --force} and use the package.
 * Thread-safe (no shared state besides the file system).
 */
public final class BundleCache {

	/** System property naming the cache folder (default {@code ~/.volseg/bundle-cache}). */
	public static final String CACHE_PROPERTY = "volseg.bundleCache";

	private BundleCache() {
	}

	/** The cache folder. */
	public static Path folder() {
		String p = System.getProperty(CACHE_PROPERTY);
		return p != null ? Path.of(p) : Path.of(System.getProperty("user.home"), ".volseg", "bundle-cache");
	}

	/**
	 * The model package for a path: itself unless it is a MONAI bundle (see {@link BundleSource#isBundle}).
	 *
	 * @param progress receives a line per import stage (only when a bundle is imported)
	 * @param warnings receives the import's notes
	 * @throws BundleException if the bundle cannot be imported (the message lists why)
	 */
	public static Path packageFor(Path path, Consumer<String> progress, Consumer<String> warnings) {
		if (Files.isRegularFile(path.resolve(ModelPackage.DESCRIPTOR_FILE)) || !BundleSource.isBundle(path))
			return path;
		String digest;
		try (BundleSource s = BundleSource.open(path)) {
			digest = s.digest();
		}
		Path target = folder().resolve(digest);
		if (Files.isRegularFile(target.resolve(ModelPackage.DESCRIPTOR_FILE)))
			return target;
		try {
			Files.createDirectories(folder());
			progress.accept("importing the MONAI bundle " + path + " into " + target + " (once)");
			BundleImporter.importBundle(path, target, BundleImporter.Options.defaults(), progress, warnings);
		} catch (java.nio.file.FileAlreadyExistsException ex) {
			// another process imported it meanwhile
			if (!Files.isRegularFile(target.resolve(ModelPackage.DESCRIPTOR_FILE)))
				throw new BundleException(target + ": exists but holds no model package; delete it and try again", ex);
		} catch (IOException ex) {
			throw new BundleException(path + ": importing into " + target + " failed: " + ex.getMessage(), ex);
		}
		return target;
	}
}
