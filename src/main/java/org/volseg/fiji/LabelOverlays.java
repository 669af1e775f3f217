package org.volseg.fiji;

import java.awt.Color;
import java.util.Map;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.plugin.filter.ThresholdToSelection;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import ij.process.LUT;

/**
 * Builds the overlay that shows a label image on its scan.
 *
 * <ul>
 * <li>{@link OverlayStyle#FILLED}: one {@link ImageRoi} per slice that has labels, drawing the label
 * slice through the label image's colour table with label 0 transparent, at the given opacity.
 * ImageJ keeps such an ImageRoi as an RGBA copy of the slice (4 bytes per pixel, only for slices
 * that have labels); choose outlines for very large volumes. 16-bit labels above 255 take colour
 * 255.</li>
 * <li>{@link OverlayStyle#OUTLINES}: per slice, one selection per label present (traced at the
 * label's pixel edges, holes included), stroked in the label's colour and named
 * {@code "<class name> z=<slice>"}.</li>
 * </ul>
 *
 * Each roi is placed on its slice ({@code setPosition(slice)}, or {@code (0, slice, 0)} on a
 * hyperstack target so it shows on every channel). The label image must have the scan's width,
 * height and slice count. Stateless.
 */
final class LabelOverlays {

	private LabelOverlays() {
	}

	/**
	 * @param labels the label image (8- or 16-bit, colour table as {@link LabelImages} makes it)
	 * @param style filled, outlines or none (an empty overlay)
	 * @param opacity 0..1, for {@link OverlayStyle#FILLED}
	 * @param names class names by label, for outline names (others are named {@code label <n>})
	 * @param hyperstackTarget whether the scan it will be shown on is a hyperstack
	 */
	public static Overlay build(ImagePlus labels, OverlayStyle style, double opacity, Map<Integer, String> names,
			boolean hyperstackTarget) {
		Overlay overlay = new Overlay();
		if (style == OverlayStyle.NONE)
			return overlay;
		LUT lut = lutOf(labels);
		ImageStack stack = labels.getStack();
		for (int z = 1; z <= stack.size(); z++) {
			ImageProcessor ip = stack.getProcessor(z);
			boolean[] present = labelsPresent(ip);
			if (present == null)
				continue;
			if (style == OverlayStyle.FILLED)
				overlay.add(place(filled(ip, lut, opacity), z, hyperstackTarget), "labels z=" + z);
			else
				for (int label = 1; label < present.length; label++)
					if (present[label]) {
						Roi roi = outline(ip, label);
						if (roi == null)
							continue;
						roi.setStrokeColor(new Color(LabelLuts.rgbOf(lut, label)));
						roi.setStrokeWidth(1);
						String name = names.getOrDefault(label, "label " + label);
						overlay.add(place(roi, z, hyperstackTarget), name + " z=" + z);
					}
		}
		overlay.drawLabels(false);
		overlay.selectable(false);
		return overlay;
	}

	/** The selection of the pixels equal to {@code label} on one slice, or null if there are none. */
	public static Roi outline(ImageProcessor slice, int label) {
		ImageProcessor ip = slice.duplicate();
		ip.setThreshold(label, label, ImageProcessor.NO_LUT_UPDATE);
		ThresholdToSelection converter = new ThresholdToSelection();
		converter.showStatus(false);
		return converter.convert(ip);
	}

	private static ImageRoi filled(ImageProcessor ip, LUT lut, double opacity) {
		ImageProcessor indexed = ip instanceof ByteProcessor ? ip : ip.convertToByteProcessor(false);
		indexed.setColorModel(lut);
		ImageRoi roi = new ImageRoi(0, 0, indexed);
		roi.setZeroTransparent(true);
		roi.setOpacity(Math.max(0, Math.min(1, opacity)));
		return roi;
	}

	private static Roi place(Roi roi, int z, boolean hyperstack) {
		if (hyperstack)
			roi.setPosition(0, z, 0);
		else
			roi.setPosition(z);
		return roi;
	}

	/** Which labels occur on a slice (index = label, capped at 65535), or null if only 0 does. */
	private static boolean[] labelsPresent(ImageProcessor ip) {
		int n = ip.getPixelCount();
		boolean[] present = null;
		for (int i = 0; i < n; i++) {
			int v = LabelImages.labelAt(ip, i);
			if (v <= 0)
				continue;
			if (present == null || v >= present.length) {
				boolean[] grown = new boolean[Math.max(v + 1, ip instanceof ByteProcessor ? 256 : 1024)];
				if (present != null)
					System.arraycopy(present, 0, grown, 0, present.length);
				present = grown;
			}
			present[v] = true;
		}
		return present;
	}

	private static LUT lutOf(ImagePlus labels) {
		LUT[] luts = labels.getLuts();
		if (luts != null && luts.length > 0)
			return luts[0];
		return labels.getProcessor().getLut();
	}
}
