package org.volseg.tiling;

/**
 * A network seen from the sliding window: a batch of equally sized patches in, one output per
 * patch voxel out. The engine implements it with TensorFlow; tests implement it in plain Java.
 *
 * <p>Layout of both arrays: row-major {@code [batch, x, y, z, channel]} (channels-last; the channel
 * index varies fastest, then z, then y, then x, then the patch index), float32. The output has the
 * same spatial size as the input patches.</p>
 *
 * <p>Implementations need not be thread-safe: the caller runs one {@code predict} at a time.</p>
 */
public interface PatchPredictor {

	/** Channels each input voxel carries. */
	int inputChannels();

	/** Channels each output voxel carries (classes, or logits per class). */
	int outputChannels();

	/**
	 * @param patches {@code batch * x * y * z * inputChannels()} floats in the layout above; not
	 *        modified, not kept after the call
	 * @param batch number of patches, at least 1
	 * @param patchSize (x, y, z) of every patch
	 * @return {@code batch * x * y * z * outputChannels()} floats in the layout above; the caller
	 *         owns the array
	 */
	float[] predict(float[] patches, int batch, int[] patchSize);
}
