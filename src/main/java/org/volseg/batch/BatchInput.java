package org.volseg.batch;

import java.nio.file.Path;

/**
 * One input of a batch, as found in a folder or read from a CSV list.
 *
 * @param kind what it is
 * @param path the file or DICOM folder, absolute and normalised
 * @param key the sort key: the path relative to the input folder with '/' separators (for a list:
 *        the absolute path)
 * @param outputs the files to write, or null for a DICOM folder (one set per series, see
 *        {@link #seriesOutputs})
 * @param outputFolder the folder the outputs go to
 * @param stem the start of the output names
 * @param problem why it cannot be segmented (it becomes a failed row without being read), or null
 */
public record BatchInput(Kind kind, Path path, String key, BatchOutputs outputs, Path outputFolder, String stem,
		String problem) {

	/** What an input is. */
	public enum Kind {
		/** A .nii or .nii.gz file. */
		NIFTI,
		/** A folder holding DICOM files directly (its subfolders are inputs of their own); every series is segmented. */
		DICOM_FOLDER,
		/** A line of a CSV list: any scan {@code volseg segment} reads (a DICOM folder: its main series, or the chosen one). */
		LISTED,
		/** A volume in a format VolSeg does not read (MetaImage, NRRD, ...), or a file or folder that cannot be opened: a failed row. */
		UNSUPPORTED
	}

	/** The outputs of a series of a DICOM folder: {@code STEM_series<TAG>_labels.nii.gz} and so on. */
	public BatchOutputs seriesOutputs(String seriesTag, boolean logits, boolean probabilities) {
		return BatchOutputs.named(outputFolder, stem + "_series" + seriesTag, logits, probabilities);
	}

	/** The same input, marked as not to be segmented. */
	BatchInput withProblem(String why) {
		return new BatchInput(kind, path, key, outputs, outputFolder, stem, why);
	}

	@Override
	public String toString() {
		return path.toString();
	}
}
