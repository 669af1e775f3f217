package org.volseg.io.dicom;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Encodes data elements in explicit VR little endian, in the order they are added (callers add
 * them in ascending tag order), and wraps a data set into a Part 10 file. Not thread-safe; used by
 * {@link DicomSeriesWriter} and by tests that need unusual files.
 */
final class DicomElementWriter {

	static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
	static final String IMPLEMENTATION_CLASS_UID = "2.25.329800735698586629295641978511506172918";

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	/** A fresh UID under the 2.25 (UUID) root. */
	static String newUid() {
		UUID u = UUID.randomUUID();
		BigInteger hi = BigInteger.valueOf(u.getMostSignificantBits()).and(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
		BigInteger lo = BigInteger.valueOf(u.getLeastSignificantBits()).and(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
		return "2.25." + hi.shiftLeft(64).or(lo);
	}

	DicomElementWriter text(int tag, String vr, String value) {
		byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
		if (v.length % 2 == 1) {
			v = java.util.Arrays.copyOf(v, v.length + 1);
			v[v.length - 1] = (byte) (vr.equals("UI") || vr.equals("OB") ? 0 : ' ');
		}
		return raw(tag, vr, v);
	}

	/** A decimal string (DS) of several values joined by '\'. */
	DicomElementWriter decimals(int tag, double... values) {
		StringBuilder b = new StringBuilder();
		for (int i = 0; i < values.length; i++) {
			if (i > 0)
				b.append('\\');
			String s = String.format(Locale.ROOT, "%.10g", values[i]);
			if (s.contains("e") || s.contains("E"))
				s = String.format(Locale.ROOT, "%.6e", values[i]);
			else if (s.contains(".")) {
				s = s.replaceAll("0+$", "");
				if (s.endsWith("."))
					s = s.substring(0, s.length() - 1);
			}
			if (s.length() > 16)
				s = String.format(Locale.ROOT, "%.9e", values[i]).substring(0, 16);
			b.append(s);
		}
		return text(tag, "DS", b.toString());
	}

	DicomElementWriter us(int tag, int value) {
		return raw(tag, "US", new byte[] { (byte) value, (byte) (value >> 8) });
	}

	DicomElementWriter ul(int tag, long value) {
		return raw(tag, "UL", new byte[] { (byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24) });
	}

	/** A sequence of defined length whose items are the given encoded data sets. */
	DicomElementWriter sequence(int tag, List<byte[]> items) {
		ByteArrayOutputStream seq = new ByteArrayOutputStream();
		for (byte[] item : items) {
			writeTag(seq, Tags.ITEM);
			writeInt(seq, item.length);
			seq.writeBytes(item);
		}
		return raw(tag, "SQ", seq.toByteArray());
	}

	DicomElementWriter raw(int tag, String vr, byte[] value) {
		writeTag(out, tag);
		out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
		if (isLongLength(vr)) {
			out.write(0);
			out.write(0);
			writeInt(out, value.length);
		} else {
			out.write(value.length & 0xFF);
			out.write((value.length >> 8) & 0xFF);
		}
		out.writeBytes(value);
		return this;
	}

	int size() {
		return out.size();
	}

	byte[] toBytes() {
		return out.toByteArray();
	}

	/**
	 * A Part 10 file: preamble, "DICM", file meta group (explicit VR little endian) and the data set.
	 */
	static byte[] part10(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, byte[] dataSet) {
		DicomElementWriter meta = new DicomElementWriter()
				.raw(0x00020001, "OB", new byte[] { 0, 1 })
				.text(0x00020002, "UI", sopClassUid)
				.text(0x00020003, "UI", sopInstanceUid)
				.text(Tags.TRANSFER_SYNTAX_UID, "UI", transferSyntaxUid)
				.text(0x00020012, "UI", IMPLEMENTATION_CLASS_UID);
		byte[] metaBytes = meta.toBytes();
		ByteArrayOutputStream file = new ByteArrayOutputStream(132 + 12 + metaBytes.length + dataSet.length);
		file.writeBytes(new byte[128]);
		file.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
		file.writeBytes(new DicomElementWriter().ul(Tags.FILE_META_GROUP_LENGTH, metaBytes.length).toBytes());
		file.writeBytes(metaBytes);
		file.writeBytes(dataSet);
		return file.toByteArray();
	}

	private static boolean isLongLength(String vr) {
		switch (vr) {
		case "OB": case "OD": case "OF": case "OL": case "OV": case "OW": case "SQ": case "SV": case "UC": case "UN":
		case "UR": case "UT": case "UV":
			return true;
		default:
			return false;
		}
	}

	private static void writeTag(ByteArrayOutputStream o, int tag) {
		int g = tag >>> 16, e = tag & 0xFFFF;
		o.write(g & 0xFF);
		o.write(g >> 8);
		o.write(e & 0xFF);
		o.write(e >> 8);
	}

	private static void writeInt(ByteArrayOutputStream o, int v) {
		o.write(v & 0xFF);
		o.write((v >> 8) & 0xFF);
		o.write((v >> 16) & 0xFF);
		o.write((v >>> 24) & 0xFF);
	}
}
