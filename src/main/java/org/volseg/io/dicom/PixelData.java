package org.volseg.io.dicom;

import java.util.List;

/**
 * The raw Pixel Data element of a file: either native (one run of bytes) or encapsulated
 * (a basic offset table and fragments). The byte ranges point into the parser's buffer without
 * copying; instances are immutable once built.
 */
final class PixelData {

	final byte[] buffer;
	final boolean bigEndian;
	/** Native pixel data: start and length in {@link #buffer}. */
	final int offset;
	final int length;
	/** Encapsulated pixel data: the basic offset table (may be empty) and fragment ranges in {@link #buffer}. */
	final long[] offsetTable;
	final List<int[]> fragments;

	private PixelData(byte[] buffer, boolean bigEndian, int offset, int length, long[] offsetTable, List<int[]> fragments) {
		this.buffer = buffer;
		this.bigEndian = bigEndian;
		this.offset = offset;
		this.length = length;
		this.offsetTable = offsetTable;
		this.fragments = fragments;
	}

	static PixelData ofNative(byte[] buffer, boolean bigEndian, int offset, int length) {
		return new PixelData(buffer, bigEndian, offset, length, null, null);
	}

	/** @param fragments each {offset, length} in the buffer */
	static PixelData ofEncapsulated(byte[] buffer, long[] offsetTable, List<int[]> fragments) {
		return new PixelData(buffer, false, 0, 0, offsetTable, fragments);
	}

	boolean encapsulated() {
		return fragments != null;
	}
}
