package org.volseg.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A strict little JSON parser for tests: objects to LinkedHashMap, arrays to List, numbers to Double. */
final class MiniJson {

	private final String s;
	private int i;

	private MiniJson(String s) {
		this.s = s;
	}

	static Object parse(String text) {
		MiniJson p = new MiniJson(text);
		Object v = p.value();
		p.ws();
		if (p.i != text.length())
			throw new IllegalArgumentException("trailing characters at " + p.i);
		return v;
	}

	private void ws() {
		while (i < s.length() && Character.isWhitespace(s.charAt(i)))
			i++;
	}

	private Object value() {
		ws();
		char c = s.charAt(i);
		if (c == '{') {
			Map<String, Object> m = new LinkedHashMap<>();
			i++;
			ws();
			if (s.charAt(i) == '}') {
				i++;
				return m;
			}
			while (true) {
				ws();
				String k = (String) value();
				ws();
				expect(':');
				if (m.put(k, value()) != null)
					throw new IllegalArgumentException("duplicate key " + k);
				ws();
				if (s.charAt(i) == ',') {
					i++;
					continue;
				}
				expect('}');
				return m;
			}
		}
		if (c == '[') {
			List<Object> l = new ArrayList<>();
			i++;
			ws();
			if (s.charAt(i) == ']') {
				i++;
				return l;
			}
			while (true) {
				l.add(value());
				ws();
				if (s.charAt(i) == ',') {
					i++;
					continue;
				}
				expect(']');
				return l;
			}
		}
		if (c == '"') {
			StringBuilder b = new StringBuilder();
			i++;
			while (s.charAt(i) != '"') {
				char d = s.charAt(i++);
				if (d == '\\') {
					char e = s.charAt(i++);
					switch (e) {
					case 'n': b.append('\n'); break;
					case 't': b.append('\t'); break;
					case 'r': b.append('\r'); break;
					case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
					default: b.append(e);
					}
				} else if (d < 0x20)
					throw new IllegalArgumentException("control character in string at " + i);
				else
					b.append(d);
			}
			i++;
			return b.toString();
		}
		for (String lit : new String[] { "true", "false", "null" })
			if (s.startsWith(lit, i)) {
				i += lit.length();
				return lit.equals("null") ? null : Boolean.valueOf(lit);
			}
		int start = i;
		while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0)
			i++;
		if (start == i)
			throw new IllegalArgumentException("unexpected '" + c + "' at " + i);
		return Double.parseDouble(s.substring(start, i));
	}

	private void expect(char c) {
		if (s.charAt(i) != c)
			throw new IllegalArgumentException("expected '" + c + "' at " + i + ", got '" + s.charAt(i) + "'");
		i++;
	}
}
