package org.volseg.tiling;

/**
 * Turns the blended values of one voxel (one value per class: the weighted sum of the window
 * outputs divided by the summed weights) into the values an output keeps: the raw logits, class
 * probabilities, a label, a mask. The standard ones are the static methods of this interface:
 * {@link #raw()}, {@link #softmax()}, {@link #sigmoid()} (values); {@link #argmax(int[])},
 * {@link #sigmoidLabels(int[], float)}, {@link #regionLabels(int[], int[], float)} (labels, one
 * channel); {@link #threshold(float)}, {@link #sigmoidThreshold(float)} (masks). All are stateless
 * and thread-safe.
 */
public interface Finalizer {

	/** Channels this finaliser writes per voxel when the network has {@code classes} output channels. */
	int channels(int classes);

	/**
	 * @param blended {@code classes} values of one voxel, from {@code offset}; may be overwritten
	 * @param out destination; channel {@code k} of the voxel goes to {@code out[outIndex + k * channelStride]}
	 */
	void apply(float[] blended, int offset, int classes, float[] out, int outIndex, int channelStride);

	/**
	 * Whether the output stays the same when all class values of a voxel are multiplied by one
	 * positive factor (argmax). If every output of a stitcher says so, it neither keeps the summed
	 * weights nor divides by them: it finalises the weighted sums themselves, and holds
	 * {@code classes} floats per voxel instead of {@code classes + 1}. Default false.
	 */
	default boolean ignoresScale() {
		return false;
	}

	/** The blended network outputs as they are (MONAI's {@code sliding_window_inference} result). */
	static Finalizer raw() {
		return new FinalizerBase("raw", false) {
			@Override
			public void apply(float[] v, int off, int classes, float[] out, int outIndex, int stride) {
				for (int c = 0; c < classes; c++)
					out[outIndex + c * stride] = v[off + c];
			}
		};
	}

	/**
	 * Softmax over the classes of each voxel ({@code exp(v_c - max) / sum_k exp(v_k - max)}, the
	 * sums in double precision): per-class probabilities that add up to 1.
	 */
	static Finalizer softmax() {
		return new FinalizerBase("softmax", false) {
			@Override
			public void apply(float[] v, int off, int classes, float[] out, int outIndex, int stride) {
				float max = Float.NEGATIVE_INFINITY;
				for (int c = 0; c < classes; c++)
					max = Math.max(max, v[off + c]);
				double sum = 0;
				for (int c = 0; c < classes; c++) {
					double e = Math.exp(v[off + c] - max);
					v[off + c] = (float) e;
					sum += e;
				}
				for (int c = 0; c < classes; c++)
					out[outIndex + c * stride] = (float) (v[off + c] / sum);
			}
		};
	}

	/** The logistic sigmoid {@code 1 / (1 + exp(-v))} of every channel (independent, multi-label classes). */
	static Finalizer sigmoid() {
		return new FinalizerBase("sigmoid", false) {
			@Override
			public void apply(float[] v, int off, int classes, float[] out, int outIndex, int stride) {
				for (int c = 0; c < classes; c++)
					out[outIndex + c * stride] = (float) (1 / (1 + Math.exp(-(double) v[off + c])));
			}
		};
	}

	/** {@link #argmax(int[])} writing the channel index itself. */
	static Finalizer argmax() {
		return argmax(null);
	}

	/**
	 * One channel: {@code labelOf[c]} for the channel {@code c} with the largest value (the first
	 * one on ties, as {@code torch.argmax}), for exclusive (softmax) classes. Softmax does not change
	 * it, so it is taken on the blended logits; nor does dividing by the summed weights
	 * ({@link #ignoresScale()}), so a stitcher whose only outputs are labels takes it on the
	 * weighted sums.
	 *
	 * @param labelOf the label of each output channel (a model's class labels), or null for the
	 *        channel index itself
	 */
	static Finalizer argmax(int[] labelOf) {
		int[] labels = labelOf == null ? null : labelOf.clone();
		return new FinalizerBase("argmax", true) {
			@Override
			public void apply(float[] v, int off, int classes, float[] out, int outIndex, int stride) {
				int best = 0;
				float max = v[off];
				for (int c = 1; c < classes; c++)
					if (v[off + c] > max) {
						max = v[off + c];
						best = c;
					}
				out[outIndex] = labels == null ? best : labels[best];
			}

			@Override
			public boolean ignoresScale() {
				return true;
			}
		};
	}

	/**
	 * One channel, for independent (sigmoid) classes: the label of the channel with the largest
	 * value among those whose sigmoid reaches {@code threshold}, else 0. Sigmoid is monotonic, so the
	 * comparison with the threshold is done on the logit {@code log(t / (1 - t))}.
	 *
	 * @param labelOf the label of each output channel
	 */
	static Finalizer sigmoidLabels(int[] labelOf, float threshold) {
		int[] labels = labelOf.clone();
		float logit = FinalizerBase.logit(threshold);
		return new FinalizerBase("sigmoid labels>=" + threshold, true) {
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
	 * One channel, for a region-to-label mapping (BraTS): {@code label[i]} of the first region
	 * {@code i}, in priority order, whose channel {@code channel[i]} has a sigmoid that reaches
	 * {@code threshold}, else 0 (compared on the logit, as {@link #sigmoidLabels}).
	 */
	static Finalizer regionLabels(int[] channel, int[] label, float threshold) {
		if (channel.length != label.length)
			throw new IllegalArgumentException(channel.length + " region channels but " + label.length + " labels");
		int[] channels = channel.clone(), labels = label.clone();
		float logit = FinalizerBase.logit(threshold);
		return new FinalizerBase("region labels>=" + threshold, true) {
			@Override
			public void apply(float[] v, int off, int classes, float[] out, int outIndex, int stride) {
				float result = 0;
				for (int i = 0; i < channels.length; i++)
					if (v[off + channels[i]] >= logit) {
						result = labels[i];
						break;
					}
				out[outIndex] = result;
			}
		};
	}

	/**
	 * Per channel, 1 where the value is at least {@code threshold}, else 0 (MONAI's
	 * {@code AsDiscrete(threshold=...)}), on the blended logits.
	 */
	static Finalizer threshold(float threshold) {
		return FinalizerBase.thresholdAfter(raw(), threshold, "threshold(" + threshold + ")");
	}

	/**
	 * Per channel, 1 where the sigmoid of the value is at least {@code threshold}, else 0: the usual
	 * multi-label mask (threshold 0.5).
	 */
	static Finalizer sigmoidThreshold(float threshold) {
		return FinalizerBase.thresholdAfter(sigmoid(), threshold, "sigmoid>=" + threshold);
	}
}
