package org.volseg.nets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

import org.volseg.InvalidParameterException;

/**
 * The architectures VolSeg can build, by name. Each is registered once, as a service: one line in
 * {@code META-INF/services/org.volseg.nets.Architecture} (registration order = the order of that
 * file), so that this package names none of its sub-packages. Thread-safe (immutable).
 */
public final class Architectures {

	private static final Map<String, Architecture> BY_NAME = new LinkedHashMap<>();

	static {
		ServiceLoader.load(Architecture.class, Architecture.class.getClassLoader()).forEach(Architectures::register);
	}

	private Architectures() {
	}

	private static void register(Architecture a) {
		BY_NAME.put(a.name(), a);
	}

	/** Registered names, in registration order. */
	public static List<String> names() {
		return new ArrayList<>(BY_NAME.keySet());
	}

	/**
	 * The architecture with this name (case-insensitive).
	 *
	 * @throws InvalidParameterException naming {@code --arch} and the known names
	 */
	public static Architecture byName(String name) {
		Architecture a = name == null ? null : BY_NAME.get(name.toLowerCase(Locale.ROOT));
		if (a == null) throw InvalidParameterException.of("--arch", name, "one of " + String.join(", ", names()));
		return a;
	}
}
