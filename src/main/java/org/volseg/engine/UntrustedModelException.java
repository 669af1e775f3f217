package org.volseg.engine;

import java.util.List;

/**
 * A model's SavedModel holds operations outside VolSeg's allow-list ({@link ModelOpCheck}): ones
 * that could read or write the user's files, run Python or reach the network. The message names
 * the package and every such operation, and says how to run it anyway ({@code --trust-model}).
 */
public class UntrustedModelException extends EngineException {

	private static final long serialVersionUID = 1L;

	private final List<String> ops;

	public UntrustedModelException(String model, List<String> ops) {
		super(model + ": the model's graph holds operations that VolSeg does not run for a model it cannot trust: "
				+ String.join(", ", ops) + ". Such operations can read or write files, run Python or reach the network;"
				+ " a model package is code. Run it only if you trust its author: add --trust-model (Fiji: tick"
				+ " \"Trust this model\").");
		this.ops = List.copyOf(ops);
	}

	/** The refused operations, sorted. */
	public List<String> ops() {
		return ops;
	}
}
