package org.volseg.architecture.violations.b;

import org.volseg.architecture.violations.a.UsesImageJ;

/** Breaks rules on purpose, for {@code ArchitectureTest}: TensorFlow outside the engine, an engine class, a cycle. */
public final class CallsBack {
	public UsesImageJ partner;
	public org.tensorflow.Graph graph;
	public org.volseg.engine.Engine engine;
}
