package org.volseg.fiji;

import java.io.File;
import java.nio.file.Path;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

import ij.ImagePlus;

/**
 * {@code Plugins > VolSeg > Save Labels as DICOM SEG...}: writes the current label image (as
 * segmented, or edited with ImageJ's tools) as a binary DICOM Segmentation referencing the DICOM
 * series of its scan; see {@link FijiSeg#save}. Segment names, colours and SNOMED CT codes come from
 * the model (when installed) or the classes stored on the image. The label image input and the
 * outcome are {@link LabelSaveCommand}'s.
 */
@Plugin(type = Command.class, menuPath = "Plugins>VolSeg>Save Labels as DICOM SEG...", headless = true)
public class SaveSegCommand extends LabelSaveCommand {

	@Parameter(label = "DICOM SEG file (.dcm)", style = FileWidget.SAVE_STYLE)
	private File file;

	@Parameter(label = "Scan's DICOM folder (blank: where the scan was opened from)", style = FileWidget.DIRECTORY_STYLE,
			required = false, persist = false)
	private File dicom_folder;

	@Override
	String what() {
		return "DICOM SEG";
	}

	@Override
	Path write(ImagePlus labelImage) {
		return FijiSeg.save(labelImage, CommandInputs.path(dicom_folder), file.toPath());
	}
}
