package org.volseg.batch;

import org.volseg.pipeline.SegmentationListener;

/**
 * Told how a batch is going (Fiji shows a progress bar per file and overall; the command line
 * prints lines). All calls come from the thread running {@link BatchRunner#run}, except those of the
 * {@link #segmentation} listener, which follow {@link SegmentationListener}'s rules. Implementations
 * must return quickly and should not throw.
 */
public interface BatchListener {

	/**
	 * The inputs are known.
	 *
	 * @param inputs inputs this run will go through (its shard's share)
	 * @param total inputs of the whole batch (all shards)
	 */
	default void planned(int inputs, int total) {
	}

	/**
	 * An input begins.
	 *
	 * @param index 0-based position among this run's inputs
	 * @param count this run's inputs
	 */
	default void inputStarted(int index, int count, BatchInput input) {
	}

	/** The listener for the segmentation of an input (stages, windows, warnings). */
	default SegmentationListener segmentation(BatchInput input) {
		return SegmentationListener.none();
	}

	/** A summary row is final (done, skipped or failed); the summary file has been rewritten with it. */
	default void rowFinished(SummaryRow row) {
	}

	/** A problem that does not make a row fail (a stale temporary file that could not be removed, say). */
	default void warning(String message) {
	}

	/** A listener that ignores everything. */
	static BatchListener none() {
		return new BatchListener() {
		};
	}
}
