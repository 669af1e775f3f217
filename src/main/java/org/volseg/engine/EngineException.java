package org.volseg.engine;

import org.volseg.VolSegException;

/**
 * The engine cannot load or run a model: the SavedModel is missing or unreadable, the requested
 * device is unavailable, TensorFlow ran out of memory, patches do not fit the model. The message
 * names the model or parameter and what to do.
 */
public class EngineException extends VolSegException {

	private static final long serialVersionUID = 1L;

	public EngineException(String message) {
		super(message);
	}

	public EngineException(String message, Throwable cause) {
		super(message, cause);
	}
}
