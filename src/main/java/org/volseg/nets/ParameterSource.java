package org.volseg.nets;

/**
 * Supplies a network's parameters while its graph is built, by reference key and in the
 * reference (PyTorch) layout. Implementations collect problems instead of failing at the first
 * one, so that {@link #finish()} can report every missing, misshapen and unexpected key at once.
 *
 * <p>Used by one graph build at a time; not thread-safe.</p>
 */
public interface ParameterSource {

	/**
	 * The parameter {@code key} with the given shape. If it is missing or has another shape, the
	 * problem is recorded and a placeholder of the right shape is returned so the build can go on.
	 *
	 * @param init how to fill it when weights are random
	 */
	FloatTensor take(String key, long[] shape, Init init);

	/**
	 * Marks a key that the checkpoint may hold but the forward pass does not need (for example
	 * BatchNorm's {@code num_batches_tracked}), so it is not reported as unexpected.
	 */
	void acceptIfPresent(String key);

	/**
	 * Called once after the graph is built.
	 *
	 * @throws WeightImportException listing every missing key, wrong shape and unexpected key
	 */
	void finish();
}
