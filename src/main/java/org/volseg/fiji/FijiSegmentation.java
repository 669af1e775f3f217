package org.volseg.fiji;

import java.awt.GraphicsEnvironment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.volseg.io.LoadedVolume;
import org.volseg.io.VolumeIO;
import org.volseg.model.SegmentationClass;
import org.volseg.pipeline.SegmentationListener;
import org.volseg.runtime.EngineOptions;
import org.volseg.pipeline.SegmentationResult;
import org.volseg.pipeline.SegmentationSettings;
import org.volseg.pipeline.Segmenter;
import org.volseg.volume.LabelStatistics;
import org.volseg.volume.Volume;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.measure.ResultsTable;

/**
 * What the Fiji command and the macro API share: segment an open image with a loaded model and
 * turn the result into ImageJ objects (the label image with the model's colours, the results table
 * with per-label intensity statistics, the overlay on the scan). No dialogs, no windows: callers
 * decide what to show. Stateless.
 */
final class FijiSegmentation {

	/**
	 * A segmentation as ImageJ objects.
	 *
	 * @param labels the label image (8- or 16-bit, the scan's size and geometry, colours and class
	 *        names of the model)
	 * @param results one row per label: name, voxels, mL, mean and SD of the scan's intensity
	 * @param rows the same statistics as numbers
	 * @param result the pipeline's result (timings, device, files written)
	 */
	public record Outcome(ImagePlus labels, ResultsTable results, List<LabelStatistics.Row> rows,
			SegmentationResult result) {

		/** One line for the status bar: {@code "2 labels in 3.4 s on CPU"}. */
		public String summary() {
			return String.format(java.util.Locale.ROOT, "%d labels in %.1f s on %s", rows.size(), result.secondsTotal(),
					result.device());
		}
	}

	private FijiSegmentation() {
	}

	/**
	 * Segments an image with a package, loaded now or kept from an earlier run ({@link LoadedModels}):
	 * {@link #segment(Segmenter, ImagePlus, SegmentationSettings, SegmentationListener, BooleanSupplier)}
	 * holding the loaded model.
	 *
	 * @param model the package (folder, rdf.yaml or .zip)
	 * @param options how to load it (device, threads, trust)
	 */
	public static Outcome segment(Path model, EngineOptions options, ImagePlus scan, SegmentationSettings settings,
			SegmentationListener listener, BooleanSupplier cancel) {
		return LoadedModels.with(model, options, segmenter -> segment(segmenter, scan, settings, listener, cancel));
	}

	/**
	 * Segments an image. 32-bit images are read without copying; the image is not modified. If the
	 * settings name a labels output file it is written (atomically) with the scan's geometry.
	 *
	 * @param cancel polled between stages and batches of windows
	 * @throws org.volseg.VolSegException for an image the model cannot take, bad settings, ...
	 * @throws org.volseg.CancelledException when cancelled (no file is written)
	 */
	public static Outcome segment(Segmenter segmenter, ImagePlus scan, SegmentationSettings settings,
			SegmentationListener listener, BooleanSupplier cancel) {
		Volume volume = ImagePlusVolumes.toVolume(scan);
		SegmentationResult result = segmenter.segment(volume, settings, listener, cancel);
		List<SegmentationClass> classes = segmenter.descriptor().volseg().classes();
		ImagePlus labels = LabelImages.toImagePlus(result.labels(), classes, segmenter.descriptor().name(),
				labelTitle(scan.getTitle()));
		FijiSeg.linkToScan(labels, scan);
		List<LabelStatistics.Row> rows = LabelStatistics.of(result.labels(), volume);
		ResultsTable table = LabelResults.table(rows, LabelImages.namesOf(labels));
		return new Outcome(labels, table, rows, result);
	}

