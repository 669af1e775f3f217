package org.volseg.cli;

import org.volseg.util.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.volseg.VolSegException;
import org.volseg.io.dicom.DicomFolderReader;
import org.volseg.io.dicom.SkippedFile;
import org.volseg.io.dicom.DicomSeries;
import org.volseg.io.dicom.DicomSeriesVolume;
import org.volseg.io.dicom.PixelFormat;
import org.volseg.io.dicom.StoredValueStatistics;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * What {@code volseg info} prints for DICOM input: a text table of the series in a folder, JSON per
 * series (the NIfTI keys plus {@code series_uid}, {@code series_number}, {@code description},
 * {@code modality}) and JSON for a single file's stored values. Static, stateless; every method
 * returns the text without printing it. Numbers in JSON: integral values without a decimal point,
 * non-finite values as null.
 */
final class DicomInfoOutput {

	private DicomInfoOutput() {
	}

	/**
	 * One line per series: number, description, modality, slice count, dimensions (x y z), spacing
	 * (mm), orientation code, and notes (localizer, colour, the reason it cannot be read).
	 */
	public static String seriesTable(Path input, List<DicomSeries> series) {
		StringBuilder b = new StringBuilder();
		b.append(input).append(": ").append(series.size()).append(series.size() == 1 ? " series" : " series").append('\n');
		b.append(String.format(Locale.ROOT, "%-7s %-28s %-8s %6s  %-15s %-22s %-5s %s%n", "number", "description",
				"modality", "slices", "dims (x y z)", "spacing (mm)", "orient", "notes"));
		for (DicomSeries s : series) {
			long[] d = s.dimensions();
			double[] sp = s.spacing();
			StringBuilder notes = new StringBuilder();
			if (s.localizer())
				notes.append("localizer; ");
			if (s.colour())
				notes.append("colour (not for segmentation); ");
			if (s.mosaic())
				notes.append("Siemens MOSAIC").append(s.timePoints() > 1 ? ", " + s.timePoints() + " time points" : "").append("; ");
			if (s.problem() != null)
				notes.append("cannot be read: ").append(s.problem()).append("; ");
			if (notes.length() > 0)
				notes.setLength(notes.length() - 2);
			b.append(String.format(Locale.ROOT, "%-7s %-28s %-8s %6d  %-15s %-22s %-6s %s%n",
					s.seriesNumber() == null ? "-" : s.seriesNumber().toString(), clip(s.description(), 28),
					s.modality().isEmpty() ? "-" : s.modality(), s.sliceCount(), d[0] + " " + d[1] + " " + d[2] + (d.length > 3 ? " x" + d[3] : ""),
					String.format(Locale.ROOT, "%.4g %.4g %.4g", sp[0], sp[1], sp[2]), s.orientationCode(),
					notes.toString()).replaceAll("\\s+\n", "\n"));
		}
		List<SkippedFile> skipped = series.isEmpty() ? List.of() : series.get(0).skipped();
		if (!skipped.isEmpty()) {
			b.append(skipped.size()).append(skipped.size() == 1 ? " file skipped:" : " files skipped:").append('\n');
			for (SkippedFile f : skipped)
				b.append("  ").append(f.file()).append(": ").append(f.reason()).append('\n');
		}
		return b.toString();
	}

	/** {@code [{"file": ..., "reason": ...}, ...]}: the DICOM files of the folder that could not be read. */
	public static String skippedJson(List<SkippedFile> skipped) {
		StringBuilder b = new StringBuilder("[");
		for (int i = 0; i < skipped.size(); i++)
			b.append(i > 0 ? "," : "").append("{\"file\":").append(Json.quote(skipped.get(i).file().toString()))
					.append(",\"reason\":").append(Json.quote(skipped.get(i).reason())).append('}');
		return b.append(']').toString();
	}

	/**
	 * JSON object for one series read into a volume: {@code dims}, {@code spacing_mm},
	 * {@code orientation}, {@code affine_lps}, {@code affine_ras}, {@code datatype} (the stored
	 * DICOM type, e.g. int16; values are rescaled floats), {@code min}, {@code max}, {@code sum},
	 * {@code sum_sq} (of the rescaled voxels, e.g. HU), {@code source} (the folder), and
	 * {@code series_uid}, {@code series_number}, {@code description}, {@code modality},
	 * {@code slices}, {@code colour}, {@code warnings}, and {@code skipped} (the folder's unreadable
	 * DICOM files: {@code [{"file", "reason"}]}).
	 */
	public static String seriesJson(DicomSeriesVolume read) {
		DicomSeries s = read.series();
		Volume v = read.volume();
		double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum = 0, sumSq = 0;
		for (FloatType t : Views.flatIterable(v.voxels())) {
			double x = t.get();
			min = Math.min(min, x);
			max = Math.max(max, x);
			sum += x;
			sumSq += x * x;
		}
		Geometry g = v.geometry();
		StringBuilder b = new StringBuilder("{");
		common(b, s);
		b.append(",\"dims\":").append(array(v.dimensions()));
		b.append(",\"spacing_mm\":").append(array(g.spacing()));
		b.append(",\"orientation\":").append(Json.quote(s.orientationCode()));
		b.append(",\"affine_lps\":").append(matrix(g.affineLps()));
		b.append(",\"affine_ras\":").append(matrix(g.affineRas()));
		b.append(",\"datatype\":").append(Json.quote(storedType(s)));
		b.append(",\"min\":").append(Json.number(min)).append(",\"max\":").append(Json.number(max));
		b.append(",\"sum\":").append(Json.number(sum)).append(",\"sum_sq\":").append(Json.number(sumSq));
		b.append(",\"warnings\":").append(strings(read.warnings()));
		b.append(",\"skipped\":").append(skippedJson(s.skipped()));
		return b.append('}').toString();
	}

