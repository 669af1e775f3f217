package org.volseg.util;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * VolSeg's one JSON reader and writer: safetensors headers, network configurations, and the JSON
 * the command line prints ({@code info --json}, {@code evaluate --json}, summaries).
 *
 * <p>Values map to Java as: object -> {@code LinkedHashMap<String, Object>} (key order kept),
 * array -> {@code List<Object>}, string -> {@code String}, number -> {@code Long} when written
 * without fraction or exponent and in range, otherwise {@code Double}, true/false ->
 * {@code Boolean}, null -> {@code null}. Stateless and thread-safe.</p>
 */
public final class Json {

	private final String text;
	private int pos;

	private Json(String text) {
		this.text = text;
	}

	/** Thrown for malformed JSON; the message says where. Callers wrap it with the file name. */
	public static final class SyntaxException extends Exception {
		private static final long serialVersionUID = 1L;

		SyntaxException(String message) {
			super(message);
		}
	}

	/** Parses one JSON value that spans the whole text (surrounding whitespace allowed). */
	public static Object parse(String text) throws SyntaxException {
		Json p = new Json(text);
		p.skipWhitespace();
		Object value = p.value(0);
		p.skipWhitespace();
		if (p.pos != text.length()) throw p.error("unexpected text after the JSON value");
		return value;
	}

	/** Parses a JSON object; anything else is a {@link SyntaxException}. */
	@SuppressWarnings("unchecked")
	public static Map<String, Object> parseObject(String text) throws SyntaxException {
		Object value = parse(text);
		if (!(value instanceof Map)) throw new SyntaxException("expected a JSON object, got " + describe(value));
		return (Map<String, Object>) value;
	}

	/** Short description of a parsed value's JSON type, for messages. */
	public static String describe(Object value) {
		if (value == null) return "null";
		if (value instanceof Map) return "an object";
		if (value instanceof List) return "an array";
		if (value instanceof String) return "a string";
		if (value instanceof Boolean) return "a boolean";
		return "a number";
	}

	private SyntaxException error(String problem) {
		return new SyntaxException(problem + " at character " + pos);
	}

	private void skipWhitespace() {
		while (pos < text.length()) {
			char c = text.charAt(pos);
			if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
			pos++;
		}
	}

	private Object value(int depth) throws SyntaxException {
		if (depth > 200) throw error("nesting too deep");
		if (pos >= text.length()) throw error("unexpected end of text");
		char c = text.charAt(pos);
		switch (c) {
			case '{': return object(depth);
			case '[': return array(depth);
			case '"': return string();
			case 't': return literal("true", Boolean.TRUE);
			case 'f': return literal("false", Boolean.FALSE);
			case 'n': return literal("null", null);
			default:
				if (c == '-' || (c >= '0' && c <= '9')) return number();
				throw error("unexpected character '" + c + "'");
		}
	}

	private Object literal(String word, Object value) throws SyntaxException {
		if (!text.startsWith(word, pos)) throw error("expected " + word);
		pos += word.length();
		return value;
	}

	private Map<String, Object> object(int depth) throws SyntaxException {
		Map<String, Object> map = new LinkedHashMap<>();
		pos++;
		skipWhitespace();
		if (pos < text.length() && text.charAt(pos) == '}') {
			pos++;
			return map;
		}
		while (true) {
			skipWhitespace();
			if (pos >= text.length() || text.charAt(pos) != '"') throw error("expected a string key");
			String key = string();
			skipWhitespace();
			expect(':');
			skipWhitespace();
			if (map.containsKey(key)) throw error("duplicate key \"" + key + "\"");
			map.put(key, value(depth + 1));
			skipWhitespace();
			if (pos < text.length() && text.charAt(pos) == ',') {
				pos++;
				continue;
			}
			expect('}');
			return map;
		}
	}

