package org.volseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.volseg.VolSegException;
import org.volseg.util.AtomicFiles;
import org.volseg.util.Json;
import org.volseg.io.dicom.CodedConcept;
import org.volseg.io.dicom.DicomFolderReader;
import org.volseg.io.dicom.DicomSegmentation;
import org.volseg.io.dicom.DicomSeries;
import org.volseg.io.dicom.SegReader;
import org.volseg.io.dicom.SegmentInfo;
import org.volseg.io.nifti.NiftiWriter;

/**
 * A DICOM SEG converted to a NIfTI label image: the labels ({@code NiftiWriter.writeLabels}) and
 * a sidecar {@code STEM.segments.json} next to them (STEM: the NIfTI name without .nii/.nii.gz)
 * holding the segments: {@code {"source": SEG, "referenced_series_uid": UID, "segments": [{"label",
 * "name", "category": {"code", "scheme", "meaning"}, "type": {...}, "color": [r, g, b]}]}}.
 * The segments and the reader's warnings (overlaps) are printed.
 */
final class SegConversion {

	private SegConversion() {
	}

	static void convert(Path seg, Path reference, Path output, PrintWriter out, PrintWriter err) {
		DicomSeries series = null;
		if (reference != null) {
			List<DicomSeries> all = new DicomFolderReader().scan(reference);
			String wanted = SegReader.read(seg).referencedSeriesUid();
			for (DicomSeries s : all)
				if (s.seriesUid().equals(wanted))
					series = s;
			if (series == null) {
				series = DicomFolderReader.mainSeries(all);
				err.println("warning: no series in " + reference + " has the SEG's referenced SeriesInstanceUID " + wanted
						+ "; using the main series " + series.seriesUid() + " (frames are matched by position)");
			}
		}
		DicomSegmentation s = SegReader.read(seg, series);
		for (String w : s.warnings())
			err.println("warning: " + w);
		err.flush();
		NiftiWriter.writeLabels(s.labels(), output);
		Path sidecar = sidecar(output);
		try {
			AtomicFiles.writeString(sidecar, Json.write(json(seg, s)) + "\n");
		} catch (IOException e) {
			throw new VolSegException(sidecar + ": cannot write the segment list (" + e.getMessage() + ")", e);
		}
		out.printf(Locale.ROOT, "%6s  %s%n", "label", "segment");
		for (SegmentInfo i : s.segments())
			out.printf(Locale.ROOT, "%6d  %s (%s)%n", i.label(), i.name(), i.type().meaning());
		out.println("wrote " + output + " (labels), " + sidecar + " (segments)");
		out.flush();
	}

	/** {@code labels.nii.gz} -> {@code labels.segments.json}. */
	static Path sidecar(Path nifti) {
		String name = nifti.getFileName().toString().replaceFirst("(?i)\\.nii(\\.gz)?$", "");
		return nifti.resolveSibling(name + ".segments.json");
	}

	private static Map<String, Object> json(Path seg, DicomSegmentation s) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("source", seg.toString());
		m.put("referenced_series_uid", s.referencedSeriesUid());
		List<Object> segments = new ArrayList<>();
		for (SegmentInfo i : s.segments()) {
			Map<String, Object> e = new LinkedHashMap<>();
			e.put("label", i.label());
			e.put("name", i.name());
			e.put("category", code(i.category()));
			e.put("type", code(i.type()));
			if (i.rgb() >= 0)
				e.put("color", List.of(i.rgb() >> 16 & 255, i.rgb() >> 8 & 255, i.rgb() & 255));
			segments.add(e);
		}
		m.put("segments", segments);
		m.put("warnings", s.warnings());
		return m;
	}

	private static Map<String, Object> code(CodedConcept c) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("code", c.value());
		m.put("scheme", c.scheme());
		m.put("meaning", c.meaning());
		return m;
	}
}
