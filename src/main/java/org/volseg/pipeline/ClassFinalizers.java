package org.volseg.pipeline;

import org.volseg.tiling.SlabFinalizer;

/**
 * Label finalisers that write the model's class labels (not channel indices) for independent
 * (sigmoid) classes; for exclusive classes see {@link org.volseg.tiling.SlabFinalizers#argmax(int[])}.
 * Stateless and thread-safe.
 */
final class ClassFinalizers {

	private ClassFinalizers() {
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

	/**
	 * For a region-to-label mapping (BraTS): the label of the first region, in priority order, whose
	 * sigmoid reaches {@code threshold}, else 0 (compared on the logit, as {@link #sigmoidLabels}).
	 */
	static SlabFinalizer regionLabels(java.util.List<org.volseg.model.MonaiOptions.RegionLabel> regions, float threshold) {
		int[] channel = regions.stream().mapToInt(r -> r.channel()).toArray();
		int[] label = regions.stream().mapToInt(r -> r.label()).toArray();
		float logit = (float) Math.log(threshold / (1.0 - threshold));
		return new SlabFinalizer() {
			@Override
			public int channels(int classes) {
				return 1;
			}

			@Override
			public void apply(float[] v, int off, int classes, float[] out, int outIndex, int stride) {
				float result = 0;
				for (int i = 0; i < channel.length; i++)
					if (v[off + channel[i]] >= logit) {
						result = label[i];
						break;
					}
				out[outIndex] = result;
			}
		};
	}
}
