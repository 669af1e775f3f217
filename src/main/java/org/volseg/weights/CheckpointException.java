package org.volseg.weights;

import java.nio.file.Path;

import org.volseg.VolSegException;

/**
 * A checkpoint file (a {@code torch.save} zip) is corrupt, truncated, or holds something VolSeg
 * does not read. The message starts with the file and says what is wrong.
 */
public class CheckpointException extends VolSegException {

	private static final long serialVersionUID = 1L;

	public CheckpointException(Path file, String problem) {
		super(file + ": " + problem);
	}

	public CheckpointException(Path file, String problem, Throwable cause) {
		super(file + ": " + problem, cause);
	}
}
