package org.volseg.weights;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state dict read from a checkpoint: key -> tensor in file order, and notes on how it was
 * found (which key of a training checkpoint, a stripped {@code module.} prefix, entries that
 * are not tensors), to be shown to the user.
 */
public final class CheckpointContents {

	private final Map<String, StoredTensor> tensors;
	private final List<String> notes;

	public CheckpointContents(Map<String, StoredTensor> tensors, List<String> notes) {
		this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
		this.notes = List.copyOf(notes);
	}

	/** Key -> tensor, in the order the checkpoint lists them. */
	public Map<String, StoredTensor> tensors() {
		return tensors;
	}

	/** One sentence each, for a log or warning line; empty for a plain state dict. */
	public List<String> notes() {
		return notes;
	}
}
