package org.volseg.nets;

import java.util.Random;

/**
 * How a parameter is initialised when a network is built with random weights (for benchmarks
 * and tests); ignored when weights come from a checkpoint. Immutable.
 */
public final class Init {

	private enum Kind { ZEROS, ONES, UNIFORM, NORMAL }

	private final Kind kind;
	private final double scale;

	private Init(Kind kind, double scale) {
		this.kind = kind;
		this.scale = scale;
	}

	/** All zeros (biases, running means). */
	public static Init zeros() {
		return new Init(Kind.ZEROS, 0);
	}

	/** All ones (norm scales, running variances). */
	public static Init ones() {
		return new Init(Kind.ONES, 0);
	}

	/** Uniform in [-bound, bound]. */
	public static Init uniform(double bound) {
		return new Init(Kind.UNIFORM, bound);
	}

	/** PyTorch's default for weights and biases of layers with {@code fanIn} inputs per output: uniform +-1/sqrt(fanIn). */
	public static Init fanIn(long fanIn) {
		return uniform(1.0 / Math.sqrt(Math.max(1, fanIn)));
	}

	/** Normal with mean 0 and the given standard deviation. */
	public static Init normal(double std) {
		return new Init(Kind.NORMAL, std);
	}

	/** A new tensor of the given shape filled by this rule. */
	public FloatTensor sample(long[] shape, Random random) {
		FloatTensor t = FloatTensor.zeros(shape);
		float[] d = t.data();
		for (int i = 0; i < d.length; i++) {
			switch (kind) {
				case ONES: d[i] = 1; break;
				case UNIFORM: d[i] = (float) ((random.nextDouble() * 2 - 1) * scale); break;
				case NORMAL: d[i] = (float) (random.nextGaussian() * scale); break;
				default: break;
			}
		}
		return t;
	}
}
