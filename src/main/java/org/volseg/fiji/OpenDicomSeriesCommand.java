package org.volseg.fiji;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.util.List;

import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.volseg.VolSegException;
import org.volseg.io.dicom.DicomSeries;

import ij.ImagePlus;
import ij.gui.GenericDialog;

/**
 * {@code Plugins > VolSeg > Open DICOM Series...}: scans a folder (recursively) for DICOM series;
 * when it holds several and {@code series} is blank, a chooser lists them (number, description,
 * modality, size); headless or in a macro, {@code series} picks one ({@code main}, a SeriesNumber
 * or {@code #k}) and blank means the main series. The image opens in real values (HU for CT),
 * calibrated in mm, with the series' geometry kept.
 */
@Plugin(type = Command.class, menuPath = "Plugins>VolSeg>Open DICOM Series...", headless = true)
public class OpenDicomSeriesCommand extends ContextCommand {

	@Parameter
	private LogService log;

	@Parameter(label = "DICOM folder", style = FileWidget.DIRECTORY_STYLE)
	private File folder;

	@Parameter(label = "Series (blank: choose)", required = false,
			description = "blank: ask (main series when headless); main; a SeriesNumber; or #k for the k-th series found")
	private String series = "";

	private ImagePlus image;
	private String error;

	@Override
	public void run() {
		try {
			List<DicomSeries> all = DicomSeriesChooser.scan(folder.toPath());
			String wanted = series;
			boolean interactive = !GraphicsEnvironment.isHeadless() && !ij.macro.Interpreter.isBatchMode();
			if ((wanted == null || wanted.isBlank()) && all.size() > 1 && interactive) {
				List<String> lines = DicomSeriesChooser.describeAll(all);
				GenericDialog gd = new GenericDialog("VolSeg: choose a DICOM series");
				gd.addChoice("series", lines.toArray(new String[0]),
						DicomSeriesChooser.describe(org.volseg.io.dicom.DicomFolderReader.mainSeries(all)));
				gd.showDialog();
				if (gd.wasCanceled()) {
					cancel("no series chosen");
					return;
				}
				wanted = "#" + (gd.getNextChoiceIndex() + 1);
			}
			image = DicomSeriesChooser.open(folder.toPath(), DicomSeriesChooser.choose(all, wanted));
			if (!GraphicsEnvironment.isHeadless())
				image.show();
		} catch (VolSegException e) {
			error = e.getMessage();
			CommandRun.report(log, e);
		}
	}

	/** The opened image, or null. */
	public ImagePlus image() {
		return image;
	}

	/** The error message, or null. */
	public String error() {
		return error;
	}
}