	private List<Object> array(int depth) throws SyntaxException {
		List<Object> list = new ArrayList<>();
		pos++;
		skipWhitespace();
		if (pos < text.length() && text.charAt(pos) == ']') {
			pos++;
			return list;
		}
		while (true) {
			skipWhitespace();
			list.add(value(depth + 1));
			skipWhitespace();
			if (pos < text.length() && text.charAt(pos) == ',') {
				pos++;
				continue;
			}
			expect(']');
			return list;
		}
	}

	private void expect(char c) throws SyntaxException {
		if (pos >= text.length() || text.charAt(pos) != c) throw error("expected '" + c + "'");
		pos++;
	}

	private String string() throws SyntaxException {
		pos++;
		StringBuilder sb = new StringBuilder();
		while (true) {
			if (pos >= text.length()) throw error("unterminated string");
			char c = text.charAt(pos++);
			if (c == '"') return sb.toString();
			if (c < 0x20) throw error("control character in string");
			if (c != '\\') {
				sb.append(c);
				continue;
			}
			if (pos >= text.length()) throw error("unterminated escape");
			char e = text.charAt(pos++);
			switch (e) {
				case '"': sb.append('"'); break;
				case '\\': sb.append('\\'); break;
				case '/': sb.append('/'); break;
				case 'b': sb.append('\b'); break;
				case 'f': sb.append('\f'); break;
				case 'n': sb.append('\n'); break;
				case 'r': sb.append('\r'); break;
				case 't': sb.append('\t'); break;
				case 'u':
					if (pos + 4 > text.length()) throw error("short \\u escape");
					try {
						sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
					} catch (NumberFormatException ex) {
						throw error("bad \\u escape");
					}
					pos += 4;
					break;
				default: throw error("bad escape '\\" + e + "'");
			}
		}
	}

