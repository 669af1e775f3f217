package org.volseg.fiji;

import java.util.List;

import org.volseg.model.SegmentationClass;

import ij.process.LUT;

/**
 * Colour tables for label images: index {@code i} of the table is the colour of label {@code i}.
 * Background (0) is black; a label the model names gets the model's colour; any other label gets a
 * colour of its own from a fixed palette (hues spaced by the golden angle), so that neighbouring
 * label values look different. Stateless.
 */
final class LabelLuts {

	private LabelLuts() {
	}

	/** A 256-entry table following the classes' colours; classes with labels outside 1..255 are ignored. */
	public static LUT of(List<SegmentationClass> classes) {
		byte[] r = new byte[256], g = new byte[256], b = new byte[256];
		for (int label = 1; label < 256; label++)
			set(r, g, b, label, fallbackRgb(label));
		for (SegmentationClass c : classes)
			if (c.label() > 0 && c.label() < 256)
				set(r, g, b, c.label(), c.rgb());
		return new LUT(r, g, b);
	}

	/** The table's colour of a label as {@code 0xRRGGBB} (labels above 255 take entry 255). */
	public static int rgbOf(LUT lut, int label) {
		int i = Math.max(0, Math.min(255, label));
		return (lut.getRed(i) << 16) | (lut.getGreen(i) << 8) | lut.getBlue(i);
	}

	/** The palette colour of a label that has no model colour: saturated, bright, label-dependent. */
	static int fallbackRgb(int label) {
		int[] rgb = org.volseg.model.SegmentationClass.paletteColour(label);
		return (rgb[0] << 16) | (rgb[1] << 8) | rgb[2];
	}

	private static void set(byte[] r, byte[] g, byte[] b, int i, int rgb) {
		r[i] = (byte) (rgb >> 16);
		g[i] = (byte) (rgb >> 8);
		b[i] = (byte) rgb;
	}
}
