package org.volseg.nets;

import java.util.List;
import java.util.Map;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A configured network architecture: what {@link Architecture#configure} returns for one set of
 * the reference constructor's keyword arguments. It knows its input/output contract and builds
 * its forward pass (eval mode) into a TensorFlow graph. Immutable.
 */
public interface Network {

	/** The architecture's registry name, for example {@code "unetr"}. */
	String architecture();

	/**
	 * The complete configuration as the reference constructor's keyword arguments (defaults
	 * filled in), JSON-compatible values only; recorded in model packages.
	 */
	Map<String, Object> config();

	/** Channels of the input. */
	int inputChannels();

	/** Channels of the output (classes or logits). */
	int outputChannels();

	/**
	 * Spatial input size (d0, d1, d2) the graph is built for. The output has the same spatial
	 * size.
	 */
	long[] inputSpatialShape();

	/**
	 * Glob patterns ({@code *} = any characters) of state_dict keys that the reference creates
	 * but its forward pass never uses; an import accepts and ignores exactly these.
	 */
	List<String> unusedKeyPatterns();

	/**
	 * Adds the forward pass to the graph.
	 *
	 * @param layers the layer toolkit bound to the graph and the parameters
	 * @param input {@code [batch, d0, d1, d2, inputChannels()]}, batch dynamic
	 * @return {@code [batch, d0, d1, d2, outputChannels()]}: raw outputs (logits), as the reference's forward
	 */
	Operand<TFloat32> build(Layers layers, Operand<TFloat32> input);

	/** Short description for messages: architecture and configuration. */
	default String describe() {
		return architecture() + " " + Json.write(config());
	}
}
