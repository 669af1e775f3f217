package org.volseg.fiji;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.volseg.InvalidParameterException;
import org.volseg.pipeline.SettingText;

/**
 * An ImageJ-style option string: {@code key=value} pairs and bare flags separated by spaces, a value
 * with spaces in square brackets ({@code results=[/my data/t.csv]}), as ImageJ's {@code run()}
 * options. Keys are matched exactly (snake_case); unknown keys are refused, so that a typo does not
 * silently fall back to a default. Immutable.
 */
final class MacroOptions {

	private final Map<String, String> values;

	private MacroOptions(Map<String, String> values) {
		this.values = Collections.unmodifiableMap(values);
	}

	/**
	 * @param text the options, or null/blank for none
	 * @param known the keys allowed
	 * @throws InvalidParameterException naming {@code options} for an unknown or repeated key or an
	 *         unclosed bracket; the message lists the keys allowed
	 */
	public static MacroOptions parse(String text, Set<String> known) {
		Map<String, String> values = new LinkedHashMap<>();
		String s = text == null ? "" : text.trim();
		int i = 0;
		while (i < s.length()) {
			if (Character.isWhitespace(s.charAt(i))) {
				i++;
				continue;
			}
			int start = i;
			while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '=')
				i++;
			String key = s.substring(start, i).toLowerCase(Locale.ROOT);
			String value = null;
			if (i < s.length() && s.charAt(i) == '=') {
				i++;
				if (i < s.length() && s.charAt(i) == '[') {
					int end = s.indexOf(']', i);
					if (end < 0)
						throw InvalidParameterException.of("options", text, "a closing ] after " + key + "=[");
					value = s.substring(i + 1, end);
					i = end + 1;
				} else {
					int vs = i;
					while (i < s.length() && !Character.isWhitespace(s.charAt(i)))
						i++;
					value = s.substring(vs, i);
				}
			}
			if (!known.contains(key))
				throw InvalidParameterException.of("options", key, "one of " + new ArrayList<>(new java.util.TreeSet<>(known)));
			if (values.containsKey(key))
				throw InvalidParameterException.of("options", key, "each key once");
			values.put(key, value == null ? "true" : value);
		}
		return new MacroOptions(values);
	}

	/** Whether the key was given (as a pair or a flag). */
	public boolean has(String key) {
		return values.containsKey(key);
	}

	/** The value, or {@code fallback} if absent; a bare flag reads as {@code "true"}. */
	public String get(String key, String fallback) {
		return values.getOrDefault(key, fallback);
	}

	/** A flag: present without value, or with true/yes/1 (false/no/0 switch it off). */
	public boolean flag(String key) {
		String v = values.get(key);
		return v != null && SettingText.FIJI.flag(key, v);
	}

	/**
	 * The integer value of {@code key} (ImageJ's {@code 40.0} is 40), or {@code fallback} if absent.
	 *
	 * @throws InvalidParameterException naming the key, for a fraction or anything else
	 */
	public int integer(String key, int fallback) {
		return integer(key, fallback, Integer.MIN_VALUE, Integer.MAX_VALUE);
	}

	/** As {@link #integer(String, int)}, checking the range {@code min..max}. */
	public int integer(String key, int fallback, int min, int max) {
		String v = values.get(key);
		return v == null ? fallback : SettingText.FIJI.integer(key, v, min, max);
	}

	/** The number value of {@code key}, or null if absent. */
	public Double number(String key) {
		String v = values.get(key);
		return v == null ? null : SettingText.FIJI.number(key, v, -Double.MAX_VALUE, Double.MAX_VALUE);
	}

	public List<String> keys() {
		return List.copyOf(values.keySet());
	}
}
