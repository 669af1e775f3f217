package org.volseg.runtime;

import java.util.Objects;

/**
 * Base of a {@link PatchPredictor} that wraps another (timing it, averaging it over flips, ...):
 * channels come from the wrapped predictor, and the three-argument {@code predict} forwards to the
 * four-argument one, the only method a subclass writes. Does not close the wrapped predictor.
 */
public abstract class ForwardingPatchPredictor implements PatchPredictor {

	/** The wrapped predictor, never null. */
	protected final PatchPredictor predictor;

	protected ForwardingPatchPredictor(PatchPredictor predictor) {
		this.predictor = Objects.requireNonNull(predictor, "predictor");
	}

	@Override
	public int inputChannels() {
		return predictor.inputChannels();
	}

	@Override
	public int outputChannels() {
		return predictor.outputChannels();
	}

	@Override
	public final float[] predict(float[] patches, int batch, int[] patchSize) {
		return predict(patches, batch, patchSize, null);
	}

	@Override
	public abstract float[] predict(float[] patches, int batch, int[] patchSize, float[] reuse);
}
