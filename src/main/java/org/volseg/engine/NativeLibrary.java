package org.volseg.engine;

import java.util.logging.Logger;

import org.tensorflow.TensorFlow;

/**
 * Loads TensorFlow's native library, once per class loader, without javacpp's search for CUDA.
 *
 * <p>javacpp, which loads TensorFlow Java's native library, first tries the platform extension
 * {@code -gpu} of TensorFlow's presets whenever the system property {@value #EXTENSION_PROPERTY} is
 * not set: it looks for 18 CUDA, cuDNN and TensorRT libraries on the class path and the library
 * path, one after the other, and only then loads the CPU build. On the 2-core build machine that
 * search took about 2 CPU seconds of the 3 that loading TensorFlow took (docs/benchmarks.md,
 * "Model start-up"). When the CPU build of {@code tensorflow-core-native} is the one on the class
 * path ({@link NativeDevices#isCudaBuild()} false) and the property is not set, {@link #load()} sets
 * it to the empty extension while the library loads, then restores it, so that other javacpp users
 * in the same JVM (Fiji plugins) are not affected. With the CUDA build, or when the user set the
 * property, nothing is changed.</p>
 *
 * <p>Thread-safe; later calls return at once.</p>
 */
public final class NativeLibrary {

	/** javacpp's system property naming the platform extension to load ({@code -gpu}, or empty for none). */
	public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";

	private static final Logger LOG = Logger.getLogger(NativeLibrary.class.getName());
	private static volatile String version;

	private NativeLibrary() {
	}

	/**
	 * Loads the library if this class loader has not yet, and returns TensorFlow's version.
	 *
	 * @throws UnsatisfiedLinkError if the native library cannot be loaded
	 */
	public static String load() {
		String v = version;
		if (v != null)
			return v;
		synchronized (NativeLibrary.class) {
			if (version == null)
				version = loadOnce(skipsCudaSearch(NativeDevices.isCudaBuild(), System.getProperty(EXTENSION_PROPERTY)));
			return version;
		}
	}

	/**
	 * Whether to load with the empty platform extension: only for the CPU build and when the user did
	 * not set {@value #EXTENSION_PROPERTY} (null).
	 */
	static boolean skipsCudaSearch(boolean cudaBuild, String extensionProperty) {
		return !cudaBuild && extensionProperty == null;
	}

	private static String loadOnce(boolean cpuOnly) {
		if (!cpuOnly)
			return TensorFlow.version();
		long t0 = System.nanoTime();
		System.setProperty(EXTENSION_PROPERTY, "");
		try {
			return TensorFlow.version();
		} finally {
			System.clearProperty(EXTENSION_PROPERTY);
			LOG.fine(() -> String.format("TensorFlow's CPU library loaded in %.2f s", (System.nanoTime() - t0) * 1e-9));
		}
	}
}
