package org.volseg.tiling;

/** The standard {@link SlabFinalizer}s. All are stateless and thread-safe. */
public final class SlabFinalizers {

	private SlabFinalizers() {
	}

	/** The blended network outputs as they are (MONAI's {@code sliding_window_inference} result). */
	public static SlabFinalizer raw() {
		return new SlabFinalizer() {
			@Override
			public int channels(int classes) {
				return classes;
			}

			@Override
			public void apply(float[] v, int off, int classes, float[] out, int outIndex, int stride) {
				for (int c = 0; c < classes; c++)
					out[outIndex + c * stride] = v[off + c];
			}

			@Override
			public String toString() {
				return "raw";
			}
		};
	}

	/**
	 * Softmax over the classes of each voxel ({@code exp(v_c - max) / sum_k exp(v_k - max)}, the
	 * sums in double precision): per-class probabilities that add up to 1.
	 */
	public static SlabFinalizer softmax() {
		return new SlabFinalizer() {
			@Override
			public int channels(int classes) {
				return classes;
			}

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

			@Override
			public String toString() {
				return "softmax";
			}
		};
	}

	/** The logistic sigmoid {@code 1 / (1 + exp(-v))} of every channel (independent, multi-label classes). */
	public static SlabFinalizer sigmoid() {
		return new SlabFinalizer() {
			@Override
			public int channels(int classes) {
				return classes;
			}

			@Override
			public void apply(float[] v, int off, int classes, float[] out, int outIndex, int stride) {
				for (int c = 0; c < classes; c++)
					out[outIndex + c * stride] = sigmoid(v[off + c]);
			}

			@Override
			public String toString() {
				return "sigmoid";
			}
		};
	}

	/**
	 * One channel: the index of the largest class value (the first one on ties, as
	 * {@code torch.argmax}). Softmax does not change it, so it is taken on the blended logits; nor
	 * does dividing by the summed weights ({@link SlabFinalizer#ignoresScale()}), so a stitcher
	 * whose only outputs are labels takes it on the weighted sums.
	 */
	public static SlabFinalizer argmax() {
		return argmax(null);
	}

	/**
	 * As {@link #argmax()}, but writes {@code labelOf[c]} for the winning channel {@code c}: a model's
	 * class labels rather than channel indices.
	 *
	 * @param labelOf the label of each output channel, or null for the channel index itself
	 */
	public static SlabFinalizer argmax(int[] labelOf) {
		int[] labels = labelOf == null ? null : labelOf.clone();
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
				out[outIndex] = labels == null ? best : labels[best];
			}

			@Override
			public boolean ignoresScale() {
				return true;
			}

			@Override
			public String toString() {
				return "argmax";
			}
		};
	}

	/**
	 * Per channel, 1 where the value is at least {@code threshold}, else 0 (MONAI's
	 * {@code AsDiscrete(threshold=...)}), on the blended logits.
	 */
	public static SlabFinalizer threshold(float threshold) {
		return thresholdAfter(raw(), threshold, "threshold(" + threshold + ")");
	}

	/**
	 * Per channel, 1 where the sigmoid of the value is at least {@code threshold}, else 0: the usual
	 * multi-label mask (threshold 0.5).
	 */
	public static SlabFinalizer sigmoidThreshold(float threshold) {
		return thresholdAfter(sigmoid(), threshold, "sigmoid>=" + threshold);
	}

	private static SlabFinalizer thresholdAfter(SlabFinalizer activation, float threshold, String name) {
		if (Float.isNaN(threshold))
			throw new IllegalArgumentException("threshold is NaN");
		return new SlabFinalizer() {
			@Override
			public int channels(int classes) {
				return classes;
			}

			@Override
			public void apply(float[] v, int off, int classes, float[] out, int outIndex, int stride) {
				activation.apply(v, off, classes, v, off, 1);
				for (int c = 0; c < classes; c++)
					out[outIndex + c * stride] = v[off + c] >= threshold ? 1f : 0f;
			}

			@Override
			public String toString() {
				return name;
			}
		};
	}

	static float sigmoid(float x) {
		return (float) (1 / (1 + Math.exp(-(double) x)));
	}
}
