package org.volseg.fiji;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.volseg.VolSegException;
import org.volseg.io.dicom.DicomFolderReader;
import org.volseg.io.dicom.DicomSegmentation;
import org.volseg.io.dicom.DicomSeries;
import org.volseg.io.dicom.SegReader;
import org.volseg.io.dicom.SegWriter;
import org.volseg.io.dicom.SegmentInfo;
import org.volseg.model.DescriptorReader;
import org.volseg.model.SegmentationClass;
import org.volseg.pipeline.SegSink;
import org.volseg.volume.Volume;

import ij.ImagePlus;
import ij.measure.ResultsTable;

/**
 * DICOM SEG in Fiji: a label image (edited or not) saved as a SEG of the DICOM series its scan was
 * opened from, and a SEG opened onto an open scan as a label image. The scan's DICOM folder and
 * series are those {@link DicomSeriesChooser#open} and {@link FijiSegmentation} record in the image
 * properties ({@code volseg.source}, {@code volseg.series_uid}; the label image made from a scan
 * carries them as {@link #SCAN_SOURCE} and {@link #SCAN_SERIES}), or a folder given explicitly.
 */
final class FijiSeg {

	/** The DICOM folder (or file) of the scan a label image was made from. */
	public static final String SCAN_SOURCE = "volseg.scan_source";
	/** The SeriesInstanceUID of the scan a label image was made from. */
	public static final String SCAN_SERIES = "volseg.scan_series_uid";

	/** A SEG opened onto a scan: the label image and its results table. */
	public record Opened(ImagePlus labels, ResultsTable results, List<String> warnings) {}

	private FijiSeg() {
	}

	/** Records on a label image where its scan came from (called when a scan is segmented). */
	static void linkToScan(ImagePlus labels, ImagePlus scan) {
		String source = scan.getProp("volseg.source");
		if (source != null)
			labels.setProp(SCAN_SOURCE, source);
		String series = scan.getProp("volseg.series_uid");
		if (series != null)
			labels.setProp(SCAN_SERIES, series);
	}

	/**
	 * Writes a label image as a DICOM SEG of its scan's series.
	 *
	 * @param dicomFolder the scan's DICOM folder, or null for the one recorded on the label image
	 * @return the file written
	 * @throws VolSegException if no DICOM series is known or found, or the labels are not on its grid
	 */
	public static Path save(ImagePlus labels, Path dicomFolder, Path target) {
		DicomSeries series = seriesOf(labels.getTitle(), dicomFolder, labels.getProp(SCAN_SOURCE), labels.getProp(SCAN_SERIES),
				"dicom_folder");
		Volume volume = ImagePlusVolumes.toVolume(labels);
		if (volume.geometry().equalsWithin(series.geometry(), 1e-2))
			volume = volume.withGeometry(series.geometry()); // ImageJ keeps the affine as text: absorb its rounding
		String model = labels.getProp(LabelImages.MODEL_PROPERTY);
		Map<Integer, SegmentInfo> segments = SegSink.segments(classes(labels, model));
		new SegWriter().algorithmName(model == null ? "VolSeg (edited in Fiji)" : model).write(volume, series, segments, target);
		return target;
	}

	/**
	 * Opens a SEG onto a scan: on the grid of the scan's DICOM series when it is known (frames matched
	 * by referenced instance or position), else on the SEG's own grid, which must then match the scan.
	 */
	public static Opened open(Path seg, ImagePlus scan) {
		String source = scan.getProp("volseg.source");
		DicomSeries series = null;
		if (source != null && (Files.isDirectory(Path.of(source)) || org.volseg.io.dicom.DicomParser.isDicom(Path.of(source))))
			series = seriesOf(scan.getTitle(), null, source, scan.getProp("volseg.series_uid"), "scan");
		DicomSegmentation read = SegReader.read(seg, series);
		Volume labels = read.labels();
		Volume scanVolume = ImagePlusVolumes.toVolume(scan);
		if (series == null && !java.util.Arrays.equals(java.util.Arrays.copyOf(scanVolume.dimensions(), 3), labels.dimensions()))
			throw new VolSegException(seg + ": its frames make a " + labels.dimension(0) + " x " + labels.dimension(1) + " x "
					+ labels.dimension(2) + " grid, but the scan '" + scan.getTitle() + "' is " + scanVolume.dimension(0) + " x "
					+ scanVolume.dimension(1) + " x " + scanVolume.dimension(2) + "; open the DICOM series the SEG was made"
					+ " from (Plugins > VolSeg > Open DICOM Series...) and open the SEG onto it");
		if (series == null)
			labels = labels.withGeometry(scanVolume.geometry());
		List<SegmentationClass> classes = new ArrayList<>();
		for (SegmentInfo s : read.segments()) {
			int rgb = s.rgb() >= 0 ? s.rgb() : 0xffffff;
			classes.add(new SegmentationClass(s.label(), s.name(), rgb >> 16 & 255, rgb >> 8 & 255, rgb & 255));
		}
		ImagePlus image = LabelImages.toImagePlus(labels, classes, "DICOM SEG " + seg.getFileName(),
				FijiSegmentation.labelTitle(scan.getTitle()));
		linkToScan(image, scan);
		ResultsTable table = LabelResults.table(labels, scanVolume, LabelImages.namesOf(image));
		return new Opened(image, table, read.warnings());
	}

	/** The model's classes (with their SNOMED CT codes) when it is installed, else those stored on the image. */
	private static List<SegmentationClass> classes(ImagePlus labels, String model) {
		if (model != null)
			for (ModelCatalog.InstalledModel m : ModelCatalog.standard().list())
				if (m.name().equals(model))
					try {
						return DescriptorReader.read(m.folder().resolve("rdf.yaml")).volseg().classes();
					} catch (RuntimeException e) {
						break;
					}
		return LabelImages.classesOf(labels);
	}

	private static DicomSeries seriesOf(String title, Path given, String recorded, String seriesUid, String parameter) {
		Path folder = given != null ? given : recorded == null ? null : Path.of(recorded);
		if (folder == null || !(Files.isDirectory(folder) || org.volseg.io.dicom.DicomParser.isDicom(folder)))
			throw new VolSegException("'" + title + "' was not made from a DICOM series VolSeg knows (" + (folder == null
					? "no DICOM folder recorded" : folder + " is not DICOM") + "); give the scan's DICOM folder (" + parameter
					+ "): a DICOM SEG references the DICOM images it segments");
		List<DicomSeries> all = new DicomFolderReader().scan(folder);
		if (seriesUid != null)
			for (DicomSeries s : all)
				if (s.seriesUid().equals(seriesUid))
					return s;
		return DicomFolderReader.mainSeries(all);
	}
}
