package org.volseg.bundle;

import org.volseg.VolSegException;

/** A MONAI bundle that cannot be read or imported; the message names the file or config key. */
public class BundleException extends VolSegException {

	private static final long serialVersionUID = 1L;

	public BundleException(String message) {
		super(message);
	}

	public BundleException(String message, Throwable cause) {
		super(message, cause);
	}
}
