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
 * {@code Plugins > VolSeg > Save Labels as DICOM SEG...}: writes the current label image (as
 * segmented, or edited with ImageJ's tools) as a binary DICOM Segmentation referencing the DICOM
 * series of its scan; see {@link FijiSeg#save}. Segment names, colours and SNOMED CT codes come from
 * the model (when installed) or the classes stored on the image.
 */
@Plugin(type = Command.class, menuPath = "Plugins>VolSeg>Save Labels as DICOM SEG...", headless = true)
public class SaveSegCommand extends ContextCommand {

	@Parameter
	private LogService log;

	@Parameter(label = "Label image", required = false, persist = false)
	private ImagePlus labels;

	@Parameter(label = "DICOM SEG file (.dcm)", style = FileWidget.SAVE_STYLE)
	private File file;

	@Parameter(label = "Scan's DICOM folder (blank: where the scan was opened from)", style = FileWidget.DIRECTORY_STYLE,
			required = false, persist = false)
	private File dicom_folder;

	private Path written;
	private String error;

	@Override
	public void run() {
		try {
			ImagePlus image = labels != null ? labels : WindowManager.getCurrentImage();
			if (image == null)
				throw new VolSegException("no label image: segment a scan first (Plugins > VolSeg > Segment Volume...)");
			Path folder = dicom_folder == null || dicom_folder.getPath().isBlank() ? null : dicom_folder.toPath();
			written = FijiSeg.save(image, folder, file.toPath());
			IJ.showStatus("VolSeg: DICOM SEG saved to " + written);
			log.info("VolSeg: DICOM SEG saved to " + written);
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
