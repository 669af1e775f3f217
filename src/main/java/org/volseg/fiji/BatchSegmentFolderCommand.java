package org.volseg.fiji;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

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
import org.volseg.batch.BatchCancellation;
import org.volseg.batch.BatchReport;
import org.volseg.batch.BatchSettings;
import org.volseg.batch.Shard;
import org.volseg.pipeline.SegmentationSettings;

import ij.IJ;
import ij.measure.ResultsTable;

/**
 * {@code Plugins > VolSeg > Batch Segment Folder...}: segments every NIfTI file and DICOM series
 * under a folder (or listed in a CSV file) into an output folder with {@code summary.csv}, resuming
 * where an earlier run stopped, logging and skipping bad inputs; the library's batch runner does the
 * work ({@link FijiBatch}). Progress per file and overall in the status bar; Esc stops after the
 * current file.
 */
@Plugin(type = Command.class, menuPath = "Plugins>VolSeg>Batch Segment Folder...", headless = true)
public class BatchSegmentFolderCommand extends DynamicCommand {

	@Parameter
	private LogService log;

	@Parameter(required = false)
	private StatusService status;

	@Parameter(label = "Input folder", description = "Every NIfTI file and DICOM series under it (a macro may give a .csv list instead)", style = FileWidget.DIRECTORY_STYLE, persist = false)
	private File input;

	@Parameter(label = "Output folder", style = FileWidget.DIRECTORY_STYLE, persist = false)
	private File output;

	@Parameter(label = "Model", initializer = "initModels")
	private String model = SegmentVolumeCommand.OTHER_MODEL;

	@Parameter(label = "Or a model package", required = false, persist = false, style = FileWidget.OPEN_STYLE)
	private File model_path;

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)
	private String advanced = "--- Advanced (blank = the model's values) ---";

	@Parameter(label = "Window (ROI) X,Y,Z", required = false)
	private String roi = "";

	@Parameter(label = "Overlap", required = false)
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

	@Parameter(label = "Redo finished inputs (overwrite)")
	private boolean overwrite = false;

	@Parameter(label = "Shard K/N (blank: all)", required = false)
	private String shard = "";

	private BatchReport report;
	private String error;

	protected void initModels() {
		List<String> choices = new ArrayList<>();
		for (ModelCatalog.InstalledModel m : ModelCatalog.standard().list())
			choices.add(m.name());
		choices.add(SegmentVolumeCommand.OTHER_MODEL);
		MutableModuleItem<String> item = getInfo().getMutableInput("model", String.class);
		item.setChoices(choices);
		if (model == null || model.isBlank())
			model = choices.get(0);
	}

	@Override
	public void run() {
		Thread worker = Thread.currentThread();
		IJ.resetEscape();
		try {
			if (input == null || output == null)
				throw new VolSegException("give an input folder (or .csv list) and an output folder");
			SegmentationSettings segmentation = FijiSettings.of(roi, overlap, blend, tta, device, batch, null);
			BatchSettings settings = BatchSettings.builder(input.toPath(), output.toPath()).segmentation(segmentation)
					.overwrite(overwrite).shard(shard == null || shard.isBlank() ? Shard.ALL : Shard.parse(shard)).build();
			String chosen = model_path != null && !model_path.getPath().isBlank() ? model_path.getPath()
					: SegmentVolumeCommand.OTHER_MODEL.equals(model) ? "" : model;
			BatchCancellation cancellation = new BatchCancellation();
			report = FijiBatch.run(ModelCatalog.standard().resolve("model", chosen), settings, this::showStatus, log::info,
					() -> IJ.escapePressed() || worker.isInterrupted() || isCanceled(), cancellation);
			String line = FijiBatch.summary(report);
			log.info("VolSeg batch: " + line);
			showStatus("VolSeg batch: " + line, 1);
			if (!GraphicsEnvironment.isHeadless())
				FijiBatch.table(report).show("VolSeg Batch");
		} catch (VolSegException e) {
			error = e.getMessage();
			CommandErrors.report(log, e);
		} finally {
			IJ.resetEscape();
		}
	}

	private void showStatus(String text, double fraction) {
		StatusProgress.show(status, text, fraction);
	}

	/** What the run did, or null after an error. */
	public BatchReport report() {
		return report;
	}

	/** The report as a table, or null. */
	public ResultsTable table() {
		return report == null ? null : FijiBatch.table(report);
	}

	/** The error message, or null. */
	public String error() {
		return error;
	}
}
