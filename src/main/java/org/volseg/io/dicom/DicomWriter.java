package org.volseg.io.dicom;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A DICOM data set (or sequence item) being built for writing in explicit VR little endian:
 * attributes may be added in any order and are encoded in ascending tag order, as Part 5
 * requires. Values are encoded by {@link DicomElementWriter} (text padded to even length, DS
 * limited to 16 characters, sequences of defined length). Not thread-safe.
 */
final class DicomWriter {

	private final Map<Integer, byte[]> elements = new TreeMap<>(Integer::compareUnsigned);

	/** A text attribute (AE, AS, CS, DA, DS, IS, LO, LT, PN, SH, ST, TM, UI, UT); an empty value for a type 2 attribute. */
	DicomWriter text(int tag, String vr, String value) {
		elements.put(tag, new DicomElementWriter().text(tag, vr, value == null ? "" : value).toBytes());
		return this;
	}

	/** Copies a text attribute from {@code source} (its trimmed value), or writes it empty if absent. */
	DicomWriter copy(DicomDataset source, int tag, String vr) {
		return text(tag, vr, source.string(tag, ""));
	}

	/** A decimal string of several values. */
	DicomWriter decimals(int tag, double... values) {
		elements.put(tag, new DicomElementWriter().decimals(tag, values).toBytes());
		return this;
	}

	DicomWriter us(int tag, int... values) {
		byte[] v = new byte[values.length * 2];
		for (int i = 0; i < values.length; i++) {
			v[2 * i] = (byte) values[i];
			v[2 * i + 1] = (byte) (values[i] >> 8);
		}
		return raw(tag, "US", v);
	}

	DicomWriter ul(int tag, long... values) {
		byte[] v = new byte[values.length * 4];
		for (int i = 0; i < values.length; i++)
			for (int b = 0; b < 4; b++)
				v[4 * i + b] = (byte) (values[i] >> (8 * b));
		return raw(tag, "UL", v);
	}

	/** An attribute tag value (AT): the tags' group then element, little endian. */
	DicomWriter at(int tag, int... tags) {
		byte[] v = new byte[tags.length * 4];
		for (int i = 0; i < tags.length; i++) {
			int g = tags[i] >>> 16, e = tags[i] & 0xFFFF;
			v[4 * i] = (byte) g;
			v[4 * i + 1] = (byte) (g >> 8);
			v[4 * i + 2] = (byte) e;
			v[4 * i + 3] = (byte) (e >> 8);
		}
		return raw(tag, "AT", v);
	}

	/** A sequence of the given items (an empty list writes an empty sequence, for type 2). */
	DicomWriter sequence(int tag, List<DicomWriter> items) {
		List<byte[]> encoded = new ArrayList<>(items.size());
		for (DicomWriter item : items)
			encoded.add(item.toBytes());
		elements.put(tag, new DicomElementWriter().sequence(tag, encoded).toBytes());
		return this;
	}

	/** A sequence of one item. */
	DicomWriter sequence(int tag, DicomWriter item) {
		return sequence(tag, List.of(item));
	}

	/** Any value, already encoded little endian and of even length. */
	DicomWriter raw(int tag, String vr, byte[] value) {
		elements.put(tag, new DicomElementWriter().raw(tag, vr, value).toBytes());
		return this;
	}

	/** The encoded data set: every element in ascending tag order. */
	byte[] toBytes() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] e : elements.values())
			out.writeBytes(e);
		return out.toByteArray();
	}

	/** A coded concept item (CodeValue, CodingSchemeDesignator, CodeMeaning). */
	static DicomWriter code(CodedConcept c) {
		return new DicomWriter().text(0x00080100, "SH", c.value()).text(0x00080102, "SH", c.scheme())
				.text(0x00080104, "LO", c.meaning());
	}
}
