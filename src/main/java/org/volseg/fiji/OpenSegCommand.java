package org.volseg.fiji;

import java.io.File;

import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;

/**
 * {@code Plugins > VolSeg > Open DICOM SEG...}: reads a DICOM SEG onto the open scan (its DICOM
 * series' grid when the scan was opened from DICOM) as a label image (segment numbers as labels,
 * segment names and colours), shows the label overlay on the scan and the results table; overlapping
 * segments are reported in the log (the last segment is kept). See {@link FijiSeg#open}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>VolSeg>Open DICOM SEG...", headless = true)
public class OpenSegCommand extends ContextCommand {

	@Parameter
	private LogService log;

	@Parameter(label = "DICOM SEG file")
	private File file;

	@Parameter(label = "Scan", required = false, persist = false, description = "The scan (default: the current image)")
	private ImagePlus scan;

	@Parameter(label = "Display", choices = { "filled", "outlines", "none" })
	private String display = "filled";

	@Parameter(label = "Opacity (%)", min = "0", max = "100")
	private int opacity = 40;

	private FijiSeg.Opened opened;
	private String error;

	@Override
	public void run() {
		error = CommandRun.guarded(log, () -> {
			OverlaySettings drawn = OverlaySettings.parse(display, Integer.toString(opacity));
			ImagePlus image = CommandInputs.imageOrCurrent(scan,
					"no scan is open: open the DICOM series first (Plugins > VolSeg > Open DICOM Series...)");
			opened = FijiSeg.open(file.toPath(), image);
			for (String w : opened.warnings())
				log.warn("VolSeg: " + w);
			drawn.showOn(image, opened.labels());
			FijiSegmentation.showWindows(image, opened.labels(), opened.results());
		});
	}

	/** The label image made, or null. */
	public ImagePlus labels() {
		return opened == null ? null : opened.labels();
	}

	/** The results table, or null. */
	public ij.measure.ResultsTable results() {
		return opened == null ? null : opened.results();
	}

	/** The reader's warnings (overlaps), or an empty list. */
	public java.util.List<String> warnings() {
		return opened == null ? java.util.List.of() : opened.warnings();
	}

	/** The error message, or null. */
	public String error() {
		return error;
	}
}
