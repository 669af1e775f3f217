package org.volseg.fiji;

import java.awt.GraphicsEnvironment;
import java.util.function.BooleanSupplier;

import org.scijava.app.StatusService;
import org.scijava.log.LogService;
import org.volseg.CancelledException;
import org.volseg.VolSegException;

import ij.IJ;

/**
 * How every VolSeg command runs its work and reports the outcome. A user error ({@link VolSegException})
 * goes to the log as {@code "VolSeg: <message>"} and, with a screen and no batch macro, into one message
 * box; the command keeps the message for its {@code error()}. Other exceptions (bugs) propagate to
 * SciJava. Long work ({@link #cancellable}) stops when the user presses Esc (ImageJ's convention), when
 * the command's thread is interrupted or when SciJava cancels the command. Stateless; runs on the
 * caller's thread.
 */
final class CommandRun {

	/** Work that polls {@code cancelled} between stages (and stops with {@link CancelledException}). */
	interface Cancellable {
		void run(BooleanSupplier cancelled);
	}

	private CommandRun() {
	}

	/**
	 * Runs a command's work.
	 *
	 * @return null, or the message of the {@link VolSegException} that stopped it (reported)
	 */
	static String guarded(LogService log, Runnable work) {
		try {
			work.run();
			return null;
		} catch (VolSegException e) {
			report(log, e);
			return e.getMessage();
		}
	}

	/**
	 * Runs long work that the user can stop. Esc is cleared before and after, so an old key press
	 * does not stop this run and this run's does not stop the next. A cancellation is not an error: it
	 * is logged at info level and shown in the status bar; an error shows {@code failed} there.
	 *
	 * @param status the status bar ({@link StatusProgress#show}); null for ImageJ's
	 * @param failed the status text after an error, for example {@code "VolSeg: failed"}
	 * @param canceled the command's own cancel flag (SciJava's {@code isCanceled})
	 * @return null, or the message of the cancellation or error
	 */
	static String cancellable(LogService log, StatusService status, String failed, BooleanSupplier canceled,
			Cancellable work) {
		IJ.resetEscape();
		try {
			work.run(stopRequested(canceled));
			return null;
		} catch (CancelledException e) {
			StatusProgress.show(status, "VolSeg: " + e.getMessage(), 1);
			log.info("VolSeg: " + e.getMessage());
			return e.getMessage();
		} catch (VolSegException e) {
			StatusProgress.show(status, failed, 1);
			report(log, e);
			return e.getMessage();
		} finally {
			IJ.resetEscape();
		}
	}

	/**
	 * True once Esc was pressed, the calling thread (the one calling this method, not the one polling)
	 * was interrupted, or {@code also} says so.
	 */
	static BooleanSupplier stopRequested(BooleanSupplier also) {
		Thread worker = Thread.currentThread();
		return () -> IJ.escapePressed() || worker.isInterrupted() || also.getAsBoolean();
	}

	/** Reports a user error: to the log, and in a dialog only with a screen and no batch macro. */
	static void report(LogService log, VolSegException e) {
		log.error("VolSeg: " + e.getMessage());
		if (!GraphicsEnvironment.isHeadless() && !ij.macro.Interpreter.isBatchMode())
			IJ.error("VolSeg", e.getMessage());
	}
}
