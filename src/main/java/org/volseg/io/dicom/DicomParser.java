package org.volseg.io.dicom;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.volseg.VolumeFormatException;

/**
 * Reads DICOM Part 10 files (with or without the 128-byte preamble and file meta group) in
 * implicit VR little endian, explicit VR little and big endian and deflated explicit VR little
 * endian; sequences of defined and undefined length, nested; private attributes skipped; native
 * and encapsulated pixel data.
 *
 * <p>Stateless and thread-safe. Every problem with the bytes raises a {@link VolumeFormatException}
 * naming the file and what is wrong; {@link #isDicom} tells DICOM from other files cheaply.</p>
 */
public final class DicomParser {

	private static final Set<String> VRS = Set.of("AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO", "LT",
			"OB", "OD", "OF", "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR",
			"US", "UT", "UV");
	private static final Set<String> LONG_LENGTH_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC",
			"UN", "UR", "UT", "UV");
	private static final long UNDEFINED = 0xFFFFFFFFL;
	private static final int MAX_DEPTH = 32;
	private static final long MAX_INFLATED = Integer.MAX_VALUE - 64;

	private DicomParser() {
	}

	/**
	 * Reads a file's header: everything before the pixel data, which is not read from disk.
	 *
	 * @throws VolumeFormatException if the file is not DICOM, is truncated or malformed, or cannot be read
	 */
	public static DicomFile readHeader(Path file) {
		return read(file, false);
	}

	/** Reads a whole file, pixel data included (kept raw; see {@link PixelDecoder}). */
	public static DicomFile readFile(Path file) {
		return read(file, true);
	}

	/**
	 * True if the file looks like DICOM: "DICM" after a 128-byte preamble, or a data set that starts
	 * with a plausible group 0002 or 0008 element. Reads at most a few hundred bytes; false for
	 * unreadable files.
	 */
	public static boolean isDicom(Path file) {
		try (DicomInput in = DicomInput.open(file, 512)) {
			return hasPreamble(in) || looksLikeBareDataSet(in);
		} catch (IOException | RuntimeException e) {
			return false;
		}
	}

	/**
	 * Reads a whole file into {@code scratch} when it fits (else into a new array). The returned
	 * file's pixel data live in that array: reuse {@code scratch} only once done with the file.
	 */
	public static DicomFile readFile(Path file, byte[] scratch) {
		return read(file, true, scratch);
	}

	static DicomFile read(Path file, boolean withPixels) {
		return read(file, withPixels, null);
	}

	private static DicomFile read(Path file, boolean withPixels, byte[] scratch) {
		try (DicomInput in = DicomInput.open(file, withPixels ? Integer.MAX_VALUE : DicomInput.HEADER_CHUNK, scratch)) {
			return parse(in, withPixels);
		} catch (NoSuchFileException e) {
			throw new VolumeFormatException(file, "no such file");
		} catch (IOException e) {
			throw new VolumeFormatException(file, "cannot read the file: " + e.getMessage(), e);
		}
	}

	/** Parses bytes already in memory (a file read elsewhere); {@code file} only names it in messages. */
	public static DicomFile parse(Path file, byte[] bytes, boolean withPixels) {
		return parse(DicomInput.of(file, bytes), withPixels);
	}

	private static DicomFile parse(DicomInput in, boolean withPixels) {
		Path file = in.file;
		boolean preamble = hasPreamble(in);
		if (preamble)
			in.pos = 132;
		else if (!looksLikeBareDataSet(in))
			throw new NotDicomException(file, "not a DICOM file (no 'DICM' marker after a 128-byte preamble,"
					+ " and the first bytes are not a DICOM data set)");
		DicomDataset meta = new DicomDataset(false);
		in.bigEndian = false;
		if (in.peek(0) == 0x02 && in.peek(1) == 0x00)
			readMeta(in, meta);
		String uid = meta.string(Tags.TRANSFER_SYNTAX_UID);
		if (uid == null)
			uid = guessTransferSyntax(in);
		TransferSyntax ts = TransferSyntax.ofUid(uid);
		boolean explicit = ts == null || ts.explicitVr();
		boolean bigEndian = ts != null && ts.bigEndian();
		if (ts != null && ts.deflated())
			in.inflateRemainder(MAX_INFLATED);
		in.bigEndian = bigEndian;
		DicomDataset ds = new DicomDataset(bigEndian);
		PixelData[] pixels = new PixelData[1];
		long[] declared = { -2 };
		List<String> notes = new ArrayList<>();
		readDataSet(in, ds, explicit, Long.MAX_VALUE, false, 0, withPixels ? pixels : null, declared, notes);
		return new DicomFile(file, uid, meta, ds, pixels[0], declared[0], notes);
	}

	private static boolean hasPreamble(DicomInput in) {
		return in.size() >= 132 && in.peek(128) == 'D' && in.peek(129) == 'I' && in.peek(130) == 'C' && in.peek(131) == 'M';
	}

	private static boolean looksLikeBareDataSet(DicomInput in) {
		if (in.size() < 8)
			return false;
		int group = in.peek(0) | in.peek(1) << 8;
		if (group == 0x0800 && VRS.contains("" + (char) in.peek(4) + (char) in.peek(5)))
			return true; // explicit VR big endian without a meta group
		if (group != 0x0002 && group != 0x0008)
			return false;
		int element = in.peek(2) | in.peek(3) << 8;
		if (element > 0x1200)
			return false;
		char v0 = (char) in.peek(4), v1 = (char) in.peek(5);
		if (VRS.contains("" + v0 + v1))
			return true;
		long length = in.peek(4) | in.peek(5) << 8 | (long) in.peek(6) << 16 | (long) in.peek(7) << 24;
		return length < in.size();
	}

	private static void readMeta(DicomInput in, DicomDataset meta) {
		while (!in.atEnd() && in.peek(0) == 0x02 && in.peek(1) == 0x00) {
			int start = in.pos;
			int tag = in.tag();
			String vr = "" + (char) in.u8() + (char) in.u8();
			if (!VRS.contains(vr))
				throw new VolumeFormatException(in.file, "unknown VR '" + printable(vr) + "' in the file meta group at "
						+ Tags.format(tag) + ", offset " + start + "; the file is corrupt");
			long length = LONG_LENGTH_VRS.contains(vr) ? readLongLength(in) : in.u16();
			if (length == UNDEFINED || length > in.remaining())
				throw lengthPastEnd(in, tag, length);
			meta.put(tag, new DicomDataset.Element(vr, in.bytes((int) length), null));
		}
	}

	private static long readLongLength(DicomInput in) {
		in.skip(2);
		return in.u32();
	}

	private static String guessTransferSyntax(DicomInput in) {
		int v0 = in.peek(4), v1 = in.peek(5);
		if (in.peek(0) == 0x00 && in.peek(1) == 0x08)
			return TransferSyntax.EXPLICIT_VR_BIG_ENDIAN.uid();
		if (v0 >= 'A' && v0 <= 'Z' && v1 >= 'A' && v1 <= 'Z' && VRS.contains("" + (char) v0 + (char) v1))
			return TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid();
		return TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid();
	}

	/**
	 * Reads elements into {@code ds} until {@code end} (a defined length) or an item delimitation
	 * (undefined length item) or the end of the file. At depth 0, stops at the pixel data: stores it
	 * in {@code pixels[0]} if {@code pixels} is given, else returns without reading it.
	 */
	private static void readDataSet(DicomInput in, DicomDataset ds, boolean explicit, long end, boolean untilDelimiter,
			int depth, PixelData[] pixels, long[] declaredPixelLength, List<String> notes) {
		if (depth > MAX_DEPTH)
			throw new VolumeFormatException(in.file, "sequences nested deeper than " + MAX_DEPTH + " levels; the file is corrupt");
		while (in.pos < end) {
			if (in.atEnd()) {
				if (untilDelimiter || end != Long.MAX_VALUE)
					throw new VolumeFormatException(in.file, "the file is truncated inside a sequence item");
				return;
			}
			int start = in.pos;
			if (depth == 0 && pixels != null && pixels[0] != null && trailingPadding(in, notes))
				return;
			int tag = in.tag();
			if (tag == Tags.ITEM_DELIMITATION) {
				in.u32();
				if (untilDelimiter)
					return;
				continue;
			}
			if (tag == Tags.TRAILING_PADDING && depth == 0)
				return;
			if (tag == Tags.ITEM || tag == Tags.SEQUENCE_DELIMITATION)
				throw new VolumeFormatException(in.file, "unexpected item tag " + Tags.format(tag) + " at offset " + start
						+ " outside a sequence; the file is corrupt");
			String vr;
			long length;
			if (explicit) {
				int c0 = in.u8(), c1 = in.u8();
				vr = "" + (char) c0 + (char) c1;
				if (!VRS.contains(vr))
					throw new VolumeFormatException(in.file, "unknown VR '" + printable(vr) + "' at " + Tags.format(tag)
							+ ", offset " + start + "; the file is corrupt or not in the transfer syntax it declares");
				length = LONG_LENGTH_VRS.contains(vr) ? readLongLength(in) : in.u16();
			} else {
				String known = Tags.implicitVr(tag);
				vr = known != null ? known : "UN";
				length = in.u32();
			}
			boolean privateTag = ((tag >>> 16) & 1) == 1;
			boolean pixelTag = tag == Tags.PIXEL_DATA || tag == Tags.FLOAT_PIXEL_DATA || tag == Tags.DOUBLE_PIXEL_DATA;
			if (pixelTag && depth == 0) {
				declaredPixelLength[0] = length == UNDEFINED ? -1 : length;
				if (pixels == null) {
					if (length != UNDEFINED && length > in.remaining())
						throw new VolumeFormatException(in.file, "the pixel data element declares " + length
								+ " bytes but only " + in.remaining() + " remain in the file; the file is truncated");
					return;
				}
				pixels[0] = length == UNDEFINED ? readEncapsulated(in) : readNative(in, tag, length);
				continue;
			}
			if (length != UNDEFINED && length > in.remaining())
				throw lengthPastEnd(in, tag, length);
			// a UN value that starts with an item tag is a sequence in implicit VR little endian (PS3.5 6.2.2)
			boolean sequence = vr.equals("SQ") || length == UNDEFINED
					|| (vr.equals("UN") && length >= 8 && startsWithItem(in));
			if (sequence) {
				// an undefined-length UN in explicit VR holds implicit VR little endian items (PS3.5 6.2.2)
				boolean itemsExplicit = explicit && !vr.equals("UN");
				List<DicomDataset> items = readItems(in, itemsExplicit, length, depth);
				if (!privateTag)
					ds.put(tag, new DicomDataset.Element("SQ", null, items));
				continue;
			}
			if ((privateTag && !keptPrivate(tag, depth)) || (tag & 0xFFFF) == 0 || length > 1_000_000) {
				in.skip(length);
				continue;
			}
			ds.put(tag, new DicomDataset.Element(vr, in.bytes((int) length), null));
		}
	}

	/**
	 * After the pixel data of the main data set: true (and a note) if what follows is padding that
	 * pydicom, dcmdump and dcm2niix accept: only zero bytes, or a (0000,0000) tag, which no valid
	 * element has. The rest of the file is then ignored.
	 */
	private static boolean trailingPadding(DicomInput in, List<String> notes) {
		long left = in.remaining();
		boolean zeroTag = left >= 4 && in.peek(0) == 0 && in.peek(1) == 0 && in.peek(2) == 0 && in.peek(3) == 0;
		if (!zeroTag)
			return false;
		in.need(left);
		boolean allZero = true;
		byte[] b = in.buffer();
		for (int i = in.pos, e = (int) (in.pos + left); i < e && allZero; i++)
			allZero = b[i] == 0;
		notes.add(in.file + ": " + left + " bytes after the pixel data are " + (allZero ? "zero padding" : "not DICOM"
				+ " elements (they start with the tag (0000,0000))") + "; ignored, as pydicom, dcmdump and dcm2niix do");
		in.skip(left);
		return true;
	}

	/**
	 * Private attributes kept (the rest are skipped): Siemens' private creators and CSA headers in
	 * groups 0019 and 0029 of the main data set, which say how a MOSAIC image is tiled.
	 */
	private static boolean keptPrivate(int tag, int depth) {
		int group = tag >>> 16, element = tag & 0xFFFF;
		return depth == 0 && (group == 0x0019 || group == 0x0029) && (element >= 0x0010 && element <= 0x00FF
				|| element >= 0x1000 && element <= 0x10FF);
	}

	/** True if the next bytes are an item tag (FFFE,E000) in little endian, as UN content is encoded. */
	private static boolean startsWithItem(DicomInput in) {
		return in.peek(0) == 0xFE && in.peek(1) == 0xFF && in.peek(2) == 0x00 && in.peek(3) == 0xE0;
	}

	private static List<DicomDataset> readItems(DicomInput in, boolean explicit, long length, int depth) {
		List<DicomDataset> items = new ArrayList<>();
		boolean wasBig = in.bigEndian;
		if (!explicit)
			in.bigEndian = false;
		long end = length == UNDEFINED ? Long.MAX_VALUE : in.pos + length;
		while (in.pos < end) {
			if (in.atEnd())
				throw new VolumeFormatException(in.file, "the file is truncated inside a sequence");
			int start = in.pos;
			int tag = in.tag();
			long itemLength = in.u32();
			if (tag == Tags.SEQUENCE_DELIMITATION)
				break;
			if (tag != Tags.ITEM)
				throw new VolumeFormatException(in.file, "expected a sequence item at offset " + start + ", found "
						+ Tags.format(tag) + "; the file is corrupt");
			if (itemLength != UNDEFINED && itemLength > in.remaining())
				throw lengthPastEnd(in, tag, itemLength);
			DicomDataset item = new DicomDataset(in.bigEndian);
			if (itemLength == UNDEFINED)
				readDataSet(in, item, explicit, Long.MAX_VALUE, true, depth + 1, null, null, null);
			else
				readDataSet(in, item, explicit, in.pos + itemLength, false, depth + 1, null, null, null);
			items.add(item);
		}
		if (end != Long.MAX_VALUE && in.pos != end)
			throw new VolumeFormatException(in.file, "a sequence's items overrun its declared length; the file is corrupt");
		in.bigEndian = wasBig;
		return items;
	}

	private static PixelData readNative(DicomInput in, int tag, long length) {
		if (length > in.remaining())
			throw new VolumeFormatException(in.file, "the pixel data element declares " + length + " bytes but only "
					+ in.remaining() + " remain in the file; the file is truncated");
		in.need(length);
		int offset = in.pos;
		in.skip(length);
		return PixelData.ofNative(in.buffer(), in.bigEndian, offset, (int) length);
	}

	private static PixelData readEncapsulated(DicomInput in) {
		long[] table = null;
		List<int[]> fragments = new ArrayList<>();
		while (true) {
			if (in.atEnd())
				throw new VolumeFormatException(in.file, "the file is truncated inside the encapsulated pixel data"
						+ " (no sequence delimiter)");
			int start = in.pos;
			int tag = in.tag();
			long length = in.u32();
			if (tag == Tags.SEQUENCE_DELIMITATION)
				break;
			if (tag != Tags.ITEM)
				throw new VolumeFormatException(in.file, "expected a pixel data fragment at offset " + start + ", found "
						+ Tags.format(tag) + "; the file is corrupt");
			if (length == UNDEFINED || length > in.remaining())
				throw new VolumeFormatException(in.file, "a pixel data fragment at offset " + start + " declares "
						+ length + " bytes but only " + in.remaining() + " remain in the file; the file is truncated");
			in.need(length);
			if (table == null) {
				table = new long[(int) (length / 4)];
				for (int i = 0; i < table.length; i++)
					table[i] = in.u32();
				in.skip(length - table.length * 4L);
			} else {
				fragments.add(new int[] { in.pos, (int) length });
				in.skip(length);
			}
		}
		return PixelData.ofEncapsulated(in.buffer(), table == null ? new long[0] : table, fragments);
	}

	private static VolumeFormatException lengthPastEnd(DicomInput in, int tag, long length) {
		return new VolumeFormatException(in.file, "the element " + Tags.format(tag) + " declares "
				+ (length == UNDEFINED ? "an undefined length" : length + " bytes") + " but only " + in.remaining()
				+ " bytes remain in the file; the file is truncated or corrupt");
	}

	private static String printable(String s) {
		StringBuilder b = new StringBuilder();
		for (char c : s.toCharArray())
			b.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\x%02X", (int) c));
		return b.toString();
	}
}
