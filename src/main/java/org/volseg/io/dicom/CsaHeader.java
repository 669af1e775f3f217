package org.volseg.io.dicom;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Siemens CSA header (the private attributes (0029,xx10) "CSA Image Header Info" and
 * (0029,xx20) "CSA Series Header Info"): named elements, each with text items. Both layouts are
 * read: CSA2 (starting with "SV10", then 4 unused bytes) and the older CSA1 (no marker).
 *
 * <p>Layout (little endian): number of elements (uint32), a check word (uint32); per element a
 * 64-byte NUL-terminated name, VM (int32), VR (4 bytes), SyngoDT, number of items, a check word
 * (int32 each); per item four int32 (in CSA2 the second is the value length; in CSA1 the first,
 * minus the number of items of element 1), the value, padded to a multiple of 4 bytes. Immutable.</p>
 */
final class CsaHeader {

	private static final int MAX_ELEMENTS = 1000;
	private final Map<String, List<String>> elements;

	private CsaHeader(Map<String, List<String>> elements) {
		this.elements = elements;
	}

	/**
	 * Parses a CSA header.
	 *
	 * @return the header, or null if the bytes are not a CSA header (a malformed header is not an
	 *         error: it only means the mosaic layout cannot be read from it)
	 */
	static CsaHeader parse(byte[] bytes) {
		if (bytes == null || bytes.length < 16)
			return null;
		try {
			ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
			boolean csa2 = bytes[0] == 'S' && bytes[1] == 'V' && bytes[2] == '1' && bytes[3] == '0';
			if (csa2)
				b.position(8);
			int count = b.getInt();
			b.getInt(); // check word (77)
			if (count <= 0 || count > MAX_ELEMENTS)
				return null;
			Map<String, List<String>> out = new LinkedHashMap<>();
			int firstItemCount = 0;
			for (int e = 0; e < count; e++) {
				byte[] name = new byte[64];
				b.get(name);
				int vm = b.getInt();
				b.position(b.position() + 4); // VR
				b.getInt(); // SyngoDT
				int items = b.getInt();
				b.getInt(); // check word
				if (items < 0 || items > MAX_ELEMENTS)
					return null;
				if (e == 1)
					firstItemCount = items;
				List<String> values = new ArrayList<>();
				for (int i = 0; i < items; i++) {
					int x0 = b.getInt(), x1 = b.getInt();
					b.getInt();
					b.getInt();
					int length = csa2 ? x1 : x0 - firstItemCount;
					if (length < 0 || length > b.remaining()) {
						if (csa2)
							return null;
						break; // CSA1 leaves trailing items empty
					}
					byte[] v = new byte[length];
					b.get(v);
					if (i < (vm == 0 ? items : vm))
						values.add(text(v));
					b.position(Math.min(b.limit(), b.position() + (4 - length % 4) % 4));
				}
				out.put(text(name), Collections.unmodifiableList(values));
			}
			return new CsaHeader(Collections.unmodifiableMap(out));
		} catch (RuntimeException e) {
			return null; // ran past the end: not a CSA header we can read
		}
	}

	/** The non-empty text items of an element, in order; empty if absent. */
	List<String> values(String name) {
		List<String> v = elements.get(name);
		if (v == null)
			return List.of();
		List<String> out = new ArrayList<>();
		for (String s : v)
			if (!s.isEmpty())
				out.add(s);
		return out;
	}

	/** The element's items as numbers, or null if absent, empty or not numeric. */
	double[] numbers(String name) {
		List<String> v = values(name);
		if (v.isEmpty())
			return null;
		double[] d = new double[v.size()];
		try {
			for (int i = 0; i < d.length; i++)
				d[i] = Double.parseDouble(v.get(i));
		} catch (NumberFormatException e) {
			return null;
		}
		return d;
	}

	private static String text(byte[] v) {
		int end = 0;
		while (end < v.length && v[end] != 0)
			end++;
		return new String(v, 0, end, StandardCharsets.ISO_8859_1).trim();
	}
}
