package org.volseg.weights;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle interpreter that executes nothing: it builds plain values from the opcodes
 * {@code torch.save} writes (pickle protocols 2 to 4 without the object-oriented opcodes) and
 * leaves every global, call ({@code REDUCE}, {@code NEWOBJ}), {@code BUILD} and persistent id to
 * {@link Rules}, which allow a fixed list and refuse the rest by name.
 *
 * <p>Values: {@code None} -> {@code null}; bool -> {@link Boolean}; int -> {@link Long} (or
 * {@link BigInteger} beyond 64 bits); float -> {@link Double}; str -> {@link String}; bytes ->
 * {@code byte[]}; list -> {@link ArrayList}; tuple -> {@link Tuple}; dict -> {@link LinkedHashMap}
 * (insertion order); a global -> whatever {@link Rules#global} returns.</p>
 *
 * <p>Every length read from the stream is checked against the bytes left before anything is
 * allocated, so a hostile pickle costs at most memory proportional to its size. An unknown
 * opcode is refused with its value and offset. Not thread-safe; one instance per stream.</p>
 */
final class SafeUnpickler {

	/** A Python tuple: immutable, compared by value (so it can be a dict key). */
	public record Tuple(List<Object> items) {
		public Tuple {
			items = Collections.unmodifiableList(new ArrayList<>(items));
		}

		public int size() {
			return items.size();
		}

		public Object get(int i) {
			return items.get(i);
		}
	}

	/** What a global, a call, a {@code BUILD} and a persistent id mean; refuses all others. */
	public interface Rules {
		/**
		 * The object a {@code GLOBAL}/{@code STACK_GLOBAL} names, or {@code null} to refuse it
		 * (the unpickler then throws naming {@code module.name}).
		 */
		Object global(String module, String name);

		/** {@code callable(*args)} for a callable returned by {@link #global}. */
		Object call(Object callable, Tuple args);

		/** {@code obj.__setstate__(state)} or its default; returns nothing. */
		void build(Object obj, Object state);

		/** The object of a persistent id ({@code BINPERSID}). */
		Object persistentLoad(Object pid);
	}

	/** Marker object of the {@code MARK} opcode on the stack. */
	private static final Object MARK = new Object() {
		@Override
		public String toString() {
			return "MARK";
		}
	};

	private final byte[] data;
	private final Path file;
	private final String what;
	private final Rules rules;
	private final ArrayList<Object> stack = new ArrayList<>();
	private final Map<Long, Object> memo = new HashMap<>();
	private int pos;
	private int opStart;

	/**
	 * @param data the pickle stream
	 * @param file the file it came from, for messages
	 * @param what the stream's name inside the file (for example {@code archive/data.pkl})
	 * @param rules meaning of globals and calls
	 */
	public SafeUnpickler(byte[] data, Path file, String what, Rules rules) {
		this.data = data;
		this.file = file;
		this.what = what;
		this.rules = rules;
	}

	/**
	 * Interprets the stream up to {@code STOP}.
	 *
	 * @return the pickled object
	 * @throws UnsafePickleException for a refused global or an unknown opcode
	 * @throws CheckpointException if the stream is malformed or truncated
	 */
	public Object load() {
		while (true) {
			if (pos >= data.length) throw malformed("ends without STOP (truncated)");
			opStart = pos;
			int op = data[pos++] & 0xff;
			switch (op) {
				case 0x80: // PROTO
					int proto = u8();
					if (proto > 5) throw malformed("pickle protocol " + proto + " is not supported");
					break;
				case 0x95: // FRAME: a length hint only
					need(8);
					pos += 8;
					break;
				case '.': // STOP
					if (stack.size() != 1) throw malformed("STOP with " + stack.size() + " objects on the stack");
					return checked(stack.remove(0));
				case '}': push(new LinkedHashMap<>()); break;
				case ']': push(new ArrayList<>()); break;
				case ')': push(new Tuple(List.of())); break;
				case '(': push(MARK); break;
				case 0x85: push(new Tuple(pop(1))); break; // TUPLE1
				case 0x86: push(new Tuple(pop(2))); break; // TUPLE2
				case 0x87: push(new Tuple(pop(3))); break; // TUPLE3
				case 't': push(new Tuple(popMark())); break;
				case 'l': push(new ArrayList<>(popMark())); break; // LIST
				case 'd': { // DICT
					List<Object> items = popMark();
					Map<Object, Object> m = new LinkedHashMap<>();
					putPairs(m, items);
					push(m);
					break;
				}
				case 'c': { // GLOBAL "module\nname\n"
					String module = line();
					String name = line();
					push(global(module, name));
					break;
				}
				case 0x93: { // STACK_GLOBAL
					List<Object> mn = pop(2);
					if (!(mn.get(0) instanceof String) || !(mn.get(1) instanceof String)) throw malformed("STACK_GLOBAL of non-strings");
					push(global((String) mn.get(0), (String) mn.get(1)));
					break;
				}
				case 'Q': push(rules.persistentLoad(checked(pop()))); break; // BINPERSID
				case 'R': { // REDUCE
					Object args = pop();
					Object callable = pop();
					if (!(args instanceof Tuple)) throw malformed("REDUCE with arguments that are not a tuple");
					push(rules.call(callable, (Tuple) args));
					break;
				}
				case 0x81: { // NEWOBJ: cls.__new__(cls, *args)
					Object args = pop();
					Object cls = pop();
					if (!(args instanceof Tuple)) throw malformed("NEWOBJ with arguments that are not a tuple");
					push(rules.call(cls, (Tuple) args));
					break;
				}
				case 'b': { // BUILD
					Object state = pop();
					rules.build(top(), state);
					break;
				}
				case 's': { // SETITEM
					List<Object> kv = pop(2);
					dict(top()).put(hashable(kv.get(0)), kv.get(1));
					break;
				}
				case 'u': { // SETITEMS
					List<Object> items = popMark();
					putPairs(dict(top()), items);
					break;
				}
				case 'a': { // APPEND
					Object v = pop();
					list(top()).add(v);
					break;
				}
				case 'e': { // APPENDS
					List<Object> items = popMark();
					list(top()).addAll(items);
					break;
				}
				case 'J': push((long) le(4)); break; // BININT, signed
				case 'K': push((long) u8()); break; // BININT1
				case 'M': push((long) (le(2) & 0xffff)); break; // BININT2
				case 0x8a: push(longOf(u8())); break; // LONG1
				case 0x8b: { // LONG4
					int n = le(4);
					if (n < 0) throw malformed("negative LONG4 length");
					push(longOf(n));
					break;
				}
				case 'G': { // BINFLOAT, big-endian
					need(8);
					push(ByteBuffer.wrap(data, pos, 8).order(ByteOrder.BIG_ENDIAN).getDouble());
					pos += 8;
					break;
				}
				case 0x88: push(Boolean.TRUE); break;
				case 0x89: push(Boolean.FALSE); break;
				case 'N': push(null); break;
				case 'X': push(utf8(length4())); break; // BINUNICODE
				case 0x8c: push(utf8(u8())); break; // SHORT_BINUNICODE
				case 0x8d: push(utf8(length8())); break; // BINUNICODE8
				case 'B': push(bytes(length4())); break; // BINBYTES
				case 'C': push(bytes(u8())); break; // SHORT_BINBYTES
				case 0x8e: push(bytes(length8())); break; // BINBYTES8
				case 'h': push(memoGet(u8())); break; // BINGET
				case 'j': push(memoGet(le(4) & 0xffffffffL)); break; // LONG_BINGET
				case 'q': memo.put((long) u8(), top()); break; // BINPUT
				case 'r': memo.put(le(4) & 0xffffffffL, top()); break; // LONG_BINPUT
				case 0x94: memo.put((long) memo.size(), top()); break; // MEMOIZE
				case '0': pop(); break; // POP
				case '1': popMark(); break; // POP_MARK
				case '2': push(top()); break; // DUP
				default:
					throw new UnsafePickleException(file, what + ": unknown or unsupported pickle opcode 0x"
							+ String.format("%02x", op) + (op >= 0x20 && op < 0x7f ? " ('" + (char) op + "')" : "")
							+ " at offset " + opStart + "; a checkpoint holding a state dict does not need it");
			}
		}
	}

	private Object global(String module, String name) {
		Object g = rules.global(module, name);
		if (g == null) {
			throw new UnsafePickleException(file, what + ": refusing pickle global '" + module + "." + name + "' (offset " + opStart
					+ "): VolSeg reads only tensors, containers, numbers and strings from a checkpoint and executes nothing;"
					+ " this file asks for more. If you trust it, load it in Python and save model.state_dict() alone.");
		}
		return g;
	}

	/** A malformed or truncated stream. */
	private CheckpointException malformed(String problem) {
		return new CheckpointException(file, what + ": not a valid pickle: " + problem + " (offset " + opStart + ")");
	}

	private Object checked(Object o) {
		if (o == MARK) throw malformed("a MARK used as a value");
		return o;
	}

	private void push(Object o) {
		stack.add(o);
	}

	private Object top() {
		if (stack.isEmpty()) throw malformed("stack underflow");
		return checked(stack.get(stack.size() - 1));
	}

	private Object pop() {
		if (stack.isEmpty()) throw malformed("stack underflow");
		return checked(stack.remove(stack.size() - 1));
	}

	private List<Object> pop(int n) {
		if (stack.size() < n) throw malformed("stack underflow");
		List<Object> sub = stack.subList(stack.size() - n, stack.size());
		List<Object> items = new ArrayList<>(sub);
		sub.clear();
		for (Object o : items) checked(o);
		return items;
	}

	private List<Object> popMark() {
		int m = stack.lastIndexOf(MARK);
		if (m < 0) throw malformed("no MARK on the stack");
		List<Object> sub = stack.subList(m + 1, stack.size());
		List<Object> items = new ArrayList<>(sub);
		stack.subList(m, stack.size()).clear();
		return items;
	}

	@SuppressWarnings("unchecked")
	private Map<Object, Object> dict(Object o) {
		if (!(o instanceof Map)) throw malformed("SETITEM(S) on a " + typeName(o));
		return (Map<Object, Object>) o;
	}

	@SuppressWarnings("unchecked")
	private List<Object> list(Object o) {
		if (!(o instanceof ArrayList)) throw malformed("APPEND(S) on a " + typeName(o));
		return (List<Object>) o;
	}

	private void putPairs(Map<Object, Object> m, List<Object> items) {
		if (items.size() % 2 != 0) throw malformed("an odd number of dict items");
		for (int i = 0; i < items.size(); i += 2) m.put(hashable(items.get(i)), items.get(i + 1));
	}

	private Object hashable(Object key) {
		if (key instanceof Map || key instanceof List) throw malformed("an unhashable dict key (" + typeName(key) + ")");
		if (key instanceof byte[]) return new Tuple(List.of(Arrays.toString((byte[]) key)));
		return key;
	}

	private Object memoGet(long index) {
		if (!memo.containsKey(index)) throw malformed("memo entry " + index + " read before it was written");
		return memo.get(index);
	}

	private void need(long n) {
		if (n > data.length - pos) {
			throw malformed("needs " + n + " more bytes, " + (data.length - pos) + " left (truncated or corrupt)");
		}
	}

	private int u8() {
		need(1);
		return data[pos++] & 0xff;
	}

	private int le(int n) {
		need(n);
		int v = 0;
		for (int i = n - 1; i >= 0; i--) v = (v << 8) | (data[pos + i] & 0xff);
		pos += n;
		return v;
	}

	private int length4() {
		long n = le(4) & 0xffffffffL;
		need(n);
		return (int) n;
	}

	private int length8() {
		need(8);
		long n = ByteBuffer.wrap(data, pos, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
		pos += 8;
		if (n < 0) throw malformed("negative length");
		need(n);
		return (int) n;
	}

	private Object longOf(int n) {
		need(n);
		if (n == 0) return 0L;
		byte[] be = new byte[n];
		for (int i = 0; i < n; i++) be[i] = data[pos + n - 1 - i];
		pos += n;
		BigInteger v = new BigInteger(be);
		return v.bitLength() < 64 ? (Object) v.longValue() : v;
	}

	private String utf8(int n) {
		need(n);
		try {
			String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
					.decode(ByteBuffer.wrap(data, pos, n)).toString();
			pos += n;
			return s;
		} catch (CharacterCodingException ex) {
			throw malformed("a string that is not UTF-8");
		}
	}

	private byte[] bytes(int n) {
		need(n);
		byte[] b = Arrays.copyOfRange(data, pos, pos + n);
		pos += n;
		return b;
	}

	/** A newline-terminated ASCII line (GLOBAL's operands), at most 256 characters. */
	private String line() {
		int end = pos;
		while (end < data.length && data[end] != '\n' && end - pos <= 256) end++;
		if (end >= data.length || data[end] != '\n') throw malformed("GLOBAL operand without a newline");
		String s = new String(data, pos, end - pos, StandardCharsets.US_ASCII);
		pos = end + 1;
		return s;
	}

	/** A short Python-like type name of an unpickled value, for messages. */
	public static String typeName(Object o) {
		if (o == null) return "None";
		if (o instanceof Map) return "dict";
		if (o instanceof List) return "list";
		if (o instanceof Tuple) return "tuple";
		if (o instanceof String) return "str";
		if (o instanceof Long || o instanceof BigInteger) return "int";
		if (o instanceof Double) return "float";
		if (o instanceof Boolean) return "bool";
		if (o instanceof byte[]) return "bytes";
		return o.toString();
	}
}
