package org.volseg.pipeline;

import org.volseg.tiling.SlidingWindowProgress;

/**
 * Told how a segmentation is going. Stages are reported on the thread that called
 * {@link Segmenter#segment}; window progress comes from the inference's stitching thread after every
 * batch of windows. Calls never overlap; implementations must return quickly.
 */
public interface SegmentationListener {

	/** The steps of one segmentation, in order. */
	enum Stage {
		READING("reading"), PREPROCESSING("preprocessing"), INFERENCE("sliding-window inference"),
		POSTPROCESSING("postprocessing"), WRITING("writing");

		private final String label;

		Stage(String label) {
			this.label = label;
		}

		/** A lower-case label for progress messages. */
		public String label() {
			return label;
		}
	}

	/** A stage begins. */
	default void stage(Stage stage) {
	}

	/** Windows done / total, elapsed time and ETA of the inference. */
	default void windows(SlidingWindowProgress progress) {
	}

	/** A warning worth showing the user (a DICOM series with uneven spacing, say). */
	default void warning(String message) {
	}

	/** A listener that ignores everything. */
	static SegmentationListener none() {
		return new SegmentationListener() {
		};
	}
}
