package org.volseg.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers for the plain values (maps, lists, scalars) SnakeYAML's safe loader produces. */
final class YamlValues {

	private YamlValues() {
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
