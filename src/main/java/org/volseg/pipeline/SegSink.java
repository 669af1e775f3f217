package org.volseg.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.volseg.InvalidParameterException;
import org.volseg.io.dicom.CodedConcept;
import org.volseg.io.dicom.DicomFolderReader;
import org.volseg.io.dicom.DicomParser;
import org.volseg.io.dicom.DicomSeries;
import org.volseg.io.dicom.SegWriter;
import org.volseg.io.dicom.SegmentInfo;
import org.volseg.model.SegmentationClass;
import org.volseg.model.SnomedCode;

/**
 * The DICOM SEG output ({@link SegWriter}): the labels as a binary Segmentation that references
 * the DICOM series segmented. Segment names, colours and SNOMED CT codes come from the model's
 * classes; SegmentAlgorithmName is the model's name. The source series' headers are scanned again
 * (not its pixels) to reference each source instance, unless the series is given.
 */
public final class SegSink implements OutputSink {

	private final Path target;
	private final String setting;
	private final DicomSeries series;

	/**
	 * @param setting the flag or field that asked for the SEG, named in error messages (e.g. {@code --output-seg})
	 */
	public SegSink(Path target, String setting) {
		this(target, setting, null);
	}

	/** A SEG of a known series (Fiji, where the scan is an open image). */
	public SegSink(Path target, String setting, DicomSeries series) {
		this.target = Objects.requireNonNull(target, "target");
		this.setting = Objects.requireNonNull(setting, "setting");
		this.series = series;
		String name = target.getFileName() == null ? "" : target.getFileName().toString();
		if (name.endsWith(".nii") || name.endsWith(".nii.gz") || name.endsWith(".png"))
			throw InvalidParameterException.of(setting, target, "a DICOM file name, e.g. labels.seg.dcm");
	}

	@Override
	public String kind() {
		return "seg";
	}

	@Override
	public Path target() {
		return target;
	}

	@Override
	public void check(Path input) {
		if (series != null)
			return;
		if (input == null)
			throw InvalidParameterException.of(setting, target,
					"an output for a DICOM input: a DICOM SEG references the DICOM images it segments, and this scan is"
							+ " not read from DICOM");
		if (!Files.isDirectory(input) && !DicomParser.isDicom(input))
			throw InvalidParameterException.of(setting, target, "an output for DICOM inputs only: " + input + " is not DICOM"
					+ " (a DICOM SEG references the DICOM images it segments); write NIfTI labels for it, or segment its"
					+ " DICOM series");
	}

	@Override
	public void write(SegmentationOutputs o, Path file) {
		DicomSeries s = series;
		if (s == null) {
			DicomFolderReader reader = new DicomFolderReader();
			s = DicomFolderReader.selectSeries(reader.scan(o.source()), o.series(), "--series");
		}
		SegWriter writer = new SegWriter().algorithmName(o.model().name());
		writer.write(o.labels(), s, segments(o.model().volseg().classes()), file);
		for (String w : writer.warnings())
			o.warnings().accept(target + ": " + w);
	}

	/** Segment descriptions of a model's classes, by label: name, colour, SNOMED CT codes (else Tissue/Tissue). */
	public static Map<Integer, SegmentInfo> segments(List<SegmentationClass> classes) {
		Map<Integer, SegmentInfo> out = new LinkedHashMap<>();
		for (SegmentationClass c : classes) {
			SnomedCode code = c.snomed();
			CodedConcept category = code == null ? CodedConcept.TISSUE : CodedConcept.snomed(code.categoryCode(), code.categoryMeaning());
			CodedConcept type = code == null ? CodedConcept.TISSUE : CodedConcept.snomed(code.code(), code.meaning());
			out.put(c.label(), new SegmentInfo(c.label(), c.name(), category, type, c.rgb()));
		}
		return out;
	}
}
