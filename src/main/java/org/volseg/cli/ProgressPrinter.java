package org.volseg.cli;

import java.io.PrintWriter;
import java.util.Locale;

import org.volseg.pipeline.SegmentationListener;
import org.volseg.tiling.SlidingWindowProgress;

/**
 * Shows a segmentation's progress on standard error: a bar redrawn in place ({@code \r}) on a
 * terminal, or plain lines (at most one per 10% or per 10 seconds) when the output goes to a file or
 * a pipe. Stages are announced on their own line. Calls come from two threads but never overlap
 * (see {@link SegmentationListener}); printing is synchronized anyway.
 */
final class ProgressPrinter implements SegmentationListener {

	enum Mode {
		BAR, LINES, NONE
	}

	private static final int WIDTH = 30;

	private final PrintWriter err;
	private final Mode mode;
	private boolean barOpen;
	private double lastFraction = -1;
	private long lastNanos;

	ProgressPrinter(PrintWriter err, Mode mode) {
		this.err = err;
		this.mode = mode;
	}

	@Override
	public synchronized void stage(Stage stage) {
		if (mode == Mode.NONE)
			return;
		endBar();
		err.println("volseg: " + stage.label() + "...");
		err.flush();
	}

	@Override
	public synchronized void warning(String message) {
		endBar();
		err.println("volseg: warning: " + message);
		err.flush();
	}

	@Override
	public synchronized void windows(SlidingWindowProgress p) {
		if (mode == Mode.NONE)
			return;
		double eta = p.etaSeconds();
		double rate = p.windowsPerSecond();
		String text = String.format(Locale.ROOT, "%d/%d windows, %s elapsed, %sETA %s", p.windowsDone(), p.windowsTotal(),
				duration(p.elapsedNanos() * 1e-9),
				Double.isNaN(rate) || p.windowsDone() == p.windowsTotal() ? "" : String.format(Locale.ROOT, "%.3g windows/s, ", rate),
				Double.isNaN(eta) ? "?" : duration(eta));
		if (mode == Mode.BAR) {
			int filled = (int) Math.round(p.fraction() * WIDTH);
			err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
					+ String.format(Locale.ROOT, "%3.0f%% ", p.fraction() * 100) + text + "   ");
			barOpen = true;
			if (p.windowsDone() == p.windowsTotal())
				endBar();
		} else {
			long now = System.nanoTime();
			boolean last = p.windowsDone() == p.windowsTotal();
			if (last || lastFraction < 0 || p.fraction() - lastFraction >= 0.1 || now - lastNanos >= 10_000_000_000L) {
				err.println("volseg: " + text);
				lastFraction = p.fraction();
				lastNanos = now;
			}
		}
		err.flush();
	}

	/** Seconds below an hour ({@code "754 s"}), hours and minutes above ({@code "2 h 05 min"}). */
	static String duration(double seconds) {
		if (seconds < 3599.5)
			return String.format(Locale.ROOT, "%.0f s", seconds);
		long minutes = Math.round(seconds / 60);
		return String.format(Locale.ROOT, "%d h %02d min", minutes / 60, minutes % 60);
	}

	/** Ends a bar line in progress. */
	synchronized void done() {
		endBar();
		err.flush();
	}

	private void endBar() {
		if (barOpen) {
			err.println();
			barOpen = false;
		}
	}
}
