package org.volseg.runtime;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.volseg.VolSegException;

/**
 * Finds VolSeg's TensorFlow engine ({@link EngineRuntime}), in one of two layouts:
 *
 * <ul>
 * <li><b>Private engine folder</b> (Fiji, ImageJ): the engine jar {@code volseg-VERSION-engine.jar}
 * and TensorFlow Java, javacpp, ndarray and protobuf-java 4 in a folder that is not on the
 * application's class path, loaded by a {@link ChildFirstClassLoader} whose parent is VolSeg's own
 * loader. The folder is the system property {@value #FOLDER_PROPERTY} if set, else
 * {@code lib/volseg/} of the installation whose {@code jars/} folder holds VolSeg's main jar
 * ({@code Fiji.app/jars/volseg-VERSION.jar} gives {@code Fiji.app/lib/volseg/}).</li>
 * <li><b>Flat class path</b> (the command line, tests, a library user): no such folder; the engine
 * is on VolSeg's own class path and found there with {@link ServiceLoader}.</li>
 * </ul>
 *
 * <p>The engine is looked up once per JVM (one class loader: a JNI library can be loaded by only one
 * loader) and kept. Thread-safe.</p>
 */
public final class EngineRuntimes {

	/** System property naming the private engine folder (overrides the installation's {@code lib/volseg/}). */
	public static final String FOLDER_PROPERTY = "volseg.engine.dir";

	/** The private engine folder relative to the installation (the parent of {@code jars/}). */
	public static final String FOLDER_IN_APP = "lib/volseg";

	private static final Logger LOG = Logger.getLogger(EngineRuntimes.class.getName());

	private static EngineRuntime runtime;

	private EngineRuntimes() {
	}

	/**
	 * The engine: from the private folder if there is one, else from the class path.
	 *
	 * @throws VolSegException if neither has it (VolSeg installed without its engine folder)
	 */
	public static synchronized EngineRuntime get() {
		if (runtime == null)
			runtime = find();
		return runtime;
	}

	/** The private engine folder in use, if any (for logs and {@code Show Info}). */
	public static Optional<Path> privateFolder() {
		String property = System.getProperty(FOLDER_PROPERTY);
		if (property != null && !property.isBlank())
			return Optional.of(Path.of(property.trim()));
		Optional<Path> jar = ownJar();
		if (jar.isEmpty() || jar.get().getParent() == null || jar.get().getParent().getParent() == null)
			return Optional.empty();
		Path folder = jar.get().getParent().getParent().resolve(FOLDER_IN_APP);
		return Files.isDirectory(folder) ? Optional.of(folder) : Optional.empty();
	}

	private static EngineRuntime find() {
		Optional<Path> folder = privateFolder();
		if (folder.isPresent()) {
			ClassLoader loader = new ChildFirstClassLoader(jarsIn(folder.get()), EngineRuntimes.class.getClassLoader());
			for (EngineRuntime r : ServiceLoader.load(EngineRuntime.class, loader))
				if (r.getClass().getClassLoader() == loader) {
					LOG.info("VolSeg engine from " + folder.get() + " (TensorFlow " + r.tensorflowVersion() + ")");
					return r;
				}
			throw new VolSegException("VolSeg's engine folder " + folder.get()
					+ " holds no VolSeg engine jar (volseg-VERSION-engine.jar): install VolSeg again (docs/fiji.md)");
		}
		for (EngineRuntime r : ServiceLoader.load(EngineRuntime.class, EngineRuntimes.class.getClassLoader()))
			return r;
		throw new VolSegException("VolSeg's TensorFlow engine is missing: expected the folder " + FOLDER_IN_APP
				+ " beside the jars/ folder that holds VolSeg's jar (or the system property " + FOLDER_PROPERTY
				+ "), or volseg-VERSION-engine.jar on the class path; install VolSeg again (docs/fiji.md)");
	}

	private static URL[] jarsIn(Path folder) {
		List<URL> urls = new ArrayList<>();
		try (Stream<Path> files = Files.list(folder)) {
			for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList())
				urls.add(p.toUri().toURL());
		} catch (IOException e) {
			throw new VolSegException("cannot list VolSeg's engine folder " + folder + ": " + e.getMessage(), e);
		}
		if (urls.isEmpty())
			throw new VolSegException("VolSeg's engine folder " + folder + " holds no jar: install VolSeg again (docs/fiji.md)");
		return urls.toArray(new URL[0]);
	}

	private static Optional<Path> ownJar() {
		CodeSource source = EngineRuntimes.class.getProtectionDomain().getCodeSource();
		if (source == null || source.getLocation() == null)
			return Optional.empty();
		try {
			Path p = Path.of(source.getLocation().toURI());
			return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
		} catch (URISyntaxException | IllegalArgumentException e) {
			return Optional.empty();
		}
	}

}
