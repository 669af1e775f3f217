package org.volseg.fiji;

import java.awt.GraphicsEnvironment;
import java.io.File;

import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

import ij.IJ;
import ij.ImagePlus;

/**
 * {@code Plugins > VolSeg > Open NIfTI...}: opens a {@code .nii}/{@code .nii.gz} file as a 32-bit
 * image calibrated in mm (voxel spacing), with the file's voxel-to-world affine kept as the image
 * property {@link ImagePlusVolumes#AFFINE_PROPERTY}, so that labels made on it are saved back onto
 * the scan. 4D files open as hyperstacks (one channel per volume).
 */
@Plugin(type = Command.class, menuPath = "Plugins>VolSeg>Open NIfTI...", headless = true)
public class OpenNiftiCommand extends ContextCommand {

	@Parameter
	private LogService log;

	@Parameter(label = "NIfTI file", style = FileWidget.OPEN_STYLE)
	private File file;

	private ImagePlus image;
	private String error;

	@Override
	public void run() {
		error = CommandRun.guarded(log, () -> {
			image = FijiSegmentation.open(file.toPath(), null);
			if (!GraphicsEnvironment.isHeadless())
				image.show();
		});
	}

	/** The opened image, or null after an error. */
	public ImagePlus image() {
		return image;
	}

	/** The error message, or null. */
	public String error() {
		return error;
	}
}
