package org.volseg.model;

/**
 * One output class of a segmentation model.
 *
 * @param label the value written in the label image for this class (0 is background by convention)
 * @param name a display name, for example {@code liver}
 * @param red red component of the display colour, 0..255
 * @param green green component, 0..255
 * @param blue blue component, 0..255
 * @param snomed the SNOMED CT concept of the class (written into DICOM SEGs), or null when the
 *        package declares none (a SEG then codes it as Tissue)
 */
public record SegmentationClass(int label, String name, int red, int green, int blue, SnomedCode snomed) {

	/** A class without a SNOMED CT code. */
	public SegmentationClass(int label, String name, int red, int green, int blue) {
		this(label, name, red, green, blue, null);
	}

	/** The colour as {@code 0xRRGGBB}. */
	public int rgb() {
		return (red << 16) | (green << 8) | blue;
	}

	/**
	 * The display colour of a label that has none of its own: black for the background (0), else
	 * hues spaced by the golden angle around the colour wheel (saturation 0.8, brightness 0.95), so that
	 * neighbouring labels differ. One palette for model packages, training and Fiji's overlays.
	 *
	 * @return {@code {red, green, blue}}, each 0..255
	 */
	public static int[] paletteColour(int label) {
		if (label == 0)
			return new int[] { 0, 0, 0 };
		java.awt.Color c = java.awt.Color.getHSBColor((float) ((label * 0.618033988749895) % 1.0), 0.8f, 0.95f);
		return new int[] { c.getRed(), c.getGreen(), c.getBlue() };
	}
}
