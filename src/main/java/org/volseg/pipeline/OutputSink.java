package org.volseg.pipeline;

import java.nio.file.Path;

/**
 * One file a segmentation writes: NIfTI labels, logits or probabilities, a montage PNG, a DICOM
 * SEG, or anything a caller plugs in. {@link Segmenter} asks each sink of
 * {@link SegmentationSettings#sinks()} for what it needs, keeps only that in memory, and after the
 * segmentation calls {@link #write} with a hidden temporary path next to {@link #target()}; the
 * temporary files of all sinks are moved onto their targets together only when every sink
 * succeeded (see {@code OutputFiles}), so a failure or cancellation leaves no output.
 *
 * <p>Threads: {@link #check} is called on the segmenting thread; {@link #prepare} on a helper thread
 * while the scan is read; {@link #write} on the segmenting thread or on a helper ({@code volseg-writer}),
 * at the same time as another sink's {@code write} (two outputs are written at a time), never twice at
 * once for one sink. A sink must not share unsynchronised state with other sinks.</p>
 */
public interface OutputSink {

	/** The output's name in {@link SegmentationResult#written()}, e.g. {@code labels}, {@code montage}, {@code seg}. */
	String kind();

	/** The file to write. */
	Path target();

	/** True if {@link #write} reads {@link SegmentationOutputs#logits()}. */
	default boolean needsLogits() {
		return false;
	}

	/** True if {@link #write} reads {@link SegmentationOutputs#probabilities()}. */
	default boolean needsProbabilities() {
		return false;
	}

	/** True if {@link #write} reads {@link SegmentationOutputs#scan()} (the input scan is then kept in memory). */
	default boolean needsScan() {
		return false;
	}

	/**
	 * Checks, before anything is read or computed, that this sink can be written for that input.
	 *
	 * @param input the scan's file or folder, or null for an in-memory volume
	 * @throws org.volseg.VolSegException naming the input and the sink's setting if it cannot
	 */
	default void check(Path input) {
	}

	/**
	 * One-time set-up that does not depend on the segmentation (the montage loads its fonts and warms
	 * its drawing up): called once per segmentation on a helper thread while the scan is read, so that it costs no
	 * wall time of its own; {@link #write} must work whether or not it ran or completed. Errors are
	 * ignored (the write reports them).
	 */
	default void prepare() {
	}

	/**
	 * Writes the output to {@code file} (not to {@link #target()}).
	 *
	 * @throws org.volseg.VolSegException naming the target if it cannot be written
	 */
	void write(SegmentationOutputs outputs, Path file);
}
