package org.volseg.pipeline;

import org.volseg.tiling.SlabFinalizer;

/**
 * Label finalisers that write the model's class labels (not channel indices). Stateless and
 * thread-safe.
 */
final class ClassFinalizers {

	private ClassFinalizers() {
	}

	/**
	 * The label of the channel with the largest blended value (the first on ties, as
	 * {@code torch.argmax}); softmax does not change the argmax, so it is taken on the logits.
	 *
	 * @param labelOf the label of each output channel
	 */
	static SlabFinalizer argmaxLabels(int[] labelOf) {
		int[] labels = labelOf.clone();
		return new SlabFinalizer() {
			@Override
			public int channels(int classes) {
				return 1;
			}

			@Override
			public void apply(float[] v, int off, int classes, float[] out, int outIndex, int stride) {
				int best = 0;
				float max = v[off];
				for (int c = 1; c < classes; c++)
					if (v[off + c] > max) {
						max = v[off + c];
						best = c;
					}
				out[outIndex] = labels[best];
			}
		};
	}

	/**
	 * For independent (sigmoid) classes: the label of the channel with the largest value among those
	 * whose sigmoid reaches {@code threshold}, else 0. Sigmoid is monotonic, so the comparison with
	 * the threshold is done on the logit {@code log(t / (1 - t))}.
	 */
	static SlabFinalizer sigmoidLabels(int[] labelOf, float threshold) {
		int[] labels = labelOf.clone();
		float logit = (float) Math.log(threshold / (1.0 - threshold));
		return new SlabFinalizer() {
			@Override
			public int channels(int classes) {
				return 1;
			}

			@Override
			public void apply(float[] v, int off, int classes, float[] out, int outIndex, int stride) {
				int best = -1;
				float max = Float.NEGATIVE_INFINITY;
				for (int c = 0; c < classes; c++)
					if (v[off + c] >= logit && v[off + c] > max) {
						max = v[off + c];
						best = c;
					}
				out[outIndex] = best < 0 ? 0 : labels[best];
			}
		};
	}
}