	/** JSON object for a series that could not be read: its metadata and {@code error}. */
	public static String seriesErrorJson(DicomSeries s, String error) {
		StringBuilder b = new StringBuilder("{");
		common(b, s);
		b.append(",\"dims\":").append(array(s.dimensions()));
		b.append(",\"spacing_mm\":").append(array(s.spacing()));
		b.append(",\"orientation\":").append(Json.quote(s.orientationCode()));
		b.append(",\"error\":").append(Json.quote(error));
		b.append(",\"warnings\":").append(strings(s.warnings()));
		b.append(",\"skipped\":").append(skippedJson(s.skipped()));
		return b.append('}').toString();
	}

	/**
	 * JSON array with one object per series of a folder ({@link #seriesJson}, or
	 * {@link #seriesErrorJson} for a series that cannot be read). Reads every series.
	 */
	public static String folderJson(DicomFolderReader reader, List<DicomSeries> series) {
		StringBuilder b = new StringBuilder("[");
		for (int i = 0; i < series.size(); i++) {
			if (i > 0)
				b.append(",\n");
			DicomSeries s = series.get(i);
			try {
				b.append(seriesJson(reader.read(s)));
			} catch (VolSegException e) {
				b.append(seriesErrorJson(s, e.getMessage()));
			}
		}
		return b.append("]").toString();
	}

	/**
	 * JSON object for one file's decoded frames: {@code source}, {@code dims} (columns, rows,
	 * frames), {@code samples}, {@code min}, {@code max}, {@code sum}, {@code sum_sq} of the stored
	 * values before rescale, {@code transfer_syntax} (UID) and {@code transfer_syntax_name}.
	 */
	public static String fileJson(StoredValueStatistics st) {
		PixelFormat f = st.format();
		org.volseg.io.dicom.TransferSyntax ts = org.volseg.io.dicom.TransferSyntax.ofUid(st.transferSyntaxUid());
		StringBuilder b = new StringBuilder("{");
		b.append("\"source\":").append(Json.quote(st.file().toString()));
		b.append(",\"dims\":").append(array(new long[] { f.columns(), f.rows(), f.frames() }));
		b.append(",\"samples\":").append(f.samples());
		b.append(",\"min\":").append(Json.number(st.min())).append(",\"max\":").append(Json.number(st.max()));
		b.append(",\"sum\":").append(Json.number(st.sum())).append(",\"sum_sq\":").append(Json.number(st.sumOfSquares()));
		b.append(",\"transfer_syntax\":").append(Json.quote(st.transferSyntaxUid()));
		b.append(",\"transfer_syntax_name\":").append(Json.quote(ts == null ? "" : ts.displayName()));
		b.append(",\"photometric\":").append(Json.quote(f.photometric()));
		return b.append('}').toString();
	}

	private static void common(StringBuilder b, DicomSeries s) {
		b.append("\"source\":").append(Json.quote(String.valueOf(s.slices().get(0).file().getParent())));
		b.append(",\"series_uid\":").append(Json.quote(s.seriesUid()));
		b.append(",\"series_number\":").append(s.seriesNumber() == null ? "null" : s.seriesNumber().toString());
		b.append(",\"description\":").append(Json.quote(s.description()));
		b.append(",\"modality\":").append(Json.quote(s.modality()));
		b.append(",\"slices\":").append(s.sliceCount());
		b.append(",\"colour\":").append(s.colour());
		b.append(",\"localizer\":").append(s.localizer());
	}

	private static String storedType(DicomSeries s) {
		return s.storedDataType();
	}

	private static String clip(String s, int n) {
		return s.length() <= n ? s : s.substring(0, n - 1) + "…";
	}


	private static String array(long[] a) {
		StringBuilder b = new StringBuilder("[");
		for (int i = 0; i < a.length; i++)
			b.append(i > 0 ? "," : "").append(a[i]);
		return b.append(']').toString();
	}

	private static String array(double[] a) {
		StringBuilder b = new StringBuilder("[");
		for (int i = 0; i < a.length; i++)
			b.append(i > 0 ? "," : "").append(Json.number(a[i]));
		return b.append(']').toString();
	}

	private static String matrix(double[][] m) {
		StringBuilder b = new StringBuilder("[");
		for (int i = 0; i < m.length; i++)
			b.append(i > 0 ? "," : "").append(array(m[i]));
		return b.append(']').toString();
	}

	private static String strings(List<String> list) {
		StringBuilder b = new StringBuilder("[");
		for (int i = 0; i < list.size(); i++)
			b.append(i > 0 ? "," : "").append(Json.quote(list.get(i)));
		return b.append(']').toString();
	}

}
