package org.volseg.model;

import java.util.ArrayList;
import java.util.List;

/** Collects validation problems, each prefixed with the field path it concerns. Not thread-safe. */
final class Problems {

	private final List<String> list = new ArrayList<>();

	void add(String path, String problem) {
		list.add(path.isEmpty() ? problem : path + ": " + problem);
	}

	/** Adds {@code path: expected <expectation>, got <value>}. */
	void expected(String path, String expectation, Object got) {
		add(path, "expected " + expectation + ", got " + describe(got));
	}

	boolean isEmpty() {
		return list.isEmpty();
	}

	List<String> list() {
		return List.copyOf(list);
	}

	static String describe(Object v) {
		if (v == null)
			return "nothing";
		if (v instanceof String s)
			return "\"" + s + "\"";
		if (v instanceof java.util.Map)
			return "a mapping";
		if (v instanceof List)
			return "a list";
		return String.valueOf(v);
	}
}
