package org.volseg.io.dicom;

import java.util.Locale;

/**
 * A DICOM transfer syntax: how a file's data set is encoded (VR explicit or implicit, byte order,
 * deflate) and how its pixel data are compressed.
 */
public enum TransferSyntax {
	IMPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false, Codec.NATIVE),
	EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false, Codec.NATIVE),
	DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true, Codec.NATIVE),
	EXPLICIT_VR_BIG_ENDIAN("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, true, false, Codec.NATIVE),
	RLE_LOSSLESS("1.2.840.10008.1.2.5", "RLE Lossless", true, false, false, Codec.RLE),
	JPEG_BASELINE("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", true, false, false, Codec.JPEG),
	JPEG_EXTENDED("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 and 4)", true, false, false, Codec.JPEG),
	JPEG_LOSSLESS("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", true, false, false, Codec.JPEG),
	JPEG_LOSSLESS_SV1("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])", true, false, false, Codec.JPEG),
	JPEG_LS_LOSSLESS("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression", true, false, false, Codec.JPEG_LS),
	JPEG_LS_NEAR_LOSSLESS("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression", true, false, false, Codec.JPEG_LS),
	JPEG_2000_LOSSLESS("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)", true, false, false, Codec.JPEG_2000),
	JPEG_2000("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", true, false, false, Codec.JPEG_2000);

	/** How the pixel data of a transfer syntax are decoded. */
	public enum Codec {
		NATIVE, RLE, JPEG, JPEG_LS, JPEG_2000, UNSUPPORTED
	}

	private final String uid;
	private final String displayName;
	private final boolean explicitVr;
	private final boolean bigEndian;
	private final boolean deflated;
	private final Codec codec;

	TransferSyntax(String uid, String displayName, boolean explicitVr, boolean bigEndian, boolean deflated, Codec codec) {
		this.uid = uid;
		this.displayName = displayName;
		this.explicitVr = explicitVr;
		this.bigEndian = bigEndian;
		this.deflated = deflated;
		this.codec = codec;
	}

	/** The known transfer syntax with this UID, or null. */
	public static TransferSyntax ofUid(String uid) {
		for (TransferSyntax t : values())
			if (t.uid.equals(uid))
				return t;
		return null;
	}

	/**
	 * What a user can do with pixel data in a transfer syntax this package does not decode: a
	 * conversion tool that rewrites the file uncompressed.
	 */
	public static String conversionHint(String uid) {
		String u = uid == null ? "" : uid;
		if (u.equals(JPEG_LS_LOSSLESS.uid) || u.equals(JPEG_LS_NEAR_LOSSLESS.uid))
			return "convert the files to uncompressed DICOM first, e.g. with dcmtk's `dcmdjpls IN OUT`"
					+ " (or `gdcmconv --raw IN OUT`)";
		if (u.startsWith("1.2.840.10008.1.2.4.5") || u.startsWith("1.2.840.10008.1.2.4.6")
				|| u.startsWith("1.2.840.10008.1.2.4.7"))
			return "convert the files to uncompressed DICOM first, e.g. with dcmtk's `dcmdjpeg IN OUT`"
					+ " (or `gdcmconv --raw IN OUT`)";
		return "convert the files to uncompressed DICOM first, e.g. with `gdcmconv --raw IN OUT`"
				+ " or dcmtk's `dcmconv +te IN OUT`";
	}

	public String uid() {
		return uid;
	}

	/** The transfer syntax's name in the DICOM standard. */
	public String displayName() {
		return displayName;
	}

	public boolean explicitVr() {
		return explicitVr;
	}

	public boolean bigEndian() {
		return bigEndian;
	}

	public boolean deflated() {
		return deflated;
	}

	public Codec codec() {
		return codec;
	}

	/** True if pixel data are stored in encapsulated (fragmented) form. */
	public boolean encapsulated() {
		return codec != Codec.NATIVE;
	}

	@Override
	public String toString() {
		return displayName + " (" + uid + ")";
	}

	static String describe(String uid) {
		TransferSyntax t = ofUid(uid);
		return t != null ? t.toString() : "transfer syntax " + uid.toLowerCase(Locale.ROOT);
	}
}
