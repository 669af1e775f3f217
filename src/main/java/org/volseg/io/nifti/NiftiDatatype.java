package org.volseg.io.nifti;

/**
 * The NIfTI voxel datatypes VolSeg reads and writes, with their header codes ({@code datatype}
 * field) and the names used in reports (nibabel's numpy names, for example {@code int16}).
 */
public enum NiftiDatatype {
	UINT8(2, "uint8", 1, true, 0, 255),
	INT16(4, "int16", 2, true, Short.MIN_VALUE, Short.MAX_VALUE),
	INT32(8, "int32", 4, true, Integer.MIN_VALUE, Integer.MAX_VALUE),
	FLOAT32(16, "float32", 4, false, -Float.MAX_VALUE, Float.MAX_VALUE),
	FLOAT64(64, "float64", 8, false, -Double.MAX_VALUE, Double.MAX_VALUE),
	INT8(256, "int8", 1, true, Byte.MIN_VALUE, Byte.MAX_VALUE),
	UINT16(512, "uint16", 2, true, 0, 65535),
	UINT32(768, "uint32", 4, true, 0, 4294967295.0),
	INT64(1024, "int64", 8, true, Long.MIN_VALUE, Math.nextDown(0x1p63));

	private final int code;
	private final String label;
	private final int bytes;
	private final boolean integer;
	private final double min;
	private final double max;

	NiftiDatatype(int code, String label, int bytes, boolean integer, double min, double max) {
		this.code = code;
		this.label = label;
		this.bytes = bytes;
		this.integer = integer;
		this.min = min;
		this.max = max;
	}

	/** The header's {@code datatype} code, for example 4 for int16. */
	public int code() {
		return code;
	}

	/** The lower-case name, for example {@code "int16"}. */
	public String label() {
		return label;
	}

	/** Bytes per voxel on disk. */
	public int bytes() {
		return bytes;
	}

	public boolean isInteger() {
		return integer;
	}

	/** Smallest storable value. */
	public double min() {
		return min;
	}

	/** Largest storable value. */
	public double max() {
		return max;
	}

	/** The datatype with this header code, or null if VolSeg does not support it. */
	public static NiftiDatatype ofCode(int code) {
		for (NiftiDatatype t : values())
			if (t.code == code)
				return t;
		return null;
	}

	/** The datatype with this name (case-insensitive), or null. */
	public static NiftiDatatype ofLabel(String label) {
		for (NiftiDatatype t : values())
			if (t.label.equalsIgnoreCase(label))
				return t;
		return null;
	}

	/** A readable name for any NIfTI datatype code, supported or not (for error messages). */
	public static String describeCode(int code) {
		NiftiDatatype t = ofCode(code);
		if (t != null)
			return t.label;
		switch (code) {
		case 0: return "0 (unknown)";
		case 1: return "1 (binary)";
		case 32: return "32 (complex64)";
		case 128: return "128 (RGB24)";
		case 255: return "255 (all)";
		case 1280: return "1280 (uint64)";
		case 1536: return "1536 (float128)";
		case 1792: return "1792 (complex128)";
		case 2048: return "2048 (complex256)";
		case 2304: return "2304 (RGBA32)";
		default: return code + " (not a NIfTI datatype)";
		}
	}
}
