package org.volseg.tiling;

/** For tests of other packages: a plan made without the planner (no memory figure). */
public final class TilePlanTestAccess {

	private TilePlanTestAccess() {
	}

	public static TilePlan unplanned(long[] imageSize, SlidingWindowSettings settings) {
		return TilePlan.of(imageSize, settings);
	}
}
