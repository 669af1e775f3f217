package org.volseg.cli;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Writes plain values as JSON text: {@code Map} (keys in iteration order), {@code List}, arrays of
 * primitives and of arrays, {@code Number}, {@code String}, {@code Boolean} and null. Doubles are
 * written with the shortest decimal that reads back to the same double; NaN and infinities, which
 * JSON cannot hold, become null. Stateless.
 */
public final class Json {

	private Json() {}

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
			string(v.toString(), b);
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
			string(String.valueOf(e.getKey()), b);
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

	private static void string(String s, StringBuilder b) {
		b.append('"');
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
			case '"': b.append("\\\""); break;
			case '\\': b.append("\\\\"); break;
			case '\n': b.append("\\n"); break;
			case '\r': b.append("\\r"); break;
			case '\t': b.append("\\t"); break;
			default:
				if (c < 0x20)
					b.append(String.format("\\u%04x", (int) c));
				else
					b.append(c);
			}
		}
		b.append('"');
	}
}
