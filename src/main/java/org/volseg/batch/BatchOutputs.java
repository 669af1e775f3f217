package org.volseg.batch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.volseg.pipeline.SegmentationSettings;

/**
 * The files one segmentation of a batch writes: the label map, and optionally the logits and the
 * probabilities next to it ({@code NAME_labels.nii.gz}, {@code NAME_logits.nii.gz},
 * {@code NAME_probabilities.nii.gz}).
 *
 * <p><b>Complete.</b> The pipeline writes every output to a hidden temporary file and renames it
 * onto its final name only once it is fully written (an atomic rename in the same folder), so a
 * file under its final name is always a whole file, whenever the process was killed. The outputs
 * of an input are therefore complete when every one of them exists under its final name; a kill
 * between two renames leaves them incomplete, and the input is segmented again.</p>
 *
 * @param labels the label map
 * @param logits the blended raw outputs, or null
 * @param probabilities the class probabilities, or null
 */
record BatchOutputs(Path labels, Path logits, Path probabilities) {

	private static final String LABELS = "_labels";

	/** {@code folder/STEM_labels.nii.gz} and, if asked, {@code STEM_logits.nii.gz}, {@code STEM_probabilities.nii.gz}. */
	public static BatchOutputs named(Path folder, String stem, boolean logits, boolean probabilities) {
		return new BatchOutputs(folder.resolve(stem + LABELS + ".nii.gz"),
				logits ? folder.resolve(stem + "_logits.nii.gz") : null,
				probabilities ? folder.resolve(stem + "_probabilities.nii.gz") : null);
	}

	/**
	 * A given labels file (.nii or .nii.gz) with the other outputs next to it: its name without the
	 * extension and without a trailing {@code _labels}, then {@code _logits.nii.gz} or
	 * {@code _probabilities.nii.gz}.
	 */
	public static BatchOutputs forLabels(Path labels, boolean logits, boolean probabilities) {
		String name = labels.getFileName().toString();
		String stem = stripNiftiExtension(name);
		if (stem.endsWith(LABELS))
			stem = stem.substring(0, stem.length() - LABELS.length());
		Path folder = labels.getParent() == null ? Path.of("") : labels.getParent();
		return new BatchOutputs(labels, logits ? folder.resolve(stem + "_logits.nii.gz") : null,
				probabilities ? folder.resolve(stem + "_probabilities.nii.gz") : null);
	}

	/** A file name without {@code .nii.gz} or {@code .nii} (any case). */
	static String stripNiftiExtension(String name) {
		String lower = name.toLowerCase(java.util.Locale.ROOT);
		if (lower.endsWith(".nii.gz"))
			return name.substring(0, name.length() - 7);
		if (lower.endsWith(".nii"))
			return name.substring(0, name.length() - 4);
		return name;
	}

	/** Every output, labels first. */
	public List<Path> all() {
		List<Path> all = new ArrayList<>();
		all.add(labels);
		if (logits != null)
			all.add(logits);
		if (probabilities != null)
			all.add(probabilities);
		return Collections.unmodifiableList(all);
	}

	/** True if every output exists under its final name (see the class comment). */
	public boolean complete() {
		for (Path p : all())
			if (!Files.isRegularFile(p))
				return false;
		return true;
	}

	/** The settings with these outputs. */
	SegmentationSettings applyTo(SegmentationSettings settings) {
		return settings.toBuilder().labelsOutput(labels).logitsOutput(logits).probabilitiesOutput(probabilities).build();
	}
}
