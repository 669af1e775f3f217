package org.volseg.fiji;

import java.nio.file.Path;

import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;

import ij.IJ;
import ij.ImagePlus;

/**
 * What {@code Save Labels as NIfTI...} and {@code Save Labels as DICOM SEG...} share: the {@code labels}
 * input (a label image; default the current image), writing it with the subclass's writer, the status
 * line and log entry {@code "VolSeg: <what> saved to <file>"}, and the outcome ({@link #written()},
 * {@link #error()}). SciJava lists these inputs before the subclass's, as the dialogs always had them.
 */
abstract class LabelSaveCommand extends ContextCommand {

	/** What {@link CommandInputs#imageOrCurrent} says when there is no label image. */
	static final String NO_LABELS = "no label image: segment a scan first (Plugins > VolSeg > Segment Volume...)";

	@Parameter
	private LogService log;

	@Parameter(label = "Label image", required = false, persist = false)
	private ImagePlus labels;

	private Path written;
	private String error;

	/** What is written, for the status line: {@code "labels"}, {@code "DICOM SEG"}. */
	abstract String what();

	/**
	 * Writes the label image (atomically).
	 *
	 * @return the file written
	 * @throws org.volseg.VolSegException naming the file or setting at fault
	 */
	abstract Path write(ImagePlus labelImage);

	@Override
	public void run() {
		error = CommandRun.guarded(log, () -> {
			written = write(CommandInputs.imageOrCurrent(labels, NO_LABELS));
			IJ.showStatus("VolSeg: " + what() + " saved to " + written);
			log.info("VolSeg: " + what() + " saved to " + written);
		});
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
