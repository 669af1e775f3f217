package org.volseg.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The boundary between VolSeg and its TensorFlow engine. The engine (packages {@code engine},
 * {@code nets}, {@code train}, TensorFlow Java, javacpp, ndarray, protobuf-java 4) may live in a
 * class loader of its own ({@link EngineRuntimes}), so this interface and {@link LoadedNetwork}
 * carry plain Java types only ({@link Path}, {@link String}, {@code int}, {@code float[]}), and VolSeg
 * types that only Fiji's side defines ({@link org.volseg.volume.Volume}, this package): no TensorFlow
 * type and no class of the engine jar ({@code engine}, {@code nets}, {@code train}, {@code bundle}),
 * which Fiji's side cannot see.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} ({@code
 * META-INF/services/org.volseg.runtime.EngineRuntime} in the engine jar); they are stateless and
 * thread-safe.</p>
 */
public interface EngineRuntime {

	/**
	 * Loads a model package (folder, its {@code rdf.yaml}, or a {@code .zip}) on a device.
	 *
	 * @param device {@code cpu}, {@code gpu} or {@code auto}
	 * @param intraOpThreads threads one operation may use, 0 = all cores
	 * @param interOpThreads operations run concurrently, 0 = all cores
	 * @return the loaded network; the caller closes it
	 * @throws org.volseg.VolSegException (a subclass) if the package is invalid or TensorFlow cannot load it
	 */
	default LoadedNetwork load(Path modelPackage, String device, int intraOpThreads, int interOpThreads) {
		return load(modelPackage, device, intraOpThreads, interOpThreads, false);
	}

	/**
	 * As {@link #load(Path, String, int, int)}; a model whose graph holds operations outside the
	 * allow-list (files, Python, network) is refused naming them unless {@code trustModel}.
	 */
	LoadedNetwork load(Path modelPackage, String device, int intraOpThreads, int interOpThreads, boolean trustModel);

	/**
	 * Checks that an (unpacked) package's SavedModel loads on the CPU and matches its descriptor,
	 * then releases it (for installers).
	 *
	 * @throws org.volseg.VolSegException (a subclass) naming the package and the problem
	 */
	default void verify(Path modelPackage) {
		verify(modelPackage, false);
	}

	/** As {@link #verify(Path)}; operations outside the allow-list are accepted only if {@code trustModel}. */
	void verify(Path modelPackage, boolean trustModel);

	/**
	 * The model package for a path: the path itself for a VolSeg package, or for a MONAI bundle (a
	 * folder or zip, or the {@code configs/inference.json} chosen inside one) the package it was
	 * imported into, once, in the bundle cache.
	 *
	 * @param progress one line per import step (nothing when the package is cached already)
	 * @param warnings what the import turned into warnings
	 * @throws org.volseg.VolSegException (a subclass) naming the bundle and everything it asks that
	 *         VolSeg cannot do
	 */
	Path packageFor(Path modelOrBundle, Consumer<String> progress, Consumer<String> warnings);

	/**
	 * Fine-tunes a model on corrected cases and installs the result as a new model.
	 *
	 * @throws org.volseg.VolSegException (a subclass) for bad cases or settings, or when cancelled
	 * @throws IOException if the new package cannot be written
	 */
	FineTuneRequest.Outcome fineTune(FineTuneRequest request) throws IOException;

	/** The native TensorFlow version the engine runs, for example {@code 2.18.0}. */
	String tensorflowVersion();
}
