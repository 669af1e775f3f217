package org.volseg.bundle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A MONAI bundle configuration ({@code configs/inference.json} or {@code .yaml}) with MONAI's
 * {@code ConfigParser} addressing: ids are {@code #}-separated paths ({@code network_def},
 * {@code preprocessing#transforms#2#axcodes}; list elements by index). Values are resolved on
 * demand: {@code "@id"} is replaced by the resolved value of that id, {@code "%id"} (a macro) by a
 * copy of its raw value, and {@code "$..."} expressions are evaluated by {@link Expressions} (only
 * the patterns of the model zoo's segmentation bundles; anything else is refused naming the id).
 * Nothing is resolved that is not asked for, so an unsupported expression elsewhere in the file
 * (data lists, handlers, {@code initialize}) does no harm.
 *
 * <p>Immutable after construction; not thread-safe while resolving (keeps a cycle guard).</p>
 */
final class BundleConfig {

	private final Map<String, Object> root;
	private final String source;
	private final List<String> resolving = new ArrayList<>();

	/**
	 * @param root the parsed JSON/YAML document (maps, lists, strings, numbers, booleans, null)
	 * @param source the file name, for messages
	 */
	public BundleConfig(Map<String, Object> root, String source) {
		this.root = root;
		this.source = source;
	}

	/** The file the configuration came from. */
	public String source() {
		return source;
	}

	/** Whether the id names an existing entry. */
	public boolean has(String id) {
		return lookup(id, false) != NOT_FOUND;
	}

	/** The raw (unresolved) value of an id. @throws BundleException if there is none */
	public Object raw(String id) {
		Object v = lookup(id, true);
		return v;
	}

	/**
	 * The value of an id with every reference, macro and expression inside it resolved.
	 *
	 * @throws BundleException naming the id if it is missing, a reference is circular, or an
	 *         expression is not one VolSeg evaluates
	 */
	public Object resolve(String id) {
		if (resolving.contains(id))
			throw new BundleException(source + ": circular reference " + String.join(" -> ", resolving) + " -> " + id);
		resolving.add(id);
		try {
			return resolveValue(lookup(id, true), id);
		} finally {
			resolving.remove(resolving.size() - 1);
		}
	}

	/** Resolves a value found at {@code id} (a nested map or list is resolved element by element). */
	Object resolveValue(Object value, String id) {
		if (value instanceof String s) {
			if (s.startsWith("@") && isId(s.substring(1)))
				return resolve(s.substring(1));
			if (s.startsWith("%") && isId(s.substring(1)))
				return deepCopy(lookup(s.substring(1).replaceFirst("^#", ""), true));
			if (s.startsWith("$"))
				return Expressions.evaluate(s.substring(1), id, this);
			return s;
		}
		if (value instanceof Map<?, ?> m) {
			Map<String, Object> out = new LinkedHashMap<>();
			for (Map.Entry<?, ?> e : m.entrySet())
				out.put(String.valueOf(e.getKey()), resolveValue(e.getValue(), id + "#" + e.getKey()));
			return out;
		}
		if (value instanceof List<?> l) {
			List<Object> out = new ArrayList<>();
			for (int i = 0; i < l.size(); i++)
				out.add(resolveValue(l.get(i), id + "#" + i));
			return out;
		}
		return value;
	}

	static boolean isId(String s) {
		return !s.isEmpty() && s.matches("[#A-Za-z0-9_\\-.]+");
	}

	private static final Object NOT_FOUND = new Object();

	private Object lookup(String id, boolean required) {
		Object cur = root;
		for (String part : id.split("#")) {
			if (cur instanceof Map<?, ?> m && m.containsKey(part)) {
				cur = m.get(part);
			} else if (cur instanceof List<?> l && part.matches("\\d+") && Integer.parseInt(part) < l.size()) {
				cur = l.get(Integer.parseInt(part));
			} else {
				if (required)
					throw new BundleException(source + ": no entry '" + id + "' (referenced or needed by the import)");
				return NOT_FOUND;
			}
		}
		return cur;
	}

	private static Object deepCopy(Object v) {
		if (v instanceof Map<?, ?> m) {
			Map<String, Object> out = new LinkedHashMap<>();
			m.forEach((k, x) -> out.put(String.valueOf(k), deepCopy(x)));
			return out;
		}
		if (v instanceof List<?> l) {
			List<Object> out = new ArrayList<>();
			l.forEach(x -> out.add(deepCopy(x)));
			return out;
		}
		return v;
	}
}
