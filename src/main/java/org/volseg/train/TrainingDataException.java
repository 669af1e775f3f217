package org.volseg.train;

import org.volseg.VolSegException;

/** Training data a user gave that cannot be used: unpaired files, mismatched grids, bad labels. */
public class TrainingDataException extends VolSegException {

	private static final long serialVersionUID = 1L;

	public TrainingDataException(String message) {
		super(message);
	}

	public TrainingDataException(String message, Throwable cause) {
		super(message, cause);
	}
}
