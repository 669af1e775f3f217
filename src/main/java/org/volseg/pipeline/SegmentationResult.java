package org.volseg.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.volseg.tiling.SmallComponentRemoval;
import org.volseg.volume.Volume;

/**
 * What a segmentation produced and how long it took.
 *
 * @param labels the label map on the input's grid (x, y, z), with the input's geometry; labels
 *        are the model's class labels, seen as floats (when the map is on the model's grid they are
 *        stored as unsigned bytes or shorts underneath, and the voxels are a writable view)
 * @param source the input file or folder, or null for an in-memory volume
 * @param device where the network ran ({@code cpu}, {@code gpu}, or the test predictor's name)
 * @param windows sliding windows run
 * @param batches engine calls
 * @param modelGrid dimensions (x, y, z) the network saw (after reorientation and resampling)
 * @param modelSpacingMm spacing (x, y, z) the network saw
 * @param modelOrientation orientation code the network saw
 * @param preprocessing what was done before the network, one line per step, in order
 * @param removed what small-component removal removed (empty maps when it was off)
 * @param written the files written, by kind ({@code labels}, {@code logits}, {@code probabilities})
 * @param seconds wall-clock seconds per stage ({@code read}, {@code preprocess}, {@code inference},
 *        {@code postprocess}, {@code write}), in order
 * @param secondsTotal wall-clock seconds of the segmentation, reading to writing; when the scan was read and
 *        preprocessed while the model loaded ({@link Segmenter#prepare}), from the later of the reading's start
 *        and the end of the model load (the model load itself is never counted)
 * @param secondsEngine seconds spent inside the engine's predict calls
 * @param rows one row per label present (background 0 excluded), increasing label order
 * @param secondsFirstBatch seconds of the first engine call (part of {@code secondsEngine}): with a
 *        model just loaded it includes TensorFlow's one-time optimisation of the graph; NaN if
 *        unknown
 * @param secondsPerBatchAfterFirst mean seconds of the engine calls after the first (the steady
 *        cost of a batch); NaN with fewer than two batches or if unknown
 * @param secondsOverlappedWithLoad wall-clock seconds of reading and preprocessing that ran while the
 *        model was still loading (not in {@code secondsTotal}, which they did not lengthen); 0 when the scan
 *        was read after the load
 */
public record SegmentationResult(Volume labels, Path source, String device, int windows, int batches, long[] modelGrid,
		double[] modelSpacingMm, String modelOrientation, List<String> preprocessing, SmallComponentRemoval.Summary removed,
		Map<String, Path> written, Map<String, Double> seconds, double secondsTotal, double secondsEngine,
		List<LabelRow> rows, double secondsFirstBatch, double secondsPerBatchAfterFirst, double secondsOverlappedWithLoad) {

	/** A result of a scan read after the model load (nothing overlapped with it). */
	public SegmentationResult(Volume labels, Path source, String device, int windows, int batches, long[] modelGrid,
			double[] modelSpacingMm, String modelOrientation, List<String> preprocessing,
			SmallComponentRemoval.Summary removed, Map<String, Path> written, Map<String, Double> seconds,
			double secondsTotal, double secondsEngine, List<LabelRow> rows, double secondsFirstBatch,
			double secondsPerBatchAfterFirst) {
		this(labels, source, device, windows, batches, modelGrid, modelSpacingMm, modelOrientation, preprocessing, removed,
				written, seconds, secondsTotal, secondsEngine, rows, secondsFirstBatch, secondsPerBatchAfterFirst, 0);
	}

	/** A result without the first batch's time apart (both unknown). */
	public SegmentationResult(Volume labels, Path source, String device, int windows, int batches, long[] modelGrid,
			double[] modelSpacingMm, String modelOrientation, List<String> preprocessing,
			SmallComponentRemoval.Summary removed, Map<String, Path> written, Map<String, Double> seconds,
			double secondsTotal, double secondsEngine, List<LabelRow> rows) {
		this(labels, source, device, windows, batches, modelGrid, modelSpacingMm, modelOrientation, preprocessing, removed,
				written, seconds, secondsTotal, secondsEngine, rows, Double.NaN, Double.NaN, 0);
	}

	/** Spatial voxels of the input scan segmented per second of {@link #secondsTotal}. */
	public double voxelsPerSecond() {
		return labels.spatialVoxelCount() / secondsTotal;
	}

	/** {@link #secondsTotal} over {@link #secondsEngine}: 1 means everything around the network costs nothing. */
	public double overhead() {
		return secondsEngine > 0 ? secondsTotal / secondsEngine : Double.NaN;
	}
}
