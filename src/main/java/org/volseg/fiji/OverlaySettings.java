package org.volseg.fiji;

import org.volseg.pipeline.SettingText;

import ij.ImagePlus;
import ij.gui.Overlay;

/**
 * How labels are drawn on their scan: the style and, for filled labels, the opacity. The same two
 * settings, {@code display} and {@code opacity} (percent), in {@code Segment Volume...},
 * {@code Open DICOM SEG...} and the macro API. Immutable.
 *
 * @param style filled, outlines or none
 * @param opacity 0 (transparent) to 1 (opaque)
 */
record OverlaySettings(OverlayStyle style, double opacity) {

	/** Filled at 40 %, the dialogs' default. */
	public static final OverlaySettings DEFAULT = new OverlaySettings(OverlayStyle.FILLED, 0.4);

	/**
	 * Reads the two settings as the dialogs and macros give them.
	 *
	 * @param display {@code filled}, {@code outlines} or {@code none}
	 * @param opacityPercent an integer from 0 to 100; {@code 40.0} (as ImageJ's dialogs write numbers) is 40
	 * @throws org.volseg.InvalidParameterException naming {@code display} or {@code opacity}
	 */
	public static OverlaySettings parse(String display, String opacityPercent) {
		OverlayStyle style = OverlayStyle.parse("display", display);
		return new OverlaySettings(style, SettingText.FIJI.integer("opacity", opacityPercent, 0, 100) / 100.0);
	}

	/**
	 * Draws the labels on the scan (replacing its overlay; {@link OverlayStyle#NONE} removes it); see
	 * {@link FijiSegmentation#showOverlay}.
	 *
	 * @return the overlay set, or null for none
	 */
	public Overlay showOn(ImagePlus scan, ImagePlus labels) {
		return FijiSegmentation.showOverlay(scan, labels, style, opacity);
	}
}
