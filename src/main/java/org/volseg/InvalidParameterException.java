package org.volseg;

/** A parameter (of a command, a settings object or a method) has a value VolSeg cannot use. */
public class InvalidParameterException extends VolSegException {

	private static final long serialVersionUID = 1L;

	public InvalidParameterException(String message) {
		super(message);
	}

	/**
	 * @param parameter the parameter's user-facing name, for example {@code --overlap}
	 * @param value the value that was given
	 * @param expectation what would have been accepted, for example {@code "a number in [0, 1)"}
	 */
	public static InvalidParameterException of(String parameter, Object value, String expectation) {
		return new InvalidParameterException(parameter + ": expected " + expectation + ", got " + value);
	}
}
