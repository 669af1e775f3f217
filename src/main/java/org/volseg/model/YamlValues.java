package org.volseg.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers for the plain values (maps, lists, scalars) SnakeYAML's safe loader produces. */
final class YamlValues {

	private YamlValues() {
	}

	/**
	 * Why a loaded YAML tree cannot be used as plain values, or null: it contains itself (a recursive
	 * alias), or it holds more than {@code maxNodes} values counting every use of an alias (an
	 * alias bomb stays under any alias-count limit yet expands exponentially). Stops counting at the
	 * limit, so it takes time proportional to {@code maxNodes} at most.
	 */
	static String treeProblem(Object root, int maxNodes) {
		long[] count = { 0 };
		return walk(root, new IdentityHashMap<>(), count, maxNodes, "");
	}

	private static String walk(Object v, IdentityHashMap<Object, Boolean> open, long[] count, int max, String path) {
		if (++count[0] > max)
			return "more than " + max + " values once the aliases are expanded (an alias bomb?)";
		if (!(v instanceof Map) && !(v instanceof List))
			return null;
		if (open.put(v, Boolean.TRUE) != null)
			return (path.isEmpty() ? "the document" : path) + " contains itself (a recursive alias)";
		try {
			if (v instanceof Map<?, ?> m) {
				for (Map.Entry<?, ?> e : m.entrySet()) {
					String key = e.getKey() instanceof Map || e.getKey() instanceof List ? "?" : String.valueOf(e.getKey());
					String why = walk(e.getValue(), open, count, max, path.isEmpty() ? key : path + "." + key);
					if (why == null && (e.getKey() instanceof Map || e.getKey() instanceof List))
						why = walk(e.getKey(), open, count, max, path + "[key]");
					if (why != null)
						return why;
				}
			} else {
				int i = 0;
				for (Object o : (List<?>) v) {
					String why = walk(o, open, count, max, path + "[" + i++ + "]");
					if (why != null)
						return why;
				}
			}
			return null;
		} finally {
			open.remove(v);
		}
	}

	/** An unmodifiable deep copy of a map of YAML values (keys as strings, order kept). */
	static Map<String, Object> deepUnmodifiable(Map<?, ?> map) {
		if (map == null)
			return Map.of();
		Map<String, Object> copy = new LinkedHashMap<>();
		for (Map.Entry<?, ?> e : map.entrySet())
			copy.put(String.valueOf(e.getKey()), deepCopy(e.getValue()));
		return Collections.unmodifiableMap(copy);
	}

	private static Object deepCopy(Object v) {
		if (v instanceof Map<?, ?> m)
			return deepUnmodifiable(m);
		if (v instanceof List<?> l) {
			List<Object> copy = new ArrayList<>(l.size());
			for (Object o : l)
				copy.add(deepCopy(o));
			return Collections.unmodifiableList(copy);
		}
		return v;
	}

	/** A plain, modifiable deep copy (for dumping with SnakeYAML). */
	static Object plainCopy(Object v) {
		if (v instanceof Map<?, ?> m) {
			Map<String, Object> copy = new LinkedHashMap<>();
			for (Map.Entry<?, ?> e : m.entrySet())
				copy.put(String.valueOf(e.getKey()), plainCopy(e.getValue()));
			return copy;
		}
		if (v instanceof List<?> l) {
			List<Object> copy = new ArrayList<>(l.size());
			for (Object o : l)
				copy.add(plainCopy(o));
			return copy;
		}
		return v;
	}
}
