package org.volseg.fiji;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.volseg.InvalidParameterException;
import org.volseg.io.dicom.DicomFolderReader;
import org.volseg.io.dicom.DicomSeries;
import org.volseg.io.dicom.DicomSeriesVolume;

import ij.ImagePlus;

/**
 * The DICOM series of a folder as choices for a dialog or a macro, and opening the one chosen as an
 * ImageJ image (32-bit, values rescaled, for CT in Hounsfield units; calibrated in mm; geometry
 * kept). Stateless.
 */
final class DicomSeriesChooser {

	private DicomSeriesChooser() {
	}

	/** The series found under a folder (headers only), in {@link DicomFolderReader#scan} order. */
	public static List<DicomSeries> scan(Path folder) {
		return new DicomFolderReader().scan(folder);
	}

	/** One line describing a series, for example {@code "3: CT abdomen (CT, 512x512x120)"}. */
	public static String describe(DicomSeries s) {
		long[] d = s.dimensions();
		String number = s.seriesNumber() == null ? "-" : s.seriesNumber().toString();
		String desc = s.description() == null || s.description().isBlank() ? "(no description)" : s.description();
		StringBuilder b = new StringBuilder(number).append(": ").append(desc).append(" (")
				.append(s.modality() == null || s.modality().isBlank() ? "?" : s.modality()).append(", ")
				.append(d[0]).append('x').append(d[1]).append('x').append(d[2]);
		if (d.length > 3)
			b.append('x').append(d[3]).append(" time points");
		if (s.localizer())
			b.append(", localizer");
		if (s.problem() != null)
			b.append(", unreadable: ").append(s.problem());
		return b.append(')').toString();
	}

	/** {@link #describe} of each series. */
	public static List<String> describeAll(List<DicomSeries> series) {
		List<String> lines = new ArrayList<>();
		for (DicomSeries s : series)
			lines.add(describe(s));
		return lines;
	}

	/**
	 * The series a user asked for: blank or {@code main} for the main series (not a localizer, the
	 * most slices), a SeriesNumber (refused when several series share it), a SeriesInstanceUID, a
	 * line as {@link #describe} makes it, or {@code #k} for the k-th series listed (1-based).
	 *
	 * @throws InvalidParameterException naming {@code series} if nothing matches (the message lists the series)
	 */
	public static DicomSeries choose(List<DicomSeries> series, String wanted) {
		String w = wanted == null ? "" : wanted.trim();
		if (w.isEmpty() || w.equalsIgnoreCase("main"))
			return DicomFolderReader.mainSeries(series);
		for (DicomSeries s : series)
			if (describe(s).equals(w))
				return s;
		try {
			if (w.startsWith("#")) {
				int k = Integer.parseInt(w.substring(1));
				if (k >= 1 && k <= series.size())
					return series.get(k - 1);
			} else if (series.stream().anyMatch(s -> w.equals(s.seriesUid()) || w.equals(String.valueOf(s.seriesNumber()))))
				// a SeriesNumber (refused, listing the candidates, when several series share it) or a SeriesInstanceUID
				return DicomFolderReader.selectSeries(series, w, "series");
		} catch (NumberFormatException e) {
			// reported below
		}
		throw InvalidParameterException.of("series", wanted,
				"main, a SeriesNumber, a SeriesInstanceUID or #k (k-th in the list) of: " + String.join("; ", describeAll(series)));
	}

	/** Reads the series as an image titled after its folder, number and description. */
	public static ImagePlus open(Path folder, DicomSeries series) {
		DicomSeriesVolume read = new DicomFolderReader().read(series);
		String title = FijiSegmentation.titleOf(folder) + " - " + (series.seriesNumber() == null ? "" : series.seriesNumber() + " ")
				+ (series.description() == null ? "" : series.description());
		ImagePlus image = ImagePlusVolumes.toImagePlus(read.volume(), title.trim());
		StringBuilder info = new StringBuilder("Source: ").append(folder).append("\nDICOM series ")
				.append(describe(series)).append("\nSeriesInstanceUID: ").append(series.seriesUid()).append('\n');
		for (String w : read.warnings())
			info.append("warning: ").append(w).append('\n');
		// the files that could not be read, in the Log window too: the image alone does not show them
		for (org.volseg.io.dicom.SkippedFile f : series.skipped())
			ij.IJ.log("VolSeg: " + f.line());
		image.setProperty("Info", info.toString());
		image.setProp("volseg.source", folder.toAbsolutePath().toString());
		image.setProp("volseg.series_uid", String.valueOf(series.seriesUid()));
		return image;
	}
}
