package org.volseg.pipeline;

import java.nio.file.Path;
import java.util.Objects;

import org.volseg.model.ModelDescriptor;
import org.volseg.tiling.FirstBatch;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

/**
 * A scan read and brought onto one model's grid ({@link Segmenter#prepare}): the part of a segmentation
 * that needs the model's descriptor but not its network, so that it can run while the network loads.
 * {@link Segmenter#segment(PreparedScan, SegmentationListener, java.util.function.BooleanSupplier) Segmenter.segment}
 * takes it once and lets go of its volumes as soon as it has picked them up (so that a scan read
 * from a file is freed during the inference, as in a one-step segmentation).
 *
 * <p>Made on one thread and handed to another by the caller (a {@code Future}, a join): the fields are
 * final; {@link #use()} and {@link #release()} are for the single segmentation that takes it.</p>
 */
public final class PreparedScan {

	private final Path source;
	private final SegmentationSettings settings;
	private final ModelDescriptor descriptor;
	private Preprocessor.Prepared prepared;
	private FirstBatch firstBatch;
	private final long[] inputDims;
	private final Geometry inputGeometry;
	private Volume scan;
	private final int channels;
	private final double readSeconds;
	private final double preprocessSeconds;
	private final long startNanos;
	private final long endNanos;
	private final Thread sinkSetUp;
	private boolean used;

	PreparedScan(Path source, SegmentationSettings settings, ModelDescriptor descriptor, Preprocessor.Prepared prepared,
			FirstBatch firstBatch, long[] inputDims, Geometry inputGeometry, Volume scan, int channels, double readSeconds,
			double preprocessSeconds, long startNanos, long endNanos, Thread sinkSetUp) {
		this.source = source;
		this.settings = Objects.requireNonNull(settings, "settings");
		this.descriptor = Objects.requireNonNull(descriptor, "descriptor");
		this.prepared = Objects.requireNonNull(prepared, "prepared");
		this.firstBatch = firstBatch;
		this.inputDims = inputDims.clone();
		this.inputGeometry = inputGeometry;
		this.scan = scan;
		this.channels = channels;
		this.readSeconds = readSeconds;
		this.preprocessSeconds = preprocessSeconds;
		this.startNanos = startNanos;
		this.endNanos = endNanos;
		this.sinkSetUp = sinkSetUp;
	}

	/** The file or folder read, or null for an in-memory volume. */
	public Path source() {
		return source;
	}

	/** The settings it was prepared with; the segmentation uses them too. */
	public SegmentationSettings settings() {
		return settings;
	}

	/** The descriptor of the model it was prepared for. */
	public ModelDescriptor descriptor() {
		return descriptor;
	}

	/** Wall-clock seconds of the reading and of the preprocessing. */
	public double readSeconds() {
		return readSeconds;
	}

	public double preprocessSeconds() {
		return preprocessSeconds;
	}

	/** {@link System#nanoTime()} when the reading started and when the preprocessing ended. */
	long startNanos() {
		return startNanos;
	}

	long endNanos() {
		return endNanos;
	}

	/** Channels of the scan read. */
	int channels() {
		return channels;
	}

	/** The scan's dimensions (x, y, z) and geometry: the grid the outputs go back onto. */
	long[] inputDims() {
		return inputDims.clone();
	}

	Geometry inputGeometry() {
		return inputGeometry;
	}

	/** The volume on the model's grid, the steps done and the foreground crop. */
	Preprocessor.Prepared prepared() {
		return prepared;
	}

	/** The first batch of windows cut from the prepared volume, or null (nothing to run). */
	FirstBatch firstBatch() {
		return firstBatch;
	}

	/** The scan as read, kept only when a sink draws it (the montage); else null. */
	Volume scan() {
		return scan;
	}

	/** The thread running the sinks' {@link OutputSink#prepare}, or null; the segmentation joins it before writing. */
	Thread sinkSetUp() {
		return sinkSetUp;
	}

	/** Marks it taken by a segmentation; a second use is refused (its volumes are gone). */
	synchronized void use() {
		if (used)
			throw new IllegalArgumentException("this prepared scan of " + (source == null ? "the volume" : source)
					+ " was segmented already; prepare it again");
		used = true;
	}

	/** Drops the references to the volumes (the segmentation holds what it still needs). */
	synchronized void release() {
		prepared = null;
		firstBatch = null;
		scan = null;
	}
}
