package org.volseg.fiji;

import java.awt.GraphicsEnvironment;

import org.scijava.log.LogService;
import org.volseg.VolSegException;

import ij.IJ;

/** How the commands report a user error: to the log, and in a dialog only with a screen and no batch macro. */
final class CommandErrors {

	private CommandErrors() {
	}

	static void report(LogService log, VolSegException e) {
		log.error("VolSeg: " + e.getMessage());
		if (!GraphicsEnvironment.isHeadless() && !ij.macro.Interpreter.isBatchMode())
			IJ.error("VolSeg", e.getMessage());
	}
}
