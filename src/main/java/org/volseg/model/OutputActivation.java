package org.volseg.model;

import java.util.Locale;

/** What turns the network's raw outputs (logits) into class scores. */
public enum OutputActivation {
	/** Mutually exclusive classes: softmax over channels, label = argmax. */
	SOFTMAX,
	/** Independent (possibly overlapping) classes: sigmoid per channel, threshold 0.5. */
	SIGMOID,
	/** The network already outputs scores: label = argmax. */
	NONE;

	public String yamlName() {
		return name().toLowerCase(Locale.ROOT);
	}
}
