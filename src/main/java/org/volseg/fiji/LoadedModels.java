package org.volseg.fiji;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import org.volseg.runtime.EngineOptions;
import org.volseg.model.ModelPackage;
import org.volseg.pipeline.Segmenter;

/**
 * Keeps the last model loaded in this JVM, so that segmenting one scan after another in Fiji or in
 * a macro loop does not reload TensorFlow each time. The cached {@link Segmenter} is replaced (and
 * closed) when another package, device or thread count is asked for, or when the package's
 * {@code rdf.yaml} changed; {@link #release()} closes it. Thread-safe: one lock, held for the whole
 * of {@link #with}, so segmentations in one JVM run one after the other and a model is never
 * closed while in use.
 */
final class LoadedModels {

	private record Key(Path path, long modified, EngineOptions options) {
	}

	private static Key key;
	private static Segmenter segmenter;

	private LoadedModels() {
	}

	/**
	 * Runs {@code work} with the segmenter of a package (loaded now or earlier), holding the lock.
	 *
	 * @throws org.volseg.model.ModelPackageException for an invalid package
	 * @throws org.volseg.engine.EngineException if TensorFlow cannot load it
	 */
	public static synchronized <T> T with(Path modelPackage, EngineOptions options, java.util.function.Function<Segmenter, T> work) {
		return work.apply(get(modelPackage, options));
	}

	private static Segmenter get(Path modelPackage, EngineOptions options) {
		Key k = new Key(modelPackage.toAbsolutePath().normalize(), modified(modelPackage), options);
		if (segmenter != null && Objects.equals(key, k))
			return segmenter;
		release();
		segmenter = Segmenter.load(modelPackage, options);
		key = k;
		return segmenter;
	}

	/** Closes the cached model, if any (frees its memory). */
	public static synchronized void release() {
		if (segmenter != null) {
			Segmenter s = segmenter;
			segmenter = null;
			key = null;
			s.close();
		}
	}

	private static long modified(Path p) {
		Path rdf = Files.isDirectory(p) ? p.resolve(ModelPackage.DESCRIPTOR_FILE) : p;
		try {
			return Files.getLastModifiedTime(rdf).toMillis();
		} catch (IOException e) {
			return -1;
		}
	}
}
