package org.volseg.io.nifti;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.volseg.VolumeFormatException;

/**
 * Decodes and encodes the binary NIfTI-1 (348 bytes) and NIfTI-2 (540 bytes) headers, in either
 * byte order, and checks everything that could make reading the voxels go wrong: the magic string,
 * the number and size of the dimensions, their product, the datatype and the data offset. Stateless.
 */
final class NiftiHeaderCodec {

	/** Bytes of the NIfTI-1 header. */
	public static final int SIZE_1 = 348;
	/** Bytes of the NIfTI-2 header. */
	public static final int SIZE_2 = 540;

	private static final byte[] MAGIC_2 = { 'n', '+', '2', 0, '\r', '\n', 0x1a, '\n' };

	private NiftiHeaderCodec() {}

	/**
	 * The header size announced by a file's first four bytes ({@code sizeof_hdr}), which also tells
	 * the version and byte order.
	 *
	 * @return {@link #SIZE_1} or {@link #SIZE_2}
	 * @throws VolumeFormatException if it is neither, in either byte order
	 */
	public static int headerSize(byte[] first4, Path file) {
		for (ByteOrder order : new ByteOrder[] { ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN }) {
			int size = ByteBuffer.wrap(first4).order(order).getInt(0);
			if (size == SIZE_1 || size == SIZE_2)
				return size;
		}
		throw new VolumeFormatException(file, "not a NIfTI file: its first four bytes (sizeof_hdr) are neither 348 "
				+ "(NIfTI-1) nor 540 (NIfTI-2) in either byte order. Check that the file is a .nii or .nii.gz volume.");
	}

	/**
	 * Decodes a complete header.
	 *
	 * @param bytes at least {@link #SIZE_1} or {@link #SIZE_2} bytes, as {@link #headerSize} said
	 * @throws VolumeFormatException naming the file and the field at fault
	 */
	public static NiftiHeader decode(byte[] bytes, Path file) {
		int size = headerSize(bytes, file);
		ByteBuffer b = ByteBuffer.wrap(bytes);
		b.order(ByteOrder.LITTLE_ENDIAN);
		if (b.getInt(0) != size)
			b.order(ByteOrder.BIG_ENDIAN);
		return size == SIZE_1 ? decode1(b, file) : decode2(b, file);
	}

