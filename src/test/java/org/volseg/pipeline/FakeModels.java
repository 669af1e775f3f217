package org.volseg.pipeline;

import org.volseg.model.ModelDescriptor;
import org.volseg.model.OutputActivation;
import org.volseg.runtime.PatchPredictor;

/** Plain-Java predictors and descriptors for pipeline tests. */
final class FakeModels {

	private FakeModels() {
	}

	/**
	 * Two classes from the first input channel v: logits (0, v - threshold), so the label is 1 where
	 * v &gt; threshold. Counts its calls; can be told to fail at a given call.
	 */
	static final class Threshold implements PatchPredictor {
		final int inputChannels;
		final float threshold;
		int calls;
		int failAtCall = -1;

		Threshold(int inputChannels, float threshold) {
			this.inputChannels = inputChannels;
			this.threshold = threshold;
		}

		@Override
		public int inputChannels() {
			return inputChannels;
		}

		@Override
		public int outputChannels() {
			return 2;
		}

		@Override
		public float[] predict(float[] patches, int batch, int[] size) {
			if (++calls == failAtCall)
				throw new org.volseg.VolSegException("simulated engine failure");
			int voxels = batch * size[0] * size[1] * size[2];
			float[] out = new float[voxels * 2];
			for (int i = 0; i < voxels; i++)
				out[2 * i + 1] = patches[i * inputChannels] - threshold;
			return out;
		}
	}

	/** A two-class softmax model with the given patch size, spacing and orientation (null: none). */
	static ModelDescriptor descriptor(int channels, int patch, double[] spacing, String orientation) {
		ModelDescriptor.Builder b = ModelDescriptor.builder().name("fake threshold").description("test")
				.inputChannels(channels).patchSize(patch, patch, patch).outputActivation(OutputActivation.SOFTMAX)
				.addClass(0, "background", 0, 0, 0).addClass(1, "ball", 255, 0, 0);
		if (spacing != null)
			b.targetSpacingMm(spacing[0], spacing[1], spacing[2]);
		if (orientation != null)
			b.targetOrientation(orientation);
		return b.build();
	}
}
