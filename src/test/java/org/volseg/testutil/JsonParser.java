package org.volseg.testutil;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict, small JSON parser for tests: objects become LinkedHashMaps (key order kept), arrays
 * Lists, numbers Doubles, plus String, Boolean and null. Throws IllegalArgumentException on
 * anything that is not valid JSON (trailing commas, NaN, single quotes, trailing text).
 */
public final class JsonParser {

	private final String s;
	private int i;

	private JsonParser(String s) {
		this.s = s;
	}

	public static Object parse(String text) {
		JsonParser p = new JsonParser(text);
		p.ws();
		Object v = p.value();
		p.ws();
		if (p.i != text.length())
			throw p.error("trailing text");
		return v;
	}

	private Object value() {
		if (i >= s.length())
			throw error("unexpected end");
		char c = s.charAt(i);
		switch (c) {
		case '{': return object();
		case '[': return array();
		case '"': return string();
		case 't': return literal("true", Boolean.TRUE);
		case 'f': return literal("false", Boolean.FALSE);
		case 'n': return literal("null", null);
		default: return number();
		}
	}

	private Map<String, Object> object() {
		Map<String, Object> m = new LinkedHashMap<>();
		i++;
		ws();
		if (peek() == '}') {
			i++;
			return m;
		}
		while (true) {
			ws();
			if (peek() != '"')
				throw error("expected a key");
			String k = string();
			ws();
			expect(':');
			ws();
			if (m.containsKey(k))
				throw error("duplicate key " + k);
			m.put(k, value());
			ws();
			if (peek() == ',') {
				i++;
				continue;
			}
			expect('}');
			return m;
		}
	}

	private List<Object> array() {
		List<Object> l = new ArrayList<>();
		i++;
		ws();
		if (peek() == ']') {
			i++;
			return l;
		}
		while (true) {
			ws();
			l.add(value());
			ws();
			if (peek() == ',') {
				i++;
				continue;
			}
			expect(']');
			return l;
		}
	}

	private String string() {
		expect('"');
		StringBuilder b = new StringBuilder();
		while (true) {
			if (i >= s.length())
				throw error("unterminated string");
			char c = s.charAt(i++);
			if (c == '"')
				return b.toString();
			if (c < 0x20)
				throw error("control character in string");
			if (c == '\\') {
				char e = s.charAt(i++);
				switch (e) {
				case '"': b.append('"'); break;
				case '\\': b.append('\\'); break;
				case '/': b.append('/'); break;
				case 'b': b.append('\b'); break;
				case 'f': b.append('\f'); break;
				case 'n': b.append('\n'); break;
				case 'r': b.append('\r'); break;
				case 't': b.append('\t'); break;
				case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
				default: throw error("bad escape");
				}
			} else
				b.append(c);
		}
	}

	private Double number() {
		int start = i;
		if (peek() == '-')
			i++;
		if (peek() == '0')
			i++;
		else if (Character.isDigit(peek()))
			while (Character.isDigit(peek()))
				i++;
		else
			throw error("bad number");
		if (peek() == '.') {
			i++;
			if (!Character.isDigit(peek()))
				throw error("bad fraction");
			while (Character.isDigit(peek()))
				i++;
		}
		if (peek() == 'e' || peek() == 'E') {
			i++;
			if (peek() == '+' || peek() == '-')
				i++;
			if (!Character.isDigit(peek()))
				throw error("bad exponent");
			while (Character.isDigit(peek()))
				i++;
		}
		return Double.parseDouble(s.substring(start, i));
	}

	private Object literal(String word, Object v) {
		if (!s.startsWith(word, i))
			throw error("bad literal");
		i += word.length();
		return v;
	}

	private char peek() {
		return i < s.length() ? s.charAt(i) : '\0';
	}

	private void expect(char c) {
		if (peek() != c)
			throw error("expected '" + c + "'");
		i++;
	}

	private void ws() {
		while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0)
			i++;
	}

	private IllegalArgumentException error(String what) {
		return new IllegalArgumentException("invalid JSON at " + i + ": " + what);
	}
}
