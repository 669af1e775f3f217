package org.volseg.cli;

import org.volseg.util.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.volseg.VolSegException;
import org.volseg.util.AtomicFiles;
import org.volseg.pipeline.LabelRow;
import org.volseg.pipeline.SegmentationResult;

/**
 * The end-of-run summary of {@code volseg segment} as a file: the printed text, or JSON with the
 * keys {@code source}, {@code dims}, {@code device}, {@code windows}, {@code batches},
 * {@code seconds_total}, {@code seconds_engine}, {@code seconds_model_load}, {@code seconds_first_batch} (the first
 * engine call, TensorFlow's warm-up included), {@code seconds_per_batch_after_first} (the steady cost; null with one
 * batch), {@code voxels_per_second}, {@code outputs} (kind to
 * path) and {@code labels} (objects with {@code label}, {@code name}, {@code voxels},
 * {@code volume_ml}).
 */
final class SegmentationSummaries {

	private SegmentationSummaries() {}

	static String json(SegmentationResult r, double loadSeconds) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("source", r.source() == null ? null : r.source().toString());
		m.put("dims", r.labels().dimensions());
		m.put("device", r.device());
		m.put("windows", r.windows());
		m.put("batches", r.batches());
		m.put("seconds_total", r.secondsTotal());
		m.put("seconds_engine", r.secondsEngine());
		m.put("seconds_model_load", loadSeconds);
		m.put("seconds_overlapped_with_load", r.secondsOverlappedWithLoad());
		m.put("seconds_first_batch", orNull(r.secondsFirstBatch()));
		m.put("seconds_per_batch_after_first", orNull(r.secondsPerBatchAfterFirst()));
		m.put("voxels_per_second", r.voxelsPerSecond());
		Map<String, Object> outputs = new LinkedHashMap<>();
		r.written().forEach((kind, path) -> outputs.put(kind, path.toString()));
		m.put("outputs", outputs);
		List<Object> labels = new ArrayList<>();
		for (LabelRow row : r.rows()) {
			Map<String, Object> l = new LinkedHashMap<>();
			l.put("label", row.label());
			l.put("name", row.name());
			l.put("voxels", row.voxels());
			l.put("volume_ml", row.volumeMl());
			labels.add(l);
		}
		m.put("labels", labels);
		return Json.write(m) + "\n";
	}

	private static Double orNull(double v) {
		return Double.isNaN(v) ? null : v;
	}

	/** Writes atomically; a failure names the file. */
	static void write(Path target, String text) {
		try {
			Path parent = target.toAbsolutePath().getParent();
			if (parent != null)
				java.nio.file.Files.createDirectories(parent);
			AtomicFiles.writeString(target.toAbsolutePath(), text);
		}
		catch (IOException e) {
			throw new VolSegException(target + ": cannot write the summary (" + e.getMessage()
					+ "); check that the folder is writable", e);
		}
	}
}
