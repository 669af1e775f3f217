package org.volseg.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.VolumeFormatException;

/** Part 10 parsing: layouts, sequences, private tags, and refusals of damaged files. */
class DicomParserTest {

	@TempDir
	Path tmp;

	private static byte[] mrSmall() throws IOException {
		return Files.readAllBytes(DicomFixtureDecodeTest.resource("MR_small.dcm"));
	}

	private Path write(String name, byte[] bytes) throws IOException {
		Path p = tmp.resolve(name);
		Files.write(p, bytes);
		return p;
	}

	@Test
	void readsFilesWithoutPreambleAndWithoutMetaGroup() throws IOException {
		StoredValueStatistics reference = StoredValueStatistics.of(DicomFormat.parser(), DicomFixtureDecodeTest.resource("MR_small.dcm"));
		byte[] full = mrSmall();
		Path noPreamble = write("nopreamble", Arrays.copyOfRange(full, 132, full.length));
		StoredValueStatistics a = StoredValueStatistics.of(DicomFormat.parser(), noPreamble);
		assertEquals(reference.sum(), a.sum());
		assertEquals(reference.sumOfSquares(), a.sumOfSquares());
		// drop the meta group too: the data set starts at the first group 0008 element
		int groupLength = DicomInput.readIntLE(full, 132 + 8);
		int dataSet = 132 + 12 + groupLength;
		assertEquals(0x08, full[dataSet]);
		Path bare = write("bare", Arrays.copyOfRange(full, dataSet, full.length));
		StoredValueStatistics b = StoredValueStatistics.of(DicomFormat.parser(), bare);
		assertEquals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), b.transferSyntaxUid());
		assertEquals(reference.sum(), b.sum());
		assertEquals(reference.max(), b.max());
	}

	@Test
	void readsBigEndianWithoutMetaGroup() throws IOException {
		byte[] full = Files.readAllBytes(DicomFixtureDecodeTest.resource("MR_small_bigendian.dcm"));
		int groupLength = DicomInput.readIntLE(full, 132 + 8);
		Path bare = write("bare_be", Arrays.copyOfRange(full, 132 + 12 + groupLength, full.length));
		StoredValueStatistics s = StoredValueStatistics.of(DicomFormat.parser(), bare);
		assertEquals(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN.uid(), s.transferSyntaxUid());
		assertEquals(2125338.0, s.sum());
		assertEquals(1788440652.0, s.sumOfSquares());
	}

	@Test
	void headerScanStopsBeforeThePixelData() {
		DicomFile h = DicomParser.readHeader(DicomFixtureDecodeTest.resource("CT_small.dcm"));
		assertFalse(h.hasPixelData());
		assertEquals(128 * 128 * 2, h.pixelDataLength());
		assertEquals("CT", h.dataset().string(Tags.MODALITY));
		assertArrayEquals(new double[] { -158.135803, -179.035797, -75.699997 },
				h.dataset().doubles(Tags.IMAGE_POSITION_PATIENT), 1e-9);
		assertEquals(-1024, h.dataset().decimal(Tags.RESCALE_INTERCEPT), 0);
		assertEquals(128, (int) h.dataset().integer(Tags.ROWS));
	}

	@Test
	void readsBigEndianAndImplicitHeadersAlike() {
		DicomDataset big = DicomParser.readHeader(DicomFixtureDecodeTest.resource("MR_small_bigendian.dcm")).dataset();
		DicomDataset implicit = DicomParser.readHeader(DicomFixtureDecodeTest.resource("MR_small_implicit.dcm")).dataset();
		for (DicomDataset ds : List.of(big, implicit)) {
			assertEquals(64, (int) ds.integer(Tags.ROWS));
			assertEquals(16, (int) ds.integer(Tags.BITS_ALLOCATED));
			assertEquals(1, (int) ds.integer(Tags.PIXEL_REPRESENTATION));
			assertArrayEquals(new double[] { 0.3125, 0.3125 }, ds.doubles(Tags.PIXEL_SPACING), 0);
		}
	}

	@Test
	void parsesNestedSequencesOfBothLengthsAndSkipsPrivateTags() throws IOException {
		// innermost item: a defined-length sequence holding one item with a position
		byte[] inner = new DicomElementWriter().decimals(Tags.IMAGE_POSITION_PATIENT, 1, 2, 3).toBytes();
		byte[] middle = new DicomElementWriter().sequence(Tags.PLANE_POSITION_SEQUENCE, List.of(inner)).toBytes();
		DicomElementWriter ds = new DicomElementWriter()
				.text(Tags.MODALITY, "CS", "MR")
				.raw(0x00091010, "LO", "private".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		// a private sequence of undefined length with a nested undefined-length item
		ds.raw(0x00091020, "SQ", undefinedLengthSequence(middle)).text(Tags.SERIES_DESCRIPTION, "LO", "after");
		ds.raw(Tags.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE, "SQ", undefinedLengthSequence(middle));
		byte[] file = DicomElementWriter.part10("1.2.3", "1.2.3.4", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(),
				patchUndefined(ds.toBytes()));
		DicomDataset parsed = DicomParser.readHeader(write("nested", file)).dataset();
		assertEquals("MR", parsed.string(Tags.MODALITY));
		assertEquals("after", parsed.string(Tags.SERIES_DESCRIPTION));
		assertFalse(parsed.contains(0x00091010));
		assertFalse(parsed.contains(0x00091020));
		DicomDataset frame = parsed.item(Tags.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE);
		assertArrayEquals(new double[] { 1, 2, 3 },
				frame.item(Tags.PLANE_POSITION_SEQUENCE).doubles(Tags.IMAGE_POSITION_PATIENT), 0);
	}

	/** Item of undefined length then a sequence delimiter; the sequence length is patched by {@link #patchUndefined}. */
	private static byte[] undefinedLengthSequence(byte[] itemContent) {
		java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
		o.writeBytes(new byte[] { (byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, -1, -1, -1, -1 });
		o.writeBytes(itemContent);
		o.writeBytes(new byte[] { (byte) 0xFE, (byte) 0xFF, 0x0D, (byte) 0xE0, 0, 0, 0, 0 });
		o.writeBytes(new byte[] { (byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0 });
		return o.toByteArray();
	}

	/** Sets the length of every "SQ" element whose content starts with an undefined-length item to undefined. */
	private static byte[] patchUndefined(byte[] b) {
		for (int i = 0; i + 16 < b.length; i++)
			if (b[i] == 'S' && b[i + 1] == 'Q' && b[i + 2] == 0 && b[i + 3] == 0 && (b[i + 8] & 0xFF) == 0xFE
					&& (b[i + 9] & 0xFF) == 0xFF && b[i + 10] == 0 && (b[i + 11] & 0xFF) == 0xE0 && b[i + 12] == -1)
				Arrays.fill(b, i + 4, i + 8, (byte) -1);
		return b;
	}

	/** An implicit VR little endian element. */
	private static byte[] implicitElement(int tag, byte[] value) {
		java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + value.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
		b.putShort((short) (tag >>> 16)).putShort((short) tag).putInt(value.length).put(value);
		return b.array();
	}

	private static byte[] concat(byte[]... parts) {
		java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
		for (byte[] p : parts)
			o.writeBytes(p);
		return o.toByteArray();
	}

	@Test
	void readsASequenceStoredAsUnknownVr() throws IOException {
		// explicit VR file whose per-frame sequence came through a system that did not know it: VR UN,
		// content in implicit VR little endian, with a nested sequence
		byte[] ipp = implicitElement(Tags.IMAGE_POSITION_PATIENT, "1\\2\\3 ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		byte[] innerItem = implicitElement(Tags.ITEM, ipp);
		byte[] inner = implicitElement(Tags.PLANE_POSITION_SEQUENCE, innerItem);
		byte[] outerItem = implicitElement(Tags.ITEM, inner);
		byte[] ds = new DicomElementWriter().text(Tags.MODALITY, "CS", "MR")
				.raw(Tags.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE, "UN", concat(outerItem)).toBytes();
		Path p = write("un", DicomElementWriter.part10("1.2", "1.2.3", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), ds));
		DicomDataset parsed = DicomParser.readHeader(p).dataset();
		DicomDataset frame = parsed.item(Tags.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE);
		assertArrayEquals(new double[] { 1, 2, 3 },
				frame.item(Tags.PLANE_POSITION_SEQUENCE).doubles(Tags.IMAGE_POSITION_PATIENT), 0);
	}

	@Test
	void refusesATruncatedHeader() throws IOException {
		byte[] full = mrSmall();
		Path p = write("cut", Arrays.copyOf(full, 600));
		VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> DicomParser.readHeader(p));
		assertTrue(e.getMessage().startsWith(p.toString()) && e.getMessage().contains("truncated"), e.getMessage());
	}

	@Test
	void refusesALengthPastTheEnd() throws IOException {
		byte[] ds = new DicomElementWriter().text(Tags.MODALITY, "CS", "CT").raw(Tags.SERIES_DESCRIPTION, "UT", new byte[8])
				.toBytes();
		byte[] file = DicomElementWriter.part10("1.2", "1.2.3", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), ds);
		// the UT element's 4-byte length sits 12 bytes before its 8 value bytes at the end
		int at = file.length - 8 - 4;
		file[at] = 0x00;
		file[at + 1] = 0x10;
		Path p = write("pastend", file);
		VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> DicomParser.readHeader(p));
		assertTrue(e.getMessage().contains("(0008,103E) declares 4096 bytes but only 8"), e.getMessage());
	}

	@Test
	void refusesAnUnknownVr() throws IOException {
		byte[] ds = new DicomElementWriter().text(Tags.MODALITY, "CS", "CT").text(Tags.SERIES_DESCRIPTION, "LO", "x")
				.toBytes();
		ds[ds.length - 2 - 2 - 2] = 'Z';
		ds[ds.length - 2 - 2 - 1] = 'Q';
		Path p = write("badvr", DicomElementWriter.part10("1.2", "1.2.3", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), ds));
		VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> DicomParser.readHeader(p));
		assertTrue(e.getMessage().contains("unknown VR 'ZQ'") && e.getMessage().contains("(0008,103E)"), e.getMessage());
	}

	@Test
	void refusesAbsurdDimensions() throws IOException {
		byte[] ds = new DicomElementWriter().text(Tags.NUMBER_OF_FRAMES, "IS", "99999").us(Tags.ROWS, 60000)
				.us(Tags.COLUMNS, 60000).us(Tags.BITS_ALLOCATED, 16).raw(Tags.PIXEL_DATA, "OW", new byte[16]).toBytes();
		Path p = write("absurd", DicomElementWriter.part10("1.2", "1.2.3", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), ds));
		VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> StoredValueStatistics.of(DicomFormat.parser(), p));
		assertTrue(e.getMessage().contains("absurd image size"), e.getMessage());
		byte[] zero = new DicomElementWriter().us(Tags.ROWS, 0).us(Tags.COLUMNS, 10).us(Tags.BITS_ALLOCATED, 8)
				.raw(Tags.PIXEL_DATA, "OB", new byte[16]).toBytes();
		Path q = write("zero", DicomElementWriter.part10("1.2", "1.2.3", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), zero));
		assertThrows(VolumeFormatException.class, () -> StoredValueStatistics.of(DicomFormat.parser(), q));
	}

	@Test
	void refusesPixelDataTooShortForTheImage() throws IOException {
		byte[] ds = new DicomElementWriter().us(Tags.ROWS, 4).us(Tags.COLUMNS, 4).us(Tags.BITS_ALLOCATED, 16)
				.us(Tags.BITS_STORED, 16).raw(Tags.PIXEL_DATA, "OW", new byte[30]).toBytes();
		Path p = write("short", DicomElementWriter.part10("1.2", "1.2.3", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), ds));
		VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> StoredValueStatistics.of(DicomFormat.parser(), p));
		assertTrue(e.getMessage().contains("30 bytes, too short") && e.getMessage().contains("32 bytes"), e.getMessage());
	}

	@Test
	void tellsDicomFromOtherFiles() throws IOException {
		assertTrue(DicomParser.isDicom(DicomFixtureDecodeTest.resource("MR_small.dcm")));
		Path text = write("notes.txt", "hello, not a scan\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		assertFalse(DicomParser.isDicom(text));
		assertThrows(NotDicomException.class, () -> DicomParser.readHeader(text));
		Path empty = write("empty", new byte[0]);
		assertFalse(DicomParser.isDicom(empty));
	}

	@Test
	void absentAttributesReadAsNull() {
		DicomDataset ds = DicomParser.readHeader(DicomFixtureDecodeTest.resource("MR_small.dcm")).dataset();
		assertNull(ds.string(Tags.GRID_FRAME_OFFSET_VECTOR));
		assertNull(ds.doubles(Tags.GRID_FRAME_OFFSET_VECTOR));
		assertTrue(ds.sequence(Tags.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE).isEmpty());
	}
}
