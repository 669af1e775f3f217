package org.volseg.nets;

import org.volseg.util.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.volseg.InvalidParameterException;

/**
 * Typed, strict reading of a reference constructor's keyword arguments (parsed JSON). Every
 * read records the key; {@link #checkNoOthers()} refuses keys nobody read, as Python refuses
 * unknown keyword arguments. Errors name the argument as {@code config.<key>}.
 */
public final class Kwargs {

	private final String architecture;
	private final Map<String, Object> values;
	private final Set<String> read = new LinkedHashSet<>();
	private final Map<String, Object> resolved = new LinkedHashMap<>();

	public Kwargs(String architecture, Map<String, Object> values) {
		this.architecture = architecture;
		this.values = values == null ? Map.of() : values;
	}

	private InvalidParameterException bad(String key, Object value, String expectation) {
		return InvalidParameterException.of(setting(key), value, expectation);
	}

	/** True if the key was given. */
	public boolean has(String key) {
		return values.containsKey(key);
	}

	/** Marks an argument as known but without effect on inference (for example {@code save_attn}). */
	public void ignore(String key) {
		read.add(key);
	}

	/** An integer argument; {@code defaultValue} null makes it required. */
	public int integer(String key, Integer defaultValue) {
		read.add(key);
		Object v = values.get(key);
		int result;
		if (v == null) {
			if (defaultValue == null) throw bad(key, "nothing", "an integer (required)");
			result = defaultValue;
		} else {
			result = toInt(key, v);
		}
		resolved.put(key, result);
		return result;
	}

	/** A positive integer argument. */
	public int positive(String key, Integer defaultValue) {
		int v = integer(key, defaultValue);
		if (v <= 0) throw bad(key, v, "a positive integer");
		return v;
	}

	private int toInt(String key, Object v) {
		if (v instanceof Long && (Long) v == ((Long) v).intValue()) return ((Long) v).intValue();
		if (v instanceof Integer) return (Integer) v;
		if (v instanceof Double && (Double) v == Math.rint((Double) v) && Math.abs((Double) v) < 1e9) return (int) (double) (Double) v;
		throw bad(key, Json.writeCompact(v), "an integer");
	}

	/** A number argument. */
	public double number(String key, double defaultValue) {
		read.add(key);
		Object v = values.get(key);
		double result;
		if (v == null) result = defaultValue;
		else if (v instanceof Number) result = ((Number) v).doubleValue();
		else throw bad(key, Json.writeCompact(v), "a number");
		resolved.put(key, result);
		return result;
	}

	/** A boolean argument. */
	public boolean bool(String key, boolean defaultValue) {
		read.add(key);
		Object v = values.get(key);
		boolean result;
		if (v == null) result = defaultValue;
		else if (v instanceof Boolean) result = (Boolean) v;
		else throw bad(key, Json.writeCompact(v), "true or false");
		resolved.put(key, result);
		return result;
	}

	/** A string argument from a fixed set of choices (compared case-insensitively, returned lower case). */
	public String choice(String key, String defaultValue, String... choices) {
		read.add(key);
		Object v = values.get(key);
		String s = v == null ? defaultValue : v instanceof String ? ((String) v).toLowerCase(java.util.Locale.ROOT) : null;
		if (s == null || !Arrays.asList(choices).contains(s)) {
			throw bad(key, v == null ? "nothing" : Json.writeCompact(v), "one of " + String.join(", ", choices));
		}
		resolved.put(key, s);
		return s;
	}

	/** The raw value (or {@code defaultValue}), recorded as given. */
	public Object raw(String key, Object defaultValue) {
		read.add(key);
		Object v = values.containsKey(key) ? values.get(key) : defaultValue;
		resolved.put(key, v);
		return v;
	}

	/** An integer or a list of {@code n} integers (Python's {@code ensure_tuple_rep}). */
	public int[] ints(String key, int n, int[] defaultValue) {
		read.add(key);
		Object v = values.get(key);
		int[] result;
		if (v == null) {
			if (defaultValue == null) throw bad(key, "nothing", "an integer or a list of " + n + " integers (required)");
			result = defaultValue.clone();
		} else if (v instanceof List) {
			List<?> l = (List<?>) v;
			if (l.size() != n) throw bad(key, Json.writeCompact(v), "a list of " + n + " integers");
			result = new int[n];
			for (int i = 0; i < n; i++) result[i] = toInt(key, l.get(i));
		} else {
			result = new int[n];
			Arrays.fill(result, toInt(key, v));
		}
		List<Object> list = new ArrayList<>();
		for (int i : result) list.add(i);
		resolved.put(key, list);
		return result;
	}

	/** A list of integers of any length. */
	public int[] intList(String key, int[] defaultValue) {
		read.add(key);
		Object v = values.get(key);
		int[] result;
		if (v == null) {
			if (defaultValue == null) throw bad(key, "nothing", "a list of integers (required)");
			result = defaultValue.clone();
		} else if (v instanceof List) {
			List<?> l = (List<?>) v;
			result = new int[l.size()];
			for (int i = 0; i < result.length; i++) result[i] = toInt(key, l.get(i));
		} else {
			throw bad(key, Json.writeCompact(v), "a list of integers");
		}
		List<Object> list = new ArrayList<>();
		for (int i : result) list.add(i);
		resolved.put(key, list);
		return result;
	}

	/** How errors name the argument {@code key}: {@code "<architecture> config.<key>"}. */
	public String setting(String key) {
		return architecture + " config." + key;
	}

	/** Refuses the value of {@code key} with an explanation. */
	public InvalidParameterException invalid(String key, Object value, String expectation) {
		return bad(key, value, expectation);
	}

	/**
	 * @throws InvalidParameterException listing the keyword arguments no reader asked for
	 */
	public void checkNoOthers() {
		List<String> unknown = new ArrayList<>();
		for (String k : values.keySet()) if (!read.contains(k)) unknown.add(k);
		if (!unknown.isEmpty()) {
			throw new InvalidParameterException(architecture + " config: unknown keyword argument(s) " + unknown
					+ "; known: " + read);
		}
	}

	/** The resolved arguments (defaults filled in), in reading order. */
	public Map<String, Object> resolved() {
		return new LinkedHashMap<>(resolved);
	}
}
