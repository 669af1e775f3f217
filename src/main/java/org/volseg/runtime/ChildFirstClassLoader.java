package org.volseg.runtime;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * A class loader that looks into its own jars before asking its parent, for classes and for
 * resources. VolSeg's engine folder ({@link EngineRuntimes}) is loaded with it, so the engine's
 * TensorFlow Java 1.x, javacpp, ndarray and protobuf-java 4 win over whatever other versions the
 * parent's class path holds (Fiji's TensorFlow 1.15 and protobuf-java 3 for CSBDeep and StarDist),
 * while the parent never sees the engine's copies.
 *
 * <p>Never loaded from the own jars: the JDK's classes and the boundary packages {@code
 * org.volseg.runtime} and {@code org.volseg.tiling} (their types cross the boundary and must be
 * defined once, by the parent). Every other class the own jars lack (VolSeg's {@code model},
 * {@code io}, {@code volume} classes, snakeyaml) comes from the parent.</p>
 */
final class ChildFirstClassLoader extends URLClassLoader {

	static {
		ClassLoader.registerAsParallelCapable();
	}

	ChildFirstClassLoader(URL[] jars, ClassLoader parent) {
		super("volseg-engine", jars, parent);
	}

	private static boolean parentOnly(String className) {
		return className.startsWith("java.") || className.startsWith("javax.") || className.startsWith("jdk.")
				|| className.startsWith("sun.") || className.startsWith("org.volseg.runtime.")
				|| className.startsWith("org.volseg.tiling.");
	}

	@Override
	protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
		synchronized (getClassLoadingLock(name)) {
			Class<?> c = findLoadedClass(name);
			if (c == null && !parentOnly(name))
				try {
					c = findClass(name);
				} catch (ClassNotFoundException e) {
					// not in the own jars: the parent's
				}
			if (c == null)
				c = getParent().loadClass(name);
			if (resolve)
				resolveClass(c);
			return c;
		}
	}

	@Override
	public URL getResource(String name) {
		URL own = findResource(name);
		return own != null ? own : getParent().getResource(name);
	}

	@Override
	public Enumeration<URL> getResources(String name) throws IOException {
		List<URL> all = new ArrayList<>(Collections.list(findResources(name)));
		all.addAll(Collections.list(getParent().getResources(name)));
		return Collections.enumeration(all);
	}
}
