package org.volseg.fiji;

import java.util.Locale;
import java.util.function.Consumer;

import org.volseg.pipeline.SegmentationListener;
import org.volseg.tiling.SlidingWindowProgress;

/**
 * Reports a segmentation's progress as status-bar text and a progress fraction, through two
 * callbacks so that the same text goes to Fiji's StatusService or ImageJ 1's status bar
 * ({@link #imageJ()}). Warnings go to a third callback (the log).
 */
final class StatusProgress implements SegmentationListener {

	/** Receives status text and a progress fraction (0..1; 1 clears the bar). */
	public interface Sink {
		void show(String status, double fraction);
	}

	private final Sink sink;
	private final Consumer<String> warnings;
	private final String prefix;

	/**
	 * Shows a status line with a progress fraction: in SciJava's status bar when a {@code StatusService}
	 * is there (Fiji), else in ImageJ's status bar (plain ImageJ 1, macros).
	 *
	 * @param status the command's status service, or null
	 * @param fraction done so far, 0 to 1
	 */
	static void show(org.scijava.app.StatusService status, String text, double fraction) {
		if (status != null)
			status.showStatus((int) Math.round(fraction * 1000), 1000, text);
		else
			ij.IJ.showStatus(text);
	}

	/**
	 * @param prefix text before every message, for example the scan's name
	 */
	public StatusProgress(String prefix, Sink sink, Consumer<String> warnings) {
		this.prefix = prefix == null || prefix.isEmpty() ? "VolSeg" : "VolSeg " + prefix;
		this.sink = sink;
		this.warnings = warnings;
	}

	/** ImageJ 1's status bar and progress bar, warnings to the Log window (stdout in batch mode). */
	public static StatusProgress imageJ(String prefix) {
		return new StatusProgress(prefix, (s, f) -> {
			ij.IJ.showStatus(s);
			ij.IJ.showProgress(f);
		}, w -> ij.IJ.log("VolSeg warning: " + w));
	}

	/** Shows that the model is being loaded (before the first stage; loading may take seconds). */
	public void loading(java.nio.file.Path model) {
		Object name = model == null ? "" : model.getFileName() == null ? model : model.getFileName();
		sink.show(prefix + ": loading model " + name, 0);
	}

	@Override
	public void stage(Stage stage) {
		double f = switch (stage) {
		case READING -> 0.0;
		case PREPROCESSING -> 0.02;
		case INFERENCE -> 0.05;
		case POSTPROCESSING -> 0.95;
		case WRITING -> 0.98;
		};
		sink.show(prefix + ": " + stage.label() + " (Esc cancels)", f);
	}

	@Override
	public void windows(SlidingWindowProgress p) {
		double f = 0.05 + 0.9 * p.fraction();
		String eta = p.windowsDone() > 0 && p.windowsDone() < p.windowsTotal() && !Double.isNaN(p.etaSeconds())
				? String.format(Locale.ROOT, ", %.0f s left", p.etaSeconds())
				: "";
		sink.show(prefix + ": window " + p.windowsDone() + "/" + p.windowsTotal() + eta + " (Esc cancels)", f);
	}

	@Override
	public void warning(String message) {
		warnings.accept(message);
	}

	/** Clears the bar and shows a final message. */
	public void done(String message) {
		sink.show(prefix + ": " + message, 1.0);
	}
}
