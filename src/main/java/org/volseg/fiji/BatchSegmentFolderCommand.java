package org.volseg.fiji;

import java.awt.GraphicsEnvironment;
import java.io.File;

import org.scijava.ItemVisibility;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.DynamicCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.volseg.batch.BatchCancellation;
import org.volseg.batch.BatchReport;
import org.volseg.batch.BatchSettings;

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
	private String model = ModelChoice.OTHER;
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

	/** Fills the model choice with the installed packages. */
	protected void initModels() {
		model = ModelChoice.fill(getInfo().getMutableInput("model", String.class), model, ModelCatalog.standard());
	}

	@Override
	public void run() {
		error = CommandRun.cancellable(log, status, "VolSeg batch: failed", this::isCanceled, stop -> {
			BatchSettings settings = FijiBatch.settings(CommandInputs.path(input), CommandInputs.path(output),
					FijiSettings.of(roi, overlap, blend, tta, device, batch, null), overwrite, shard);
			report = FijiBatch.run(ModelChoice.resolve(model, model_path), settings, (text, f) -> StatusProgress.show(status, text, f),
					log::info, stop::getAsBoolean, new BatchCancellation());
			String line = "VolSeg batch: " + FijiBatch.summary(report);
			log.info(line);
			StatusProgress.show(status, line, 1);
			if (!GraphicsEnvironment.isHeadless())
				FijiBatch.table(report).show("VolSeg Batch");
		});
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
