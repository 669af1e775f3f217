package org.volseg;


/**
 * The user cancelled a long operation (a sliding-window inference). Consumers may have received
 * part of the output: whoever writes files deletes the partial ones.
 */
public class CancelledException extends VolSegException {

	private static final long serialVersionUID = 1L;

	public CancelledException(String message) {
		super(message);
	}
}
