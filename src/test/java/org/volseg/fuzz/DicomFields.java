package org.volseg.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds, in the bytes of a DICOM file, where the attributes that size and place an image are: the
 * value and length fields of Rows, Columns, NumberOfFrames, BitsAllocated, SamplesPerPixel,
 * PixelSpacing, ImagePositionPatient, ImageOrientationPatient, the transfer syntax and Pixel
 * Data, looked up as little- and big-endian tag bytes. Stateless.
 */
final class DicomFields {

	private static final int[][] TAGS = { { 0x0028, 0x0010 }, { 0x0028, 0x0011 }, { 0x0028, 0x0008 }, { 0x0028, 0x0100 },
			{ 0x0028, 0x0101 }, { 0x0028, 0x0002 }, { 0x0028, 0x0030 }, { 0x0020, 0x0032 }, { 0x0020, 0x0037 },
			{ 0x0002, 0x0010 }, { 0x7FE0, 0x0010 }, { 0x0018, 0x0050 }, { 0x0028, 0x1053 } };

	private DicomFields() {
	}

	static int[] offsets(byte[] b) {
		List<Integer> out = new ArrayList<>();
		for (int i = 0; i + 8 <= b.length; i++)
			for (int[] t : TAGS) {
				boolean le = (b[i] & 0xFF) == (t[0] & 0xFF) && (b[i + 1] & 0xFF) == t[0] >> 8 && (b[i + 2] & 0xFF) == (t[1] & 0xFF)
						&& (b[i + 3] & 0xFF) == t[1] >> 8;
				boolean be = (b[i] & 0xFF) == t[0] >> 8 && (b[i + 1] & 0xFF) == (t[0] & 0xFF) && (b[i + 2] & 0xFF) == t[1] >> 8
						&& (b[i + 3] & 0xFF) == (t[1] & 0xFF);
				if (le || be) {
					out.add(i + 4); // explicit VR: the VR, then a 2-byte length; implicit VR: a 4-byte length
					out.add(i + 6);
					out.add(i + 8);
				}
			}
		return out.stream().mapToInt(Integer::intValue).toArray();
	}
}
