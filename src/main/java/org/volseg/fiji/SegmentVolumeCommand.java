package org.volseg.fiji;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.scijava.ItemVisibility;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.DynamicCommand;
import org.scijava.log.LogService;
import org.scijava.module.MutableModuleItem;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.volseg.VolSegException;
import org.volseg.pipeline.SegmentationSettings;
import org.volseg.pipeline.SettingText;
import org.volseg.CancelledException;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.Overlay;
import ij.measure.ResultsTable;

/**
 * {@code Plugins > VolSeg > Segment Volume...}: segments the current image (or a NIfTI file / DICOM
 * file) with a model package and shows the label image (model colours), the overlay on the scan and
 * the results table. Thin: {@link FijiSettings} builds the settings, {@link FijiSegmentation} does
 * the work. Cancel with Esc (ImageJ's convention) or by interrupting the command's thread.
 *
 * <p>Macro: {@code run("Segment Volume...", "model=[my model] roi=96,96,96 overlap=0.5 device=cpu display=outlines");}</p>
 */
@Plugin(type = Command.class, menuPath = "Plugins>VolSeg>Segment Volume...", headless = true,
		description = "Segment a CT/MRI volume with a VolSeg model package")
public class SegmentVolumeCommand extends DynamicCommand {

	static final String OTHER_MODEL = "(use model_path)";

	@Parameter
	private LogService log;

	@Parameter(required = false)
	private StatusService status;

	@Parameter(label = "Image", required = false, persist = false, description = "The scan to segment (default: the current image)")
	private ImagePlus image;

	@Parameter(label = "Or a file", required = false, persist = false, style = FileWidget.OPEN_STYLE,
			description = "A NIfTI file (.nii, .nii.gz) or a DICOM file to segment instead of the current image")
	private File input_file;

	@Parameter(label = "Model", initializer = "initModels", description = "An installed model (Fiji.app/models/volseg or ~/.volseg/models)")
	private String model = OTHER_MODEL;