	private static NiftiHeader decode1(ByteBuffer b, Path file) {
		String magic = text(b, 344, 4);
		if (magic.equals("ni1"))
			throw new VolumeFormatException(file, "is the header of a NIfTI-1 .hdr/.img pair, which VolSeg does not read; "
					+ "convert it to a single .nii file (for example with nibabel or fslchfiletype).");
		if (!magic.equals("n+1"))
			throw new VolumeFormatException(file, "wrong NIfTI-1 magic string '" + printable(b, 344, 4)
					+ "' (expected 'n+1'); the file is corrupt or an Analyze 7.5 file, which VolSeg does not read.");
		long[] dim = new long[8];
		for (int i = 0; i < 8; i++)
			dim[i] = b.getShort(40 + 2 * i);
		double[] pixdim = new double[8];
		for (int i = 0; i < 8; i++)
			pixdim[i] = b.getFloat(76 + 4 * i);
		double[][] srow = new double[3][4];
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 4; c++)
				srow[r][c] = b.getFloat(280 + 16 * r + 4 * c);
		double voxOffset = b.getFloat(108);
		NiftiDatatype type = datatype(b.getShort(70), file);
		checkDims(dim, file);
		return new NiftiHeader(1, b.order(), dim, type, pixdim, offset(voxOffset, SIZE_1, file),
				b.getFloat(112), b.getFloat(116), b.getShort(252), b.getShort(254),
				new double[] { b.getFloat(256), b.getFloat(260), b.getFloat(264) },
				new double[] { b.getFloat(268), b.getFloat(272), b.getFloat(276) }, srow,
				b.getShort(68), text(b, 148, 80));
	}

	private static NiftiHeader decode2(ByteBuffer b, Path file) {
		byte[] magic = new byte[8];
		b.get(4, magic);
		if (magic[0] == 'n' && magic[1] == 'i' && magic[2] == '2')
			throw new VolumeFormatException(file, "is the header of a NIfTI-2 .hdr/.img pair, which VolSeg does not read; "
					+ "convert it to a single .nii file.");
		if (!java.util.Arrays.equals(magic, MAGIC_2))
			throw new VolumeFormatException(file, "wrong NIfTI-2 magic string '" + printable(b, 4, 8)
					+ "' (expected 'n+2' followed by \\0\\r\\n\\032\\n); the file is corrupt.");
		long[] dim = new long[8];
		for (int i = 0; i < 8; i++)
			dim[i] = b.getLong(16 + 8 * i);
		double[] pixdim = new double[8];
		for (int i = 0; i < 8; i++)
			pixdim[i] = b.getDouble(104 + 8 * i);
		double[][] srow = new double[3][4];
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 4; c++)
				srow[r][c] = b.getDouble(400 + 32 * r + 8 * c);
		NiftiDatatype type = datatype(b.getShort(12), file);
		checkDims(dim, file);
		return new NiftiHeader(2, b.order(), dim, type, pixdim, offset(b.getLong(168), SIZE_2, file),
				b.getDouble(176), b.getDouble(184), b.getInt(344), b.getInt(348),
				new double[] { b.getDouble(352), b.getDouble(360), b.getDouble(368) },
				new double[] { b.getDouble(376), b.getDouble(384), b.getDouble(392) }, srow,
				b.getInt(504), text(b, 240, 80));
	}

	private static NiftiDatatype datatype(int code, Path file) {
		NiftiDatatype t = NiftiDatatype.ofCode(code);
		if (t == null)
			throw new VolumeFormatException(file, "unsupported NIfTI datatype " + NiftiDatatype.describeCode(code)
					+ "; VolSeg reads uint8, int8, uint16, int16, uint32, int32, int64, float32 and float64. "
					+ "Convert the file to one of these (for example with nibabel or fslmaths -odt).");
		return t;
	}

	private static void checkDims(long[] dim, Path file) {
		if (dim[0] < 1 || dim[0] > 7)
			throw new VolumeFormatException(file, "invalid number of dimensions dim[0] = " + dim[0]
					+ " (must be 1 to 7); the header is corrupt.");
		long product = 1;
		for (int d = 1; d <= dim[0]; d++) {
			if (dim[d] < 1)
				throw new VolumeFormatException(file, "invalid size dim[" + d + "] = " + dim[d]
						+ " (every dimension must be at least 1); the header is corrupt.");
			try {
				product = Math.multiplyExact(product, dim[d]);
			} catch (ArithmeticException e) {
				throw new VolumeFormatException(file, "the dimensions " + describe(dim)
						+ " multiply to more voxels than any file can hold; the header is corrupt.");
			}
		}
		if (product > Long.MAX_VALUE / 8)
			throw new VolumeFormatException(file, "the dimensions " + describe(dim)
					+ " multiply to more voxels than any file can hold; the header is corrupt.");
	}

	private static long offset(double voxOffset, int headerSize, Path file) {
		if (!Double.isFinite(voxOffset) || voxOffset < 0 || voxOffset > 1L << 40 || voxOffset != Math.rint(voxOffset))
			throw new VolumeFormatException(file, "invalid vox_offset " + voxOffset + "; the header is corrupt.");
		long o = (long) voxOffset;
		// vox_offset 0 (or anything inside the header) in a single file means: right after the 4 extension bytes
		return o < headerSize ? headerSize + 4 : o;
	}

	/** Human-readable dim[1..dim[0]], for messages. */
	static String describe(long[] dim) {
		StringBuilder s = new StringBuilder();
		for (int d = 1; d <= Math.min(dim[0], 7); d++)
			s.append(d > 1 ? "x" : "").append(dim[d]);
		return s.toString();
	}

	/**
	 * Encodes a header followed by four zero extension bytes ("no extensions"): 352 bytes for
	 * NIfTI-1, 544 for NIfTI-2. The header's {@code voxOffset} is written as given.
	 */
	public static byte[] encode(NiftiHeader h) {
		ByteBuffer b = ByteBuffer.allocate(h.version() == 1 ? SIZE_1 + 4 : SIZE_2 + 4).order(h.byteOrder());
		if (h.version() == 1)
			encode1(h, b);
		else
			encode2(h, b);
		return b.array();
	}

	private static void encode1(NiftiHeader h, ByteBuffer b) {
		b.putInt(0, SIZE_1);
		b.put(38, (byte) 'r');
		for (int i = 0; i < 8; i++)
			b.putShort(40 + 2 * i, (short) h.dim()[i]);
		b.putShort(68, (short) h.intentCode());
		b.putShort(70, (short) h.datatype().code());
		b.putShort(72, (short) (8 * h.datatype().bytes()));
		for (int i = 0; i < 8; i++)
			b.putFloat(76 + 4 * i, (float) h.pixdim()[i]);
		b.putFloat(108, h.voxOffset());
		b.putFloat(112, (float) h.sclSlope());
		b.putFloat(116, (float) h.sclInter());
		b.put(123, (byte) 2); // xyzt_units: mm
		putText(b, 148, 80, h.description());
		b.putShort(252, (short) h.qformCode());
		b.putShort(254, (short) h.sformCode());
		for (int i = 0; i < 3; i++) {
			b.putFloat(256 + 4 * i, (float) h.quatern()[i]);
			b.putFloat(268 + 4 * i, (float) h.qoffset()[i]);
		}
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 4; c++)
				b.putFloat(280 + 16 * r + 4 * c, (float) h.srow()[r][c]);
		putText(b, 344, 4, "n+1");
	}

	private static void encode2(NiftiHeader h, ByteBuffer b) {
		b.putInt(0, SIZE_2);
		b.put(4, MAGIC_2);
		b.putShort(12, (short) h.datatype().code());
		b.putShort(14, (short) (8 * h.datatype().bytes()));
		for (int i = 0; i < 8; i++)
			b.putLong(16 + 8 * i, h.dim()[i]);
		for (int i = 0; i < 8; i++)
			b.putDouble(104 + 8 * i, h.pixdim()[i]);
		b.putLong(168, h.voxOffset());
		b.putDouble(176, h.sclSlope());
		b.putDouble(184, h.sclInter());
		putText(b, 240, 80, h.description());
		b.putInt(344, h.qformCode());
		b.putInt(348, h.sformCode());
		for (int i = 0; i < 3; i++) {
			b.putDouble(352 + 8 * i, h.quatern()[i]);
			b.putDouble(376 + 8 * i, h.qoffset()[i]);
		}
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 4; c++)
				b.putDouble(400 + 32 * r + 8 * c, h.srow()[r][c]);
		b.putInt(500, 2); // xyzt_units: mm
		b.putInt(504, h.intentCode());
	}

	private static String text(ByteBuffer b, int at, int length) {
		int n = 0;
		while (n < length && b.get(at + n) != 0)
			n++;
		byte[] s = new byte[n];
		b.get(at, s);
		return new String(s, StandardCharsets.ISO_8859_1).trim();
	}

	private static String printable(ByteBuffer b, int at, int length) {
		StringBuilder s = new StringBuilder();
		for (int i = 0; i < length; i++) {
			int c = b.get(at + i) & 0xff;
			s.append(c >= 32 && c < 127 ? String.valueOf((char) c) : String.format("\\x%02x", c));
		}
		return s.toString();
	}

	private static void putText(ByteBuffer b, int at, int length, String s) {
		byte[] t = s == null ? new byte[0] : s.getBytes(StandardCharsets.ISO_8859_1);
		b.put(at, t, 0, Math.min(t.length, length - 1));
	}
}
