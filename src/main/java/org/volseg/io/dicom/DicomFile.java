package org.volseg.io.dicom;

import java.nio.file.Path;

/**
 * One parsed DICOM file: its file meta information, its data set and, if requested, its raw
 * pixel data. Immutable once built; the pixel data keep the file's bytes in memory.
 */
public final class DicomFile {

	private final Path path;
	private final String transferSyntaxUid;
	private final DicomDataset meta;
	private final DicomDataset dataset;
	private final PixelData pixelData;
	private final long pixelDataLength;
	private final java.util.List<String> notes;

	DicomFile(Path path, String transferSyntaxUid, DicomDataset meta, DicomDataset dataset, PixelData pixelData,
			long pixelDataLength, java.util.List<String> notes) {
		this.pixelDataLength = pixelDataLength;
		this.notes = java.util.List.copyOf(notes);
		this.path = path;
		this.transferSyntaxUid = transferSyntaxUid;
		this.meta = meta;
		this.dataset = dataset;
		this.pixelData = pixelData;
	}

	public Path path() {
		return path;
	}

	/** The transfer syntax UID from the file meta group, or the one guessed for a file without it. */
	public String transferSyntaxUid() {
		return transferSyntaxUid;
	}

	/** The transfer syntax, or null if this package does not know its UID. */
	public TransferSyntax transferSyntax() {
		return TransferSyntax.ofUid(transferSyntaxUid);
	}

	/** File meta information (group 0002); empty for a file without it. */
	public DicomDataset meta() {
		return meta;
	}

	/** The main data set, without private attributes and pixel data. */
	public DicomDataset dataset() {
		return dataset;
	}

	/** True if the pixel data were read (a full read of a file that has them). */
	public boolean hasPixelData() {
		return pixelData != null;
	}

	/** Length in bytes the pixel data element declares: -1 if undefined (encapsulated), -2 if there is none. */
	public long pixelDataLength() {
		return pixelDataLength;
	}

	/**
	 * What the parser tolerated in this file, one line each naming it (for example zero padding
	 * after the pixel data); empty for a clean file.
	 */
	public java.util.List<String> notes() {
		return notes;
	}

	PixelData pixelData() {
		return pixelData;
	}
}
