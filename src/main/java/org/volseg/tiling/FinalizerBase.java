package org.volseg.tiling;

/** The common part of the standard {@link Finalizer}s: a name and one channel or one per class. */
abstract class FinalizerBase implements Finalizer {

	private final String name;
	private final boolean label;

	/** @param label one channel (a label) rather than one per class */
	FinalizerBase(String name, boolean label) {
		this.name = name;
		this.label = label;
	}

	@Override
	public final int channels(int classes) {
		return label ? 1 : classes;
	}

	@Override
	public String toString() {
		return name;
	}

	/** The logit of a probability: sigmoid labels compare logits with it instead of taking sigmoids. */
	static float logit(float threshold) {
		return (float) Math.log(threshold / (1.0 - threshold));
	}

	/** 1 where the activation of a channel reaches the threshold, else 0, per channel. */
	static Finalizer thresholdAfter(Finalizer activation, float threshold, String name) {
		if (Float.isNaN(threshold))
			throw new IllegalArgumentException("threshold is NaN");
		return new FinalizerBase(name, false) {
			@Override
			public void apply(float[] v, int off, int classes, float[] out, int outIndex, int stride) {
				activation.apply(v, off, classes, v, off, 1);
				for (int c = 0; c < classes; c++)
					out[outIndex + c * stride] = v[off + c] >= threshold ? 1f : 0f;
			}
		};
	}
}
