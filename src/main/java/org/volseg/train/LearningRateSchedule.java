package org.volseg.train;

/**
 * Linear warm-up from 0 to the peak rate over {@code warmupSteps}, then cosine decay to
 * {@code minFraction * peak} at {@code totalSteps}. Immutable.
 *
 * @param peak the peak learning rate
 * @param warmupSteps steps of linear warm-up (0 for none)
 * @param totalSteps the last step of the schedule (later steps keep the final rate)
 * @param minFraction final rate as a fraction of the peak
 */
record LearningRateSchedule(double peak, long warmupSteps, long totalSteps, double minFraction) {

	public LearningRateSchedule {
		if (!(peak > 0) || warmupSteps < 0 || totalSteps < 1 || !(minFraction >= 0 && minFraction <= 1)) {
			throw new IllegalArgumentException("invalid schedule: peak " + peak + ", warm-up " + warmupSteps + ", total "
					+ totalSteps + ", min fraction " + minFraction);
		}
	}

	/** The rate for step {@code step} (0-based). */
	public double rate(long step) {
		if (step < warmupSteps) return peak * (step + 1) / (double) warmupSteps;
		long span = Math.max(1, totalSteps - warmupSteps);
		double progress = Math.min(1.0, (step - warmupSteps) / (double) span);
		double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
		return peak * (minFraction + (1 - minFraction) * cosine);
	}
}
