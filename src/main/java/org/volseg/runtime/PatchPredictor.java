package org.volseg.runtime;

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

	/**
	 * As {@link #predict(float[], int, int[])}, but may write the output into {@code reuse} instead of
	 * a new array, so that a sliding window over hundreds of windows does not leave an output-sized
	 * array of garbage per batch. The default ignores {@code reuse}.
	 *
	 * @param reuse an array the caller no longer needs, or null; used only if its length is exactly
	 *        the output's
	 * @return the output: {@code reuse} or a new array
	 */
	default float[] predict(float[] patches, int batch, int[] patchSize, float[] reuse) {
		return predict(patches, batch, patchSize);
	}
}
