package org.volseg.tiling;

/**
 * Turns the blended values of one voxel (the weighted sum of the window outputs divided by the
 * summed weights, one value per class) into the values an output keeps: the raw logits, class
 * probabilities, a label, a mask. Implementations are stateless and thread-safe; see
 * {@link SlabFinalizers} for the standard ones.
 */
public interface SlabFinalizer {

	/** Channels this finaliser writes per voxel when the network has {@code classes} output channels. */
	int channels(int classes);

	/**
	 * @param blended {@code classes} values of one voxel, from {@code offset}; may be overwritten
	 * @param out destination; channel {@code k} of the voxel goes to {@code out[outIndex + k * channelStride]}
	 */
	void apply(float[] blended, int offset, int classes, float[] out, int outIndex, int channelStride);

	/**
	 * Whether the output stays the same when all class values of a voxel are multiplied by one
	 * positive factor (argmax). If every output of a {@link Stitcher} says so, it neither keeps the
	 * summed weights nor divides by them: it finalises the weighted sums themselves, and holds
	 * {@code classes} floats per voxel instead of {@code classes + 1}. Default false.
	 */
	default boolean ignoresScale() {
		return false;
	}
}
