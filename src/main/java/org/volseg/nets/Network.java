package org.volseg.nets;

import org.volseg.util.Json;
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
	 * size. If {@link #acceptsOtherSpatialShapes()}, the size the network is usually run on (its
	 * training patch size), to use as the default patch size.
	 */
	long[] inputSpatialShape();

	/**
	 * Whether the graph runs on other spatial sizes than {@link #inputSpatialShape()} (its input
	 * placeholder's d0..d2 are then unknown until run time; {@link #outputSpatialShape} says which
	 * sizes work). Default {@code false}.
	 */
	default boolean acceptsOtherSpatialShapes() {
		return false;
	}

	/**
	 * The output's spatial size for an input's spatial size, as the reference computes it.
	 *
	 * @throws org.volseg.InvalidParameterException naming the input size if the network cannot run
	 *         on it. Default: the input size, which must equal {@link #inputSpatialShape()}.
	 */
	default long[] outputSpatialShape(long[] inputSpatialShape) {
		if (!java.util.Arrays.equals(inputSpatialShape, inputSpatialShape())) {
			throw org.volseg.InvalidParameterException.of("input size", java.util.Arrays.toString(inputSpatialShape),
					java.util.Arrays.toString(inputSpatialShape()) + " for " + architecture());
		}
		return inputSpatialShape.clone();
	}

	/**
	 * Floating-point operations of one forward pass of the reference network on one sample of the
	 * given spatial size, counted as 2 per multiply-add of its convolutions, linear layers and
	 * attention products (the work the pass stands for, whatever VolSeg's graph executes instead),
	 * for benchmarks; NaN (the default) if the network does not count them, in which case the
	 * multiply-adds its graph counts while being built ({@link NetworkGraph#multiplyAddsPerSample()})
	 * stand in.
	 */
	default double referenceFlops(long[] spatialSize) {
		return Double.NaN;
	}

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
		return architecture() + " " + Json.writeCompact(config());
	}
}
