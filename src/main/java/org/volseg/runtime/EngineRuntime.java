package org.volseg.runtime;

import java.nio.file.Path;

/**
 * The boundary between VolSeg and its TensorFlow engine. The engine (packages {@code engine},
 * {@code nets}, {@code train}, TensorFlow Java, javacpp, ndarray, protobuf-java 4) may live in a
 * class loader of its own ({@link EngineRuntimes}), so this interface and {@link LoadedNetwork}
 * carry plain Java types only ({@link Path}, {@link String}, {@code int}, {@code float[]}): no
 * TensorFlow type and no VolSeg type that the engine's loader would define a second time.
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
	LoadedNetwork load(Path modelPackage, String device, int intraOpThreads, int interOpThreads);

	/**
	 * Checks that an (unpacked) package's SavedModel loads on the CPU and matches its descriptor,
	 * then releases it (for installers).
	 *
	 * @throws org.volseg.VolSegException (a subclass) naming the package and the problem
	 */
	void verify(Path modelPackage);

	/** The native TensorFlow version the engine runs, for example {@code 2.18.0}. */
	String tensorflowVersion();
}
