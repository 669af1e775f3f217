package org.volseg.io.dicom;

import java.nio.file.Path;

/**
 * Where DICOM files are parsed: the seam between VolSeg's series assembly (grouping, sorting,
 * geometry, rescale) and a DICOM toolkit. {@link OwnDicomSource} is VolSeg's own parser, the
 * default; an implementation backed by dcm4che (not on Maven Central) can be plugged in where
 * that library is available, by converting its attributes and decoded frames to these types.
 *
 * <p>Implementations must be thread-safe: series are read with several threads.</p>
 */
public interface DicomSource {

	/**
	 * Reads the attributes of a file up to, not including, its pixel data (which need not be read
	 * from disk).
	 *
	 * @throws org.volseg.VolumeFormatException naming the file if it is not DICOM or is corrupt
	 */
	DicomFile readHeader(Path file);

	/** Reads a whole file, pixel data included. */
	DicomFile readFile(Path file);

	/**
	 * Reads a whole file, possibly into {@code scratch} (a buffer the caller reuses from file to
	 * file, to spare allocation); the result is valid only until {@code scratch} is reused. The
	 * default ignores {@code scratch}.
	 */
	default DicomFile readFile(Path file, byte[] scratch) {
		return readFile(file);
	}

	/**
	 * A decoder of the file's frames into stored values.
	 *
	 * @throws org.volseg.VolumeFormatException if the transfer syntax is not supported (the message
	 *         names it and a way out) or the pixel data are inconsistent with the header
	 */
	FrameDecoder decoder(DicomFile file);

	/** True if the file looks like DICOM (cheap; never throws). */
	boolean isDicom(Path file);
}
