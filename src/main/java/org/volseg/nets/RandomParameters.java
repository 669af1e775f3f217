package org.volseg.nets;

import java.util.Random;

/** Parameters drawn from each parameter's {@link Init} rule with a fixed seed (reproducible). */
public final class RandomParameters implements ParameterSource {

	private final Random random;

	public RandomParameters(long seed) {
		this.random = new Random(seed);
	}

	@Override
	public FloatTensor take(String key, long[] shape, Init init) {
		return init.sample(shape, random);
	}

	@Override
	public void acceptIfPresent(String key) {
		// nothing to check
	}

	@Override
	public void finish() {
		// nothing to check
	}
}
