package org.volseg.io.dicom;

import java.nio.file.Path;

import org.volseg.VolumeFormatException;

/** A file is not DICOM at all (a folder scan skips such files quietly). */
final class NotDicomException extends VolumeFormatException {

	private static final long serialVersionUID = 1L;

	public NotDicomException(Path file, String problem) {
		super(file, problem);
	}
}
