package org.volseg;

/**
 * Base of every error a user can cause: a corrupt or unsupported file, a bad parameter, a model
 * whose input does not fit. The message names the file or parameter and says what to do, so it
 * can be shown to the user as it is.
 *
 * <p>Subclasses say which part of VolSeg refused the input. Programming errors stay ordinary
 * runtime exceptions.</p>
 */
public class VolSegException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public VolSegException(String message) {
		super(message);
	}

	public VolSegException(String message, Throwable cause) {
		super(message, cause);
	}
}