	/**
	 * Builds the label overlay and sets it on the scan (replacing its overlay); {@link OverlayStyle#NONE}
	 * removes it.
	 *
	 * @param opacity 0..1 for filled labels
	 * @return the overlay set, or null for none
	 */
	public static Overlay showOverlay(ImagePlus scan, ImagePlus labels, OverlayStyle style, double opacity) {
		if (labels.getWidth() != scan.getWidth() || labels.getHeight() != scan.getHeight()
				|| labels.getStackSize() != scan.getNSlices())
			throw new org.volseg.VolSegException("label image '" + labels.getTitle() + "' (" + labels.getWidth() + "x"
					+ labels.getHeight() + "x" + labels.getStackSize() + ") does not match the scan '" + scan.getTitle()
					+ "' (" + scan.getWidth() + "x" + scan.getHeight() + "x" + scan.getNSlices()
					+ "); show labels only on the image they were made from");
		if (style == OverlayStyle.NONE) {
			scan.setOverlay(null);
			return null;
		}
		Map<Integer, String> names = LabelImages.namesOf(labels);
		Overlay overlay = LabelOverlays.build(labels, style, opacity, names, scan.isHyperStack());
		scan.setOverlay(overlay);
		return overlay;
	}

	/**
	 * Shows a segmentation's windows when there is a screen (else does nothing): the scan (its overlay
	 * redrawn), the label image and, unless null, the results table as {@link LabelResults#TITLE}.
	 */
	public static void showWindows(ImagePlus scan, ImagePlus labels, ResultsTable results) {
		if (GraphicsEnvironment.isHeadless())
			return;
		if (scan.getWindow() == null)
			scan.show();
		else
			scan.updateAndDraw();
		labels.show();
		if (results != null)
			results.show(LabelResults.TITLE);
	}

	/**
	 * The scan to segment: the file opened (main series), else the image given, else the current image.
	 *
	 * @param file a NIfTI file or DICOM folder/file, or null
	 * @throws org.volseg.VolSegException when there is none, saying how to open one
	 */
	public static ImagePlus scanToSegment(Path file, ImagePlus given) {
		return file != null ? open(file, null) : CommandInputs.imageOrCurrent(given,
				"no image to segment: open a scan (File > Open, Plugins > VolSeg > Open NIfTI...) or give input_file");
	}

	/**
	 * Opens a NIfTI file or a DICOM folder/file as a 32-bit image, calibrated in mm, with its
	 * geometry kept ({@link ImagePlusVolumes#AFFINE_PROPERTY}), titled after the file.
	 *
	 * @param series DICOM SeriesNumber, or null for the main series
	 */
	public static ImagePlus open(Path input, Integer series) {
		LoadedVolume loaded = VolumeIO.standard(series).open(input, false);
		ImagePlus image = ImagePlusVolumes.toImagePlus(loaded.volume(), titleOf(input));
		Object description = loaded.details().get("description");
		StringBuilder info = new StringBuilder("Source: ").append(input).append('\n').append("Format: ")
				.append(loaded.format()).append(" (").append(loaded.datatype()).append(")\n");
		loaded.details().forEach((k, v) -> info.append(k).append(": ").append(v).append('\n'));
		image.setProperty("Info", info.toString());
		image.setProp("volseg.source", input.toAbsolutePath().toString());
		if (description instanceof String d && !d.isBlank())
			image.setTitle(titleOf(input) + " - " + d);
		return image;
	}

	/** The label image's title for a scan's: the scan's without extension, plus {@code -labels}. */
	static String labelTitle(String scanTitle) {
		return stripExtension(scanTitle == null || scanTitle.isBlank() ? "scan" : scanTitle) + "-labels";
	}

	static String titleOf(Path input) {
		Path name = input.toAbsolutePath().normalize().getFileName();
		return name == null ? input.toString() : name.toString();
	}

	static String stripExtension(String name) {
		for (String ext : new String[] { ".nii.gz", ".nii", ".dcm", ".tif", ".tiff" })
			if (name.toLowerCase(java.util.Locale.ROOT).endsWith(ext))
				return name.substring(0, name.length() - ext.length());
		return name;
	}
}