	@Parameter(label = "Or a model package", required = false, persist = false, style = FileWidget.OPEN_STYLE,
			description = "rdf.yaml of a package folder, or a package .zip (wins over the list)")
	private File model_path;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)
	private String advanced = "--- Advanced (blank = the model's values) ---";

	@Parameter(label = "Window (ROI) X,Y,Z", required = false, description = "Sliding-window size in voxels, e.g. 96,96,96")
	private String roi = "";

	@Parameter(label = "Overlap", required = false, description = "Overlap of neighbouring windows, 0 to 0.9")
	private String overlap = "";

	@Parameter(label = "Blend", choices = { "model", "gaussian", "constant" })
	private String blend = "model";

	@Parameter(label = "Test-time mirroring", choices = { "model", "none", "flips" },
			description = "flips: each window also predicted mirrored along x, y and z (8 times the time), outputs averaged")
	private String tta = "model";

	@Parameter(label = "Device", choices = { "auto", "cpu", "gpu" })
	private String device = "auto";

	@Parameter(label = "Batch (windows per call)", min = "1")
	private int batch = 1;

	@Parameter(label = "Overlay", choices = { "filled", "outlines", "none" })
	private String display = "filled";

	@Parameter(label = "Overlay opacity (%)", min = "0", max = "100", style = "slider")
	private int opacity = 40;

	@Parameter(label = "Results table")
	private boolean show_results = true;

	@Parameter(label = "Save labels to (optional)", required = false, persist = false, style = FileWidget.SAVE_STYLE,
			description = "Also write the labels as NIfTI (.nii or .nii.gz)")
	private File output_file;

	@Parameter(label = "Trust this model", required = false, persist = false, description = "Run the model even if its"
			+ " graph holds operations outside VolSeg's allow-list (they are listed when VolSeg refuses it): file,"
			+ " network or Python operations. Only for models from authors you trust.")
	private boolean trust_model = false;

	private ImagePlus scan;
	private ImagePlus labels;
	private ResultsTable results;
	private Overlay overlay;
	private String error;

	/** Fills the model choice with the installed packages. */
	protected void initModels() {
		List<String> choices = new ArrayList<>();
		for (ModelCatalog.InstalledModel m : ModelCatalog.standard().list())
			choices.add(m.name());
		choices.add(OTHER_MODEL);
		MutableModuleItem<String> item = getInfo().getMutableInput("model", String.class);
		item.setChoices(choices);
		if (model == null || model.isBlank())
			model = choices.get(0); // a name given by a macro is kept, even if not listed: run() reports it
	}

	@Override
	public void run() {
		Thread worker = Thread.currentThread();
		IJ.resetEscape();
		BooleanSupplier cancelled = () -> IJ.escapePressed() || worker.isInterrupted() || isCanceled();
		try {
			// Every option is checked before the scan is read or the model loaded.
			SegmentationSettings settings = FijiSettings.of(roi, overlap, blend, tta, device, batch,
					output_file == null || output_file.getPath().isBlank() ? null : output_file.toPath());
			OverlayStyle style = OverlayStyle.parse("display", display);
			double alpha = SettingText.FIJI.integer("opacity", Integer.toString(opacity), 0, 100) / 100.0;
			scan = input_file != null && !input_file.getPath().isBlank() ? FijiSegmentation.open(input_file.toPath(), null)
					: image != null ? image : WindowManager.getCurrentImage();
			if (scan == null)
				throw new VolSegException("no image to segment: open a scan (File > Open, Plugins > VolSeg > Open NIfTI...) or give input_file");
			String chosen = model_path != null && !model_path.getPath().isBlank() ? model_path.getPath()
					: OTHER_MODEL.equals(model) ? "" : model;
			StatusProgress progress = new StatusProgress(scan.getTitle(), this::showStatus, log::warn);
			showStatus("VolSeg: loading model " + (chosen.isEmpty() ? "" : chosen), 0);
			ImagePlus input = scan;
			FijiSegmentation.Outcome outcome = LoadedModels.with(ModelCatalog.standard().resolve("model", chosen),
					settings.engineOptions().withTrustModel(trust_model), segmenter -> FijiSegmentation.segment(segmenter, input, settings, progress, cancelled));
			labels = outcome.labels();
			results = outcome.results();
			overlay = FijiSegmentation.showOverlay(scan, labels, style, alpha);
			progress.done(String.format(java.util.Locale.ROOT, "%d labels in %.1f s on %s", outcome.rows().size(),
					outcome.result().secondsTotal(), outcome.result().device()));
			if (!GraphicsEnvironment.isHeadless()) {
				if (scan.getWindow() == null)
					scan.show();
				else
					scan.updateAndDraw();
				labels.show();
				if (show_results)
					results.show(LabelResults.TITLE);
			}
		} catch (CancelledException e) {
			error = e.getMessage();
			showStatus("VolSeg: " + e.getMessage(), 1);
			log.info("VolSeg: " + e.getMessage());
		} catch (VolSegException e) {
			error = e.getMessage();
			showStatus("VolSeg: failed", 1);
			CommandErrors.report(log, e);
		} finally {
			IJ.resetEscape();
		}
	}

	private void showStatus(String text, double fraction) {
		StatusProgress.show(status, text, fraction);
	}

	/** The scan segmented (the given image, or the file opened). */
	public ImagePlus scan() {
		return scan;
	}

	/** The label image, or null if the run failed or was cancelled. */
	public ImagePlus labels() {
		return labels;
	}

	/** The results table, or null if the run failed or was cancelled. */
	public ResultsTable results() {
		return results;
	}

	/** The overlay set on the scan, or null. */
	public Overlay overlay() {
		return overlay;
	}

	/** Why the run failed or was cancelled, or null. */
	public String error() {
		return error;
	}
}
