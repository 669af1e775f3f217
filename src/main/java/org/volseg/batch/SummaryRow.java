package org.volseg.batch;

import java.util.Map;

/**
 * One line of a batch's {@code summary.csv}: one input file, or one series of a DICOM folder.
 *
 * @param input the input file or DICOM folder (absolute path)
 * @param series the DICOM SeriesNumber ({@code "none"} if the series has none, with a
 *        {@code #k} suffix when a number names several series), or empty for other inputs
 * @param output the labels file (absolute path), or empty when there is none (a folder whose
 *        series could not be found, an unsupported file)
 * @param status done, skipped or failed
 * @param error why it failed (or why it was skipped, for series not segmented); empty otherwise
 * @param seconds wall-clock seconds spent on it in the run that wrote the row (reading,
 *        segmenting, writing), NaN if unknown
 * @param device where the network ran ({@code cpu}, {@code gpu}); for skipped rows, the device of
 *        the run that made the output, when known; empty otherwise
 * @param finished when the row was written (UTC, ISO-8601), used to merge summaries of several runs
 * @param labels voxel counts and volumes per label (every class of the model but the background,
 *        0 where absent), or null when the row has none (failed)
 * @param model the identity of the model that made the output ({@link org.volseg.model.ModelIdentity}),
 *        empty if unknown (rows written before VolSeg recorded it)
 * @param settings the settings that change the output ({@link OutputRecord#settingsKey}), empty if
 *        unknown
 */
public record SummaryRow(String input, String series, String output, BatchStatus status, String error, double seconds,
		String device, String finished, Map<Integer, LabelVolume> labels, String model, String settings) {

	/** A row without a model and settings record. */
	public SummaryRow(String input, String series, String output, BatchStatus status, String error, double seconds,
			String device, String finished, Map<Integer, LabelVolume> labels) {
		this(input, series, output, status, error, seconds, device, finished, labels, "", "");
	}

	public SummaryRow {
		model = model == null ? "" : model;
		settings = settings == null ? "" : settings;
		series = series == null ? "" : series;
		output = output == null ? "" : output;
		error = error == null ? "" : error;
		device = device == null ? "" : device;
		finished = finished == null ? "" : finished;
		labels = labels == null ? null : Map.copyOf(labels);
	}
}
