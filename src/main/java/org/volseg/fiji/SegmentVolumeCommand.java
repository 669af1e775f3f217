package org.volseg.fiji;

import java.io.File;
import java.nio.file.Path;

import org.scijava.ItemVisibility;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.DynamicCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.volseg.pipeline.SegmentationSettings;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.measure.ResultsTable;

/**
 * {@code Plugins > VolSeg > Segment Volume...}: segments the current image (or a NIfTI file / DICOM
 * file) with a model package and shows the label image (model colours), the overlay on the scan and
 * the results table. Thin: {@link FijiSettings} and {@link OverlaySettings} check every option before
 * the scan is read or the model loaded, {@link FijiSegmentation} does the work, {@link CommandRun}
 * reports errors. Cancel with Esc (ImageJ's convention) or by interrupting the command's thread.
 *
 * <p>Macro: {@code run("Segment Volume...", "model=[my model] roi=96,96,96 overlap=0.5 device=cpu display=outlines");}</p>
 */
@Plugin(type = Command.class, menuPath = "Plugins>VolSeg>Segment Volume...", headless = true,
		description = "Segment a CT/MRI volume with a VolSeg model package")
public class SegmentVolumeCommand extends DynamicCommand {

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
	private String model = ModelChoice.OTHER;
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
	private FijiSegmentation.Outcome outcome;
	private Overlay overlay;
	private String error;

	/** Fills the model choice with the installed packages. */
	protected void initModels() {
		model = ModelChoice.fill(getInfo().getMutableInput("model", String.class), model, ModelCatalog.standard());
	}

	@Override
	public void run() {
		error = CommandRun.cancellable(log, status, "VolSeg: failed", this::isCanceled, cancelled -> {
			SegmentationSettings settings = FijiSettings.of(roi, overlap, blend, tta, device, batch, CommandInputs.path(output_file));
			OverlaySettings drawn = OverlaySettings.parse(display, Integer.toString(opacity));
			Path pkg = ModelChoice.resolve(model, model_path);
			scan = FijiSegmentation.scanToSegment(CommandInputs.path(input_file), image);
			StatusProgress progress = new StatusProgress(scan.getTitle(), (text, f) -> StatusProgress.show(status, text, f), log::warn);
			progress.loading(pkg);
			outcome = FijiSegmentation.segment(pkg, settings.engineOptions().withTrustModel(trust_model), scan, settings,
					progress, cancelled);
			overlay = drawn.showOn(scan, outcome.labels());
			progress.done(outcome.summary());
			FijiSegmentation.showWindows(scan, outcome.labels(), show_results ? outcome.results() : null);
		});
	}

	/** The scan segmented (the given image, or the file opened). */
	public ImagePlus scan() { return scan; }

	/** The label image, or null if the run failed or was cancelled. */
	public ImagePlus labels() { return outcome == null ? null : outcome.labels(); }

	/** The results table, or null if the run failed or was cancelled. */
	public ResultsTable results() { return outcome == null ? null : outcome.results(); }

	/** The overlay set on the scan, or null. */
	public Overlay overlay() { return overlay; }

	/** Why the run failed or was cancelled, or null. */
	public String error() { return error; }
}
