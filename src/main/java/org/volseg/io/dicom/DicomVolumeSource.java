package org.volseg.io.dicom;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.volseg.InvalidParameterException;
import org.volseg.io.LoadedVolume;
import org.volseg.io.VolumeSource;
import org.volseg.volume.VolumeStatistics;

/**
 * DICOM for {@link org.volseg.io.VolumeIO}: a folder of DICOM files (searched recursively) or a
 * single DICOM file (a multi-frame object, or one slice). Which series is read: the one whose
 * SeriesNumber was given, else the {@link DicomFolderReader#mainSeries main series} (not a
 * localizer, monochrome, the most slices).
 *
 * <p>{@link LoadedVolume#format()} is {@code "DICOM"}, {@link LoadedVolume#datatype()} the stored
 * pixel type (values are rescaled floats, for CT Hounsfield units), and
 * {@link LoadedVolume#details()} holds {@code series_number}, {@code series_uid},
 * {@code description}, {@code modality}, {@code slices}, {@code series_in_folder},
 * {@code warnings} (one string; skipped files included) and {@code skipped} (a list of
 * {@code {file, reason}} maps, the folder's unreadable DICOM files). Immutable and thread-safe.</p>
 */
public final class DicomVolumeSource implements VolumeSource {

	private final DicomSource parser;
	private final String series;

	/**
	 * @param parser parses the files (thread-safe); {@link DicomFormat} gives VolSeg's own
	 * @param series a SeriesNumber or a SeriesInstanceUID, or null for the main series (see
	 *        {@link DicomFolderReader#selectSeries})
	 */
	public DicomVolumeSource(DicomSource parser, String series) {
		this.parser = java.util.Objects.requireNonNull(parser, "parser");
		this.series = series;
	}

	@Override
	public String name() {
		return "DICOM";
	}

	/** Folders (checked when read), and regular files that look like DICOM. */
	@Override
	public boolean accepts(Path path) {
		if (Files.isDirectory(path))
			return true;
		return Files.isRegularFile(path) && parser.isDicom(path);
	}

	/**
	 * @throws InvalidParameterException if no series has the requested number (the message lists
	 *         the numbers there are)
	 * @throws org.volseg.VolumeFormatException if there is no DICOM image or the series cannot be read
	 */
	@Override
	public LoadedVolume read(Path path, boolean statistics) {
		DicomFolderReader reader = new DicomFolderReader(parser);
		List<DicomSeries> all = reader.scan(path);
		DicomSeries chosen = chooseSeries(path, all, series);
		DicomSeriesVolume read = reader.read(chosen);
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("series_number", chosen.seriesNumber() == null ? "none" : chosen.seriesNumber());
		details.put("series_uid", chosen.seriesUid());
		details.put("description", chosen.description());
		details.put("modality", chosen.modality());
		details.put("slices", chosen.sliceCount());
		details.put("series_in_folder", all.size());
		details.put("warnings", String.join("; ", read.warnings()));
		List<Map<String, Object>> skipped = new java.util.ArrayList<>();
		for (SkippedFile f : chosen.skipped()) {
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("file", f.file().toString());
			m.put("reason", f.reason());
			skipped.add(m);
		}
		details.put("skipped", skipped);
		VolumeStatistics stats = statistics ? VolumeStatistics.of(read.volume().voxels()) : null;
		return new LoadedVolume(read.volume(), path, "DICOM", chosen.storedDataType(), stats,
				Collections.unmodifiableMap(details));
	}

	/**
	 * The series to read from those found under {@code path}.
	 *
	 * @param number a SeriesNumber, or null for the main series
	 * @throws InvalidParameterException naming {@code --series} if no series has that number
	 */
	public static DicomSeries choose(Path path, List<DicomSeries> series, Integer number) {
		return DicomFolderReader.select(series, number, "--series");
	}

	/**
	 * The series to read: a SeriesNumber (refused if several series share it) or a
	 * SeriesInstanceUID; null for the main series.
	 *
	 * @throws InvalidParameterException naming {@code --series} if nothing or several series match
	 */
	public static DicomSeries chooseSeries(Path path, List<DicomSeries> series, String choice) {
		return DicomFolderReader.selectSeries(series, choice, "--series");
	}

}
