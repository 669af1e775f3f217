package org.volseg.io.dicom;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.volseg.io.VolumeIO;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

/** The sample CT phantom as a DICOM series with its ground-truth labels, axial and obliquely rotated, for SEG tests. */
final class SegTestData {

	static final Path CASE000_DICOM = Path.of("sample-volumes", "case000_dicom");
	static final Path CASE000_LABELS = Path.of("sample-volumes", "case000_labels.nii.gz");
	static final Path CASE000_IMAGE = Path.of("sample-volumes", "case000_image.nii.gz");

	/** The phantom's classes with SNOMED CT codes (body has none: it falls back to Tissue). */
	static final Map<Integer, SegmentInfo> SEGMENTS = Map.of(
			1, new SegmentInfo(1, "body", CodedConcept.TISSUE, CodedConcept.TISSUE, 0x808080),
			2, new SegmentInfo(2, "liver", CodedConcept.ANATOMICAL_STRUCTURE, CodedConcept.snomed("10200004", "Liver"), 0xdd8241),
			3, new SegmentInfo(3, "spleen", CodedConcept.ANATOMICAL_STRUCTURE, CodedConcept.snomed("78961009", "Spleen"), 0x9d6c9a),
			4, new SegmentInfo(4, "right kidney", CodedConcept.ANATOMICAL_STRUCTURE, CodedConcept.snomed("9846003", "Right kidney"), 0xb97d55),
			5, new SegmentInfo(5, "left kidney", CodedConcept.ANATOMICAL_STRUCTURE, CodedConcept.snomed("18639004", "Left kidney"), 0xb97d56),
			6, new SegmentInfo(6, "spine", CodedConcept.ANATOMICAL_STRUCTURE, CodedConcept.snomed("421060004", "Spinal column"), 0xf1d6a1));

	private SegTestData() {
	}

	static DicomSeries series(Path folder) {
		return DicomFolderReader.mainSeries(new DicomFolderReader().scan(folder));
	}

	static Volume labels() {
		return VolumeIO.read(CASE000_LABELS).volume();
	}

	/** The affine rotated about the world origin by 20 degrees about z, then 15 degrees about x. */
	static Geometry oblique(Geometry g) {
		double a = Math.toRadians(20), b = Math.toRadians(15);
		double[][] rz = { { Math.cos(a), -Math.sin(a), 0 }, { Math.sin(a), Math.cos(a), 0 }, { 0, 0, 1 } };
		double[][] rx = { { 1, 0, 0 }, { 0, Math.cos(b), -Math.sin(b) }, { 0, Math.sin(b), Math.cos(b) } };
		double[][] r = multiply(rx, rz);
		double[][] m = g.affineLps();
		double[][] out = new double[4][4];
		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 4; j++)
				for (int k = 0; k < 3; k++)
					out[i][j] += r[i][k] * m[k][j];
		out[3][3] = 1;
		return Geometry.ofLps(out);
	}

	/** Writes case000 as an oblique DICOM series into {@code folder}; returns the series read back. */
	static DicomSeries writeObliqueSeries(Path folder) {
		Volume image = VolumeIO.read(CASE000_IMAGE).volume();
		List<Path> files = new DicomSeriesWriter().description("oblique phantom").seriesNumber(7)
				.write(image.withGeometry(oblique(image.geometry())), folder);
		if (files.isEmpty())
			throw new IllegalStateException("no file written");
		return series(folder);
	}

	private static double[][] multiply(double[][] x, double[][] y) {
		double[][] o = new double[3][3];
		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 3; j++)
				for (int k = 0; k < 3; k++)
					o[i][j] += x[i][k] * y[k][j];
		return o;
	}
}