	private Object number() throws SyntaxException {
		int start = pos;
		boolean integral = true;
		if (text.charAt(pos) == '-') pos++;
		int digits = pos;
		while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
		if (pos == digits) throw error("expected digits");
		if (pos < text.length() && text.charAt(pos) == '.') {
			integral = false;
			pos++;
			int frac = pos;
			while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
			if (pos == frac) throw error("expected digits after '.'");
		}
		if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
			integral = false;
			pos++;
			if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) pos++;
			int exp = pos;
			while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
			if (pos == exp) throw error("expected exponent digits");
		}
		String s = text.substring(start, pos);
		if (integral) {
			try {
				return Long.parseLong(s);
			} catch (NumberFormatException tooLarge) {
				// falls through to double
			}
		}
		double d = Double.parseDouble(s);
		if (Double.isInfinite(d)) {
			pos = start;
			throw error("the number " + (s.length() > 40 ? s.substring(0, 40) + "..." : s)
					+ " is beyond the range of a 64-bit floating-point value");
		}
		return d;
	}

	/**
	 * Writes a value as compact JSON (no whitespace). Accepts maps with string keys, iterables, arrays of
	 * primitives, strings, numbers, booleans and null.
	 *
	 * @throws IllegalArgumentException for other types or non-finite numbers
	 */
	public static String writeCompact(Object value) {
		StringBuilder sb = new StringBuilder();
		write(sb, value);
		return sb.toString();
	}

	private static void write(StringBuilder sb, Object v) {
		if (v == null) {
			sb.append("null");
		} else if (v instanceof String) {
			quote(sb, (String) v);
		} else if (v instanceof Boolean) {
			sb.append(v);
		} else if (v instanceof Double || v instanceof Float) {
			double d = ((Number) v).doubleValue();
			if (!Double.isFinite(d)) throw new IllegalArgumentException("JSON cannot hold " + d);
			if (d == Math.rint(d) && Math.abs(d) < 1e15) sb.append((long) d).append(".0");
			else sb.append(d);
		} else if (v instanceof Number) {
			sb.append(((Number) v).longValue());
		} else if (v instanceof Map) {
			sb.append('{');
			boolean first = true;
			for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
				if (!first) sb.append(',');
				first = false;
				quote(sb, String.valueOf(e.getKey()));
				sb.append(':');
				write(sb, e.getValue());
			}
			sb.append('}');
		} else if (v instanceof Iterable) {
			sb.append('[');
			boolean first = true;
			for (Object o : (Iterable<?>) v) {
				if (!first) sb.append(',');
				first = false;
				write(sb, o);
			}
			sb.append(']');
		} else if (v instanceof int[]) {
			List<Object> l = new ArrayList<>();
			for (int i : (int[]) v) l.add(i);
			write(sb, l);
		} else if (v instanceof long[]) {
			List<Object> l = new ArrayList<>();
			for (long i : (long[]) v) l.add(i);
			write(sb, l);
		} else {
			throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
		}
	}

	/** The value as JSON, objects one key per line with two-space indentation. */
	public static String write(Object value) {
		StringBuilder b = new StringBuilder();
		write(value, b, 0);
		return b.toString();
	}

	private static void write(Object v, StringBuilder b, int indent) {
		if (v == null)
			b.append("null");
		else if (v instanceof Map)
			writeObject((Map<?, ?>) v, b, indent);
		else if (v instanceof List)
			writeArray(((List<?>) v).toArray(), b, indent);
		else if (v instanceof Object[])
			writeArray((Object[]) v, b, indent);
		else if (v instanceof double[])
			writeArray(java.util.Arrays.stream((double[]) v).boxed().toArray(), b, indent);
		else if (v instanceof long[])
			writeArray(java.util.Arrays.stream((long[]) v).boxed().toArray(), b, indent);
		else if (v instanceof int[])
			writeArray(java.util.Arrays.stream((int[]) v).boxed().toArray(), b, indent);
		else if (v instanceof Double || v instanceof Float)
			b.append(number(((Number) v).doubleValue()));
		else if (v instanceof Number)
			b.append(((Number) v).longValue());
		else if (v instanceof Boolean)
			b.append(v);
		else
			b.append(quote(v.toString()));
	}

	/** A double as JSON: plain digits where that is short, else exponent notation; null if not finite. */
	public static String number(double d) {
		if (!Double.isFinite(d))
			return "null";
		if (d == 0)
			return (1 / d < 0) ? "-0.0" : "0.0";
		double a = Math.abs(d);
		if (a >= 1e-6 && a < 1e16) {
			String plain = BigDecimal.valueOf(d).toPlainString();
			return plain.indexOf('.') < 0 ? plain + ".0" : plain;
		}
		return Double.toString(d);
	}

	private static void writeObject(Map<?, ?> m, StringBuilder b, int indent) {
		if (m.isEmpty()) {
			b.append("{}");
			return;
		}
		b.append("{\n");
		int i = 0;
		for (Map.Entry<?, ?> e : m.entrySet()) {
			b.append("  ".repeat(indent + 1));
			b.append(quote(String.valueOf(e.getKey())));
			b.append(": ");
			write(e.getValue(), b, indent + 1);
			b.append(++i < m.size() ? ",\n" : "\n");
		}
		b.append("  ".repeat(indent)).append('}');
	}

	private static void writeArray(Object[] a, StringBuilder b, int indent) {
		b.append('[');
		for (int i = 0; i < a.length; i++) {
			if (i > 0)
				b.append(", ");
			write(a[i], b, indent);
		}
		b.append(']');
	}

	/** A string as a JSON string literal, quotes included. */
	public static String quote(String s) {
		StringBuilder sb = new StringBuilder();
		quote(sb, s);
		return sb.toString();
	}

	private static void quote(StringBuilder sb, String s) {
		sb.append('"');
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
				case '"': sb.append("\\\""); break;
				case '\\': sb.append("\\\\"); break;
				case '\n': sb.append("\\n"); break;
				case '\r': sb.append("\\r"); break;
				case '\t': sb.append("\\t"); break;
				default:
					if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
					else sb.append(c);
			}
		}
		sb.append('"');
	}
}
