package org.volseg.tiling;

/**
 * Told about a sliding-window inference's progress, after every stitched batch. Called from the
 * inference's stitching thread, never concurrently; must return quickly.
 */
@FunctionalInterface
public interface SlidingWindowListener {

	void progress(SlidingWindowProgress progress);

	/** A listener that ignores everything. */
	static SlidingWindowListener none() {
		return p -> {
		};
	}
}
