package org.volseg.model;

import org.volseg.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An opened model package: its descriptor and the SavedModel folder it points to.
 *
 * <p>{@link #open} accepts the package folder, its {@code rdf.yaml}, or a {@code .zip} of the folder
 * (the archive's root, or its single top folder, holds {@code rdf.yaml}). A zip is unpacked into a
 * fresh temporary folder (safely, see {@link ZipExtractor}), and so is a SavedModel stored as a
 * {@code .zip} (as the BioImage Model Zoo stores it). {@link #close()} deletes those temporary
 * folders: keep the package open while the SavedModel is being loaded. The package folder itself is
 * never written to.</p>
 */
public final class ModelPackage implements AutoCloseable {

	/** The descriptor's file name at the package root. */
	public static final String DESCRIPTOR_FILE = "rdf.yaml";

	private final Path source;
	private final Path root;
	private final ModelDescriptor descriptor;
	private final Path savedModelDir;
	private final List<Path> temporary;

	private ModelPackage(Path source, Path root, ModelDescriptor descriptor, Path savedModelDir, List<Path> temporary) {
		this.source = source;
		this.root = root;
		this.descriptor = descriptor;
		this.savedModelDir = savedModelDir;
		this.temporary = List.copyOf(temporary);
	}

	/**
	 * Opens and validates a package.
	 *
	 * @param path a package folder, its {@code rdf.yaml}, or a {@code .zip}
	 * @throws ModelPackageException if the path is missing, has no {@code rdf.yaml}, the descriptor is
	 *         invalid (every problem listed), or the SavedModel folder is missing
	 */
	public static ModelPackage open(Path path) {
		if (!Files.exists(path))
			throw new ModelPackageException(path.toString(), List.of("not found: give a model package folder, its "
					+ DESCRIPTOR_FILE + " or a .zip of it"));
		List<Path> temporary = new ArrayList<>();
		try {
			Path root;
			if (Files.isDirectory(path))
				root = path;
			else if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
				Path tmp = createTemp();
				temporary.add(tmp);
				ZipExtractor.extract(path, tmp);
				root = packageRootIn(tmp, path);
			} else if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".yaml"))
				root = path.toAbsolutePath().getParent();
			else
				throw new ModelPackageException(path.toString(), List.of("not a model package: expected a folder with "
						+ DESCRIPTOR_FILE + ", a .zip of one, or an rdf.yaml file"));
			Path rdf = root.resolve(DESCRIPTOR_FILE);
			if (!Files.isRegularFile(rdf))
				throw new ModelPackageException(path.toString(), List.of("no " + DESCRIPTOR_FILE + " in "
						+ (Files.isDirectory(path) ? "the folder" : "the archive") + ": a model package needs an "
						+ DESCRIPTOR_FILE + " at its root (see docs/model-format.md)"));
			ModelDescriptor d = DescriptorReader.read(rdf, temporary.isEmpty() ? rdf.toString()
					: path + " (" + temporary.get(0).relativize(rdf).toString().replace('\\', '/') + " in the archive)");
			Path savedModel = savedModelDir(path, root, d, temporary);
			return new ModelPackage(path, root, d, savedModel, temporary);
		} catch (RuntimeException e) {
			deleteQuietly(temporary);
			throw e;
		}
	}

	private static Path createTemp() {
		try {
			return Files.createTempDirectory("volseg-model-");
		} catch (IOException e) {
			throw new ModelPackageException("temporary folder", "cannot create one to unpack the model: "
					+ e.getMessage(), e);
		}
	}

	/** The folder holding rdf.yaml: the extraction root or its only subfolder. */
	private static Path packageRootIn(Path extracted, Path zip) {
		if (Files.isRegularFile(extracted.resolve(DESCRIPTOR_FILE)))
			return extracted;
		List<Path> children = new ArrayList<>();
		try (DirectoryStream<Path> ds = Files.newDirectoryStream(extracted)) {
			for (Path p : ds)
				if (!p.getFileName().toString().startsWith("__MACOSX"))
					children.add(p);
		} catch (IOException e) {
			throw new ModelPackageException(zip.toString(), "cannot list the unpacked archive: " + e.getMessage(), e);
		}
		if (children.size() == 1 && Files.isDirectory(children.get(0)))
			return children.get(0);
		return extracted;
	}

	private static Path savedModelDir(Path source, Path root, ModelDescriptor d, List<Path> temporary) {
		String field = "weights.tensorflow_saved_model_bundle.source";
		Path s = root.resolve(d.weights().source()).normalize();
		if (!s.startsWith(root.normalize()))
			throw new ModelPackageException(source.toString(), List.of(field + ": must stay inside the package"));
		if (Files.isRegularFile(s) && s.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
			Path tmp = createTemp();
			temporary.add(tmp);
			ZipExtractor.extract(s, tmp);
			s = Files.isRegularFile(tmp.resolve("saved_model.pb")) ? tmp : packageRootIn(tmp, s);
		}
		if (!Files.isDirectory(s))
			throw new ModelPackageException(source.toString(), List.of(field + ": the SavedModel folder \""
					+ d.weights().source() + "\" is missing from the package; export the network into it"));
		if (!Files.isRegularFile(s.resolve("saved_model.pb")))
			throw new ModelPackageException(source.toString(), List.of(field + ": \"" + d.weights().source()
					+ "\" has no saved_model.pb, so it is not a TensorFlow SavedModel"));
		return s;
	}

	/** What was opened (folder, rdf.yaml or zip), as given. */
	public Path source() {
		return source;
	}

	/** The folder holding {@code rdf.yaml} (a temporary folder for zips). */
	public Path root() {
		return root;
	}

	public ModelDescriptor descriptor() {
		return descriptor;
	}

	/** The SavedModel folder (holding {@code saved_model.pb}); valid until {@link #close()}. */
	public Path savedModelDir() {
		return savedModelDir;
	}

	/** Whether the package was unpacked from a zip into a temporary folder. */
	public boolean isUnpacked() {
		return !temporary.isEmpty() && root.startsWith(temporary.get(0));
	}

	/** Deletes the temporary folders of unpacked archives (nothing for a plain folder). */
	@Override
	public void close() {
		deleteQuietly(temporary);
	}

	private static void deleteQuietly(List<Path> paths) {
		for (Path p : paths) {
			try {
				AtomicFiles.deleteRecursively(p);
			} catch (IOException e) {
				p.toFile().deleteOnExit();
			}
		}
	}
}
