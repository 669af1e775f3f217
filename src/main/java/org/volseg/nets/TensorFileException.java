package org.volseg.nets;

import java.nio.file.Path;

import org.volseg.VolSegException;

/** A tensor file (safetensors) is corrupt, truncated, or holds something VolSeg cannot read. */
public class TensorFileException extends VolSegException {

	private static final long serialVersionUID = 1L;

	public TensorFileException(Path file, String problem) {
		super(file + ": " + problem);
	}

	public TensorFileException(Path file, String problem, Throwable cause) {
		super(file + ": " + problem, cause);
	}
}
