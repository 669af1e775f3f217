package org.volseg.weights;

import java.nio.file.Path;

/**
 * A checkpoint's pickle asks for something a tensor dictionary never needs: a global outside
 * the allow-list of {@link SafeUnpickler} (for example {@code os.system}), or an unknown opcode.
 * Nothing of the pickle was executed.
 */
public class UnsafePickleException extends CheckpointException {

	private static final long serialVersionUID = 1L;

	public UnsafePickleException(Path file, String problem) {
		super(file, problem);
	}
}
