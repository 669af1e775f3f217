package org.volseg.io.dicom;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The attributes of a DICOM data set (or of one sequence item), keyed by tag
 * ({@code (group << 16) | element}). Values keep their encoded bytes and are decoded on request;
 * pixel data and private attributes are not kept here, except Siemens' groups 0019 and 0029 (the
 * CSA headers that describe MOSAIC images).
 *
 * <p>Getters return null (or the given default) for an absent or empty attribute, and never throw
 * for a malformed number: a value that does not parse reads as absent. Instances are filled by
 * the parser and then only read; reading is thread-safe.</p>
 */
public final class DicomDataset {

	/** One attribute: its value representation, its value bytes (in the data set's byte order), its items for SQ. */
	static final class Element {
		final String vr;
		final byte[] value;
		final List<DicomDataset> items;

		Element(String vr, byte[] value, List<DicomDataset> items) {
			this.vr = vr;
			this.value = value;
			this.items = items;
		}
	}

	private final Map<Integer, Element> elements = new HashMap<>();
	private final boolean bigEndian;

	DicomDataset(boolean bigEndian) {
		this.bigEndian = bigEndian;
	}

	void put(int tag, Element e) {
		elements.put(tag, e);
	}

	/** True if the attribute is present (even with an empty value). */
	public boolean contains(int tag) {
		return elements.containsKey(tag);
	}

	/** Tags present, in no particular order. */
	public Set<Integer> tags() {
		return Collections.unmodifiableSet(elements.keySet());
	}

	/** The value representation the attribute was read with ("UN" when unknown in implicit VR files), or null. */
	public String vr(int tag) {
		Element e = elements.get(tag);
		return e == null ? null : e.vr;
	}

	/** A text value with padding (spaces, NULs) trimmed; all values of a multi-valued attribute joined by '\'. */
	public String string(int tag) {
		Element e = elements.get(tag);
		if (e == null || e.value == null || e.value.length == 0)
			return null;
		if (isBinaryNumber(e.vr)) {
			double[] d = doubles(tag);
			if (d == null)
				return null;
			StringBuilder b = new StringBuilder();
			for (int i = 0; i < d.length; i++)
				b.append(i > 0 ? "\\" : "").append(d[i] == Math.rint(d[i]) ? Long.toString((long) d[i]) : Double.toString(d[i]));
			return b.toString();
		}
		String s = new String(e.value, StandardCharsets.ISO_8859_1);
		int end = s.length();
		while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == 0))
			end--;
		int start = 0;
		while (start < end && s.charAt(start) == ' ')
			start++;
		return start == end ? null : s.substring(start, end);
	}

	/** The text value, or {@code fallback} if absent. */
	public String string(int tag, String fallback) {
		String s = string(tag);
		return s == null ? fallback : s;
	}

	/**
	 * All numeric values of an attribute: decimal or integer strings (DS, IS) split at '\', or binary
	 * numbers (US, SS, UL, SL, FL, FD, and OB/OW/UN read as US). Null if absent, empty or unparsable.
	 */
	public double[] doubles(int tag) {
		Element e = elements.get(tag);
		if (e == null || e.value == null || e.value.length == 0)
			return null;
		String vr = e.vr;
		if ("UN".equals(vr) || "OW".equals(vr) || "OB".equals(vr)) {
			String implicit = Tags.implicitVr(tag);
			vr = implicit != null ? implicit : "UN";
			if ("UN".equals(vr))
				return parseDecimals(e.value);
		}
		if (isBinaryNumber(vr))
			return parseBinary(vr, e.value);
		return parseDecimals(e.value);
	}

	/** The first numeric value, or null. */
	public Double decimal(int tag) {
		double[] d = doubles(tag);
		return d == null || d.length == 0 ? null : d[0];
	}

	/** The first numeric value, or {@code fallback}. */
	public double decimal(int tag, double fallback) {
		Double d = decimal(tag);
		return d == null ? fallback : d;
	}

	/** The first numeric value as an integer (rounded), or null. */
	public Integer integer(int tag) {
		Double d = decimal(tag);
		if (d == null || Math.abs(d) > Integer.MAX_VALUE)
			return null;
		return (int) Math.round(d);
	}

	/** The first numeric value as an integer, or {@code fallback}. */
	public int integer(int tag, int fallback) {
		Integer i = integer(tag);
		return i == null ? fallback : i;
	}

	/** The raw value bytes of an attribute (in the data set's byte order), or null if absent; do not modify. */
	byte[] bytes(int tag) {
		Element e = elements.get(tag);
		return e == null ? null : e.value;
	}

	/** True if the data set was encoded big endian (binary values are read accordingly). */
	boolean bigEndian() {
		return bigEndian;
	}

	/** The items of a sequence attribute; empty if absent or not a sequence. */
	public List<DicomDataset> sequence(int tag) {
		Element e = elements.get(tag);
		return e == null || e.items == null ? Collections.emptyList() : Collections.unmodifiableList(e.items);
	}

	/** The first item of a sequence attribute, or null. */
	public DicomDataset item(int tag) {
		List<DicomDataset> items = sequence(tag);
		return items.isEmpty() ? null : items.get(0);
	}

	private static boolean isBinaryNumber(String vr) {
		switch (vr) {
		case "US": case "SS": case "UL": case "SL": case "FL": case "FD": case "SV": case "UV":
			return true;
		default:
			return false;
		}
	}

	private double[] parseBinary(String vr, byte[] v) {
		int size = vr.equals("US") || vr.equals("SS") ? 2 : vr.equals("FD") || vr.equals("SV") || vr.equals("UV") ? 8 : 4;
		int n = v.length / size;
		if (n == 0)
			return null;
		double[] out = new double[n];
		for (int i = 0; i < n; i++) {
			long raw = 0;
			for (int b = 0; b < size; b++) {
				int idx = bigEndian ? i * size + b : i * size + size - 1 - b;
				raw = (raw << 8) | (v[idx] & 0xFF);
			}
			switch (vr) {
			case "US": out[i] = raw & 0xFFFF; break;
			case "SS": out[i] = (short) raw; break;
			case "UL": out[i] = raw & 0xFFFFFFFFL; break;
			case "SL": out[i] = (int) raw; break;
			case "FL": out[i] = Float.intBitsToFloat((int) raw); break;
			case "FD": out[i] = Double.longBitsToDouble(raw); break;
			default: out[i] = raw; break;
			}
		}
		return out;
	}

	private static double[] parseDecimals(byte[] v) {
		String s = new String(v, StandardCharsets.ISO_8859_1).trim();
		if (s.isEmpty())
			return null;
		String[] parts = s.split("\\\\", -1);
		double[] out = new double[parts.length];
		for (int i = 0; i < parts.length; i++) {
			String p = parts[i].replace('\0', ' ').trim();
			try {
				out[i] = Double.parseDouble(p);
			} catch (NumberFormatException ex) {
				return null;
			}
			if (!Double.isFinite(out[i]))
				return null;
		}
		return out;
	}
}
