package org.volseg.fiji;

import java.io.File;
import java.nio.file.Path;

import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.volseg.VolSegException;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;

/**
 * {@code Plugins > VolSeg > Save Labels as NIfTI...}: writes the current label image (8/16-bit, or
 * 32-bit with integer values) as a NIfTI label map (uint8, or uint16 above 255) with the geometry of
 * the scan it was made on, atomically; see {@link LabelFiles}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>VolSeg>Save Labels as NIfTI...", headless = true)
public class SaveLabelsCommand extends ContextCommand {

	@Parameter
	private LogService log;

	@Parameter(label = "Label image", required = false, persist = false)
	private ImagePlus labels;

	@Parameter(label = "NIfTI file (.nii.gz or .nii)", style = FileWidget.SAVE_STYLE)
	private File file;

	private Path written;
	private String error;

	@Override
	public void run() {
		try {
			ImagePlus image = labels != null ? labels : WindowManager.getCurrentImage();
			if (image == null)
				throw new VolSegException("no label image: segment a scan first (Plugins > VolSeg > Segment Volume...)");
			written = LabelFiles.save(image, file.toPath());
			IJ.showStatus("VolSeg: labels saved to " + written);
			log.info("VolSeg: labels saved to " + written);
		} catch (VolSegException e) {
			error = e.getMessage();
			CommandErrors.report(log, e);
		}
	}

	/** The file written, or null. */
	public Path written() {
		return written;
	}

	/** The error message, or null. */
	public String error() {
		return error;
	}
}
