package org.volseg.fiji;

import java.io.File;
import java.nio.file.Path;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

import ij.ImagePlus;

/**
 * {@code Plugins > VolSeg > Save Labels as NIfTI...}: writes the current label image (8/16-bit, or
 * 32-bit with integer values) as a NIfTI label map (uint8, or uint16 above 255) with the geometry of
 * the scan it was made on, atomically; see {@link LabelFiles}. The label image input and the outcome
 * are {@link LabelSaveCommand}'s.
 */
@Plugin(type = Command.class, menuPath = "Plugins>VolSeg>Save Labels as NIfTI...", headless = true)
public class SaveLabelsCommand extends LabelSaveCommand {

	@Parameter(label = "NIfTI file (.nii.gz or .nii)", style = FileWidget.SAVE_STYLE)
	private File file;

	@Override
	String what() {
		return "labels";
	}

	@Override
	Path write(ImagePlus labelImage) {
		return LabelFiles.save(labelImage, file.toPath());
	}
}
