package org.volseg.bundle;

import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates the {@code "$..."} expressions of MONAI bundle configs that VolSeg understands, without
 * running any Python: a tiny interpreter for literals (numbers, strings, lists, {@code True},
 * {@code False}, {@code None}), {@code @id} references, string or list concatenation with {@code +},
 * {@code A if COND else B}, {@code @x.to(@device)} (the value of {@code @x}),
 * {@code torch.device(...)} (the constant {@value #DEVICE}: VolSeg chooses its own device) and
 * {@code numpy.float32}-style dtypes (their name, {@code "float32"}). {@code import} statements
 * evaluate to {@code null}. These are the patterns the model zoo's segmentation bundles use where
 * the model is defined ({@code $@bundle_root + '/models'}, {@code $torch.device(...)},
 * {@code $numpy.float32}, {@code $@network_def.to(@device)}, wholeBody's
 * {@code $[1.5, 1.5, 1.5] if @displayable_configs#highres else [3.0, 3.0, 3.0]}).
 * Anything else (function calls such as {@code glob.glob}, comprehensions, lambdas) is refused
 * with a {@link BundleException} naming the config id; callers only evaluate ids they need.
 * Stateless.
 */
final class Expressions {

	/** What {@code torch.device(...)} evaluates to. */
	public static final String DEVICE = "device";

	private Expressions() {
	}

	/**
	 * @param expression the text after {@code $}
	 * @param id the config id holding it, for messages
	 * @param config resolves {@code @id} references
	 */
	public static Object evaluate(String expression, String id, BundleConfig config) {
		String e = expression.strip();
		if (e.startsWith("import ") || e.startsWith("from "))
			return null;
		Parser p = new Parser(e, id, config);
		Object v = p.ternary();
		p.skipSpace();
		if (p.pos != e.length())
			throw p.refuse();
		return v;
	}

	private static final class Parser {
		final String s;
		final String id;
		final BundleConfig config;
		int pos;

		Parser(String s, String id, BundleConfig config) {
			this.s = s;
			this.id = id;
			this.config = config;
		}

		BundleException refuse() {
			return new BundleException(config.source() + ": '" + id + "' is the expression \"$" + s
					+ "\", which VolSeg does not evaluate (it runs no Python; supported: literals, @references, +, "
					+ "'A if B else C', torch.device(...), numpy dtypes, @x.to(@device))");
		}

		void skipSpace() {
			while (pos < s.length() && Character.isWhitespace(s.charAt(pos)))
				pos++;
		}

		boolean keyword(String k) {
			skipSpace();
			if (s.startsWith(k, pos) && (pos + k.length() == s.length() || !Character.isJavaIdentifierPart(s.charAt(pos + k.length())))) {
				pos += k.length();
				return true;
			}
			return false;
		}

		boolean symbol(char c) {
			skipSpace();
			if (pos < s.length() && s.charAt(pos) == c) {
				pos++;
				return true;
			}
			return false;
		}

		Object ternary() {
			Object a = sum();
			int save = pos;
			if (keyword("if")) {
				Object cond = sum();
				if (!keyword("else"))
					throw refuse();
				Object b = ternary();
				return truthy(cond) ? a : b;
			}
			pos = save;
			return a;
		}

		Object sum() {
			Object a = postfix();
			while (symbol('+')) {
				Object b = postfix();
				if (a instanceof String x && b instanceof String y)
					a = x + y;
				else if (a instanceof List<?> x && b instanceof List<?> y) {
					List<Object> l = new ArrayList<>(x);
					l.addAll(y);
					a = l;
				} else if (a instanceof Number x && b instanceof Number y)
					a = x instanceof Long && y instanceof Long ? (Object) (x.longValue() + y.longValue())
							: (Object) (x.doubleValue() + y.doubleValue());
				else
					throw refuse();
			}
			return a;
		}

		Object postfix() {
			skipSpace();
			if (pos < s.length() && s.charAt(pos) == '@') {
				pos++;
				int start = pos;
				while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_' || s.charAt(pos) == '#'))
					pos++;
				Object v = config.resolve(s.substring(start, pos));
				// @x.to(@device): moving a network to a device leaves it what it is
				while (symbol('.')) {
					String name = name();
					if (!name.equals("to") || !symbol('('))
						throw refuse();
					ternary();
					if (!symbol(')'))
						throw refuse();
				}
				return v;
			}
			return atom();
		}

		String name() {
			skipSpace();
			int start = pos;
			while (pos < s.length() && (Character.isJavaIdentifierPart(s.charAt(pos)) || s.charAt(pos) == '.'))
				pos++;
			if (start == pos)
				throw refuse();
			return s.substring(start, pos);
		}

		Object atom() {
			skipSpace();
			if (pos >= s.length())
				throw refuse();
			char c = s.charAt(pos);
			if (c == '\'' || c == '"')
				return string(c);
			if (c == '[' || c == '(') {
				pos++;
				char close = c == '[' ? ']' : ')';
				List<Object> l = new ArrayList<>();
				if (!symbol(close)) {
					do {
						skipSpace();
						if (pos < s.length() && s.charAt(pos) == close)
							break;
						l.add(ternary());
					} while (symbol(','));
					if (!symbol(close))
						throw refuse();
				}
				return c == '(' && l.size() == 1 ? l.get(0) : l;
			}
			if (c == '-' || Character.isDigit(c))
				return number();
			String name = name();
			switch (name) {
				case "True":
					return Boolean.TRUE;
				case "False":
					return Boolean.FALSE;
				case "None":
					return null;
				case "torch.device":
					if (!symbol('('))
						throw refuse();
					skipBalanced();
					return DEVICE;
				default:
					if (name.matches("(numpy|np|torch)\\.(float16|float32|float64|uint8|int8|int16|uint16|int32|int64)"))
						return name.substring(name.indexOf('.') + 1);
					throw refuse();
			}
		}

		/** Skips a call's arguments up to the matching ')' (only for torch.device, whose value is ignored). */
		void skipBalanced() {
			int depth = 1;
			while (pos < s.length() && depth > 0) {
				char c = s.charAt(pos++);
				if (c == '(')
					depth++;
				else if (c == ')')
					depth--;
				else if (c == '\'' || c == '"') {
					pos--;
					string(c);
				}
			}
			if (depth != 0)
				throw refuse();
		}

		String string(char quote) {
			pos++;
			StringBuilder b = new StringBuilder();
			while (pos < s.length() && s.charAt(pos) != quote) {
				char c = s.charAt(pos++);
				if (c == '\\' && pos < s.length())
					c = s.charAt(pos++);
				b.append(c);
			}
			if (pos >= s.length())
				throw refuse();
			pos++;
			return b.toString();
		}

		Object number() {
			int start = pos;
			if (s.charAt(pos) == '-')
				pos++;
			while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || "._eE".indexOf(s.charAt(pos)) >= 0
					|| ((s.charAt(pos) == '-' || s.charAt(pos) == '+') && (s.charAt(pos - 1) == 'e' || s.charAt(pos - 1) == 'E'))))
				pos++;
			String t = s.substring(start, pos).replace("_", "");
			try {
				return t.matches("-?\\d+") ? (Object) Long.parseLong(t) : (Object) Double.parseDouble(t);
			} catch (NumberFormatException ex) {
				throw refuse();
			}
		}

		static boolean truthy(Object v) {
			if (v == null)
				return false;
			if (v instanceof Boolean b)
				return b;
			if (v instanceof Number n)
				return n.doubleValue() != 0;
			if (v instanceof String str)
				return !str.isEmpty();
			if (v instanceof List<?> l)
				return !l.isEmpty();
			return true;
		}
	}
}
