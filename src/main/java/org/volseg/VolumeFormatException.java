package org.volseg;

import java.nio.file.Path;

/** A volume file (NIfTI, DICOM) is corrupt, truncated or uses something VolSeg does not support. */
public class VolumeFormatException extends VolSegException {

	private static final long serialVersionUID = 1L;

	public VolumeFormatException(Path file, String problem) {
		super(file + ": " + problem);
	}

	public VolumeFormatException(Path file, String problem, Throwable cause) {
		super(file + ": " + problem, cause);
	}
}
