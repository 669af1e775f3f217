package org.volseg.fiji;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.volseg.VolSegException;
import org.volseg.model.SegmentationClass;
import org.volseg.volume.Volume;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import ij.process.LUT;
import ij.process.ShortProcessor;
import net.imglib2.Cursor;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Label maps as ImageJ images: 8-bit when every label is at most 255, else 16-bit; the colour table
 * follows the model's class colours ({@link LabelLuts}); the classes (label, name, colour) travel
 * with the image as the property {@value #CLASSES_PROPERTY} (one {@code label<TAB>name<TAB>#rrggbb}
 * line per class) and in its Info text; the geometry as {@link ImagePlusVolumes#AFFINE_PROPERTY}, so
 * that {@code Save Labels as NIfTI...} writes it back on the scan. Stateless.
 */
final class LabelImages {

	/** Image property with the classes, one {@code label<TAB>name<TAB>#rrggbb} line each. */
	public static final String CLASSES_PROPERTY = "volseg.classes";
	/** Image property with the model's name. */
	public static final String MODEL_PROPERTY = "volseg.model";

	private LabelImages() {
	}

	/**
	 * The label map (x, y, z; integral float values 0..65535) as an ImageJ stack with the classes'
	 * colours, calibration and geometry of the volume.
	 *
	 * @param classes the model's classes (may be empty)
	 * @param model the model's name for the image properties, or null
	 * @throws VolSegException if a label is negative, above 65535 or not an integer
	 */
	public static ImagePlus toImagePlus(Volume labels, List<SegmentationClass> classes, String model, String title) {
		int width = Math.toIntExact(labels.dimension(0)), height = Math.toIntExact(labels.dimension(1));
		int depth = Math.toIntExact(labels.dimension(2));
		int max = maxLabel(labels, title);
		boolean eightBit = max <= 255;
		ImageStack stack = new ImageStack(width, height);
		Cursor<FloatType> cursor = Views.flatIterable(labels.channel(0)).cursor();
		int n = width * height;
		for (int z = 0; z < depth; z++) {
			if (eightBit) {
				byte[] plane = new byte[n];
				for (int i = 0; i < n; i++)
					plane[i] = (byte) Math.round(cursor.next().get());
				stack.addSlice("z=" + (z + 1), plane);
			} else {
				short[] plane = new short[n];
				for (int i = 0; i < n; i++)
					plane[i] = (short) Math.round(cursor.next().get());
				stack.addSlice("z=" + (z + 1), plane);
			}
		}
		ImagePlus image = new ImagePlus(title, stack);
		ImagePlusVolumes.setGeometry(image, labels.geometry());
		LUT lut = LabelLuts.of(classes);
		image.getProcessor().setColorModel(lut);
		image.getStack().setColorModel(lut);
		image.setDisplayRange(0, 255);
		image.setProp(CLASSES_PROPERTY, formatClasses(classes));
		if (model != null)
			image.setProp(MODEL_PROPERTY, model);
		image.setProperty("Info", info(classes, model));
		return image;
	}

	/** The classes stored with a label image, or an empty list if it has none. */
	public static List<SegmentationClass> classesOf(ImagePlus image) {
		String text = image.getProp(CLASSES_PROPERTY);
		List<SegmentationClass> classes = new ArrayList<>();
		if (text == null)
			return classes;
		for (String line : text.split("\n")) {
			String[] f = line.split("\t");
			if (f.length != 3 || !f[2].startsWith("#"))
				continue;
			try {
				int rgb = Integer.parseInt(f[2].substring(1), 16);
				classes.add(new SegmentationClass(Integer.parseInt(f[0].trim()), f[1], rgb >> 16 & 255, rgb >> 8 & 255,
						rgb & 255));
			} catch (NumberFormatException e) {
				// a hand-edited line we cannot read: skip it
			}
		}
		return classes;
	}

	/** Label value to class name, from the stored classes; labels without a class are absent. */
	public static Map<Integer, String> namesOf(ImagePlus image) {
		Map<Integer, String> names = new LinkedHashMap<>();
		for (SegmentationClass c : classesOf(image))
			names.put(c.label(), c.name());
		return names;
	}

	/**
	 * The label value of a pixel of a label image (8- or 16-bit raw values; 32-bit rounded).
	 */
	static int labelAt(ImageProcessor ip, int index) {
		if (ip instanceof ByteProcessor)
			return ((byte[]) ip.getPixels())[index] & 0xff;
		if (ip instanceof ShortProcessor)
			return ((short[]) ip.getPixels())[index] & 0xffff;
		return Math.round(ip.getf(index));
	}

	static String formatClasses(List<SegmentationClass> classes) {
		StringBuilder s = new StringBuilder();
		for (SegmentationClass c : classes)
			s.append(s.length() == 0 ? "" : "\n").append(c.label()).append('\t').append(c.name().replace('\t', ' ').replace('\n', ' '))
					.append('\t').append(String.format(Locale.ROOT, "#%06x", c.rgb()));
		return s.toString();
	}

	private static String info(List<SegmentationClass> classes, String model) {
		StringBuilder s = new StringBuilder("VolSeg label image");
		if (model != null)
			s.append(" (model: ").append(model).append(')');
		s.append('\n');
		for (SegmentationClass c : classes)
			s.append(String.format(Locale.ROOT, "label %d: %s (#%06x)%n", c.label(), c.name(), c.rgb()));
		return s.toString();
	}

	private static int maxLabel(Volume labels, String title) {
		float max = 0;
		for (FloatType t : Views.iterable(labels.channel(0))) {
			float v = t.get();
			if (!(v >= 0 && v <= 65535) || v != Math.rint(v))
				throw new VolSegException("label image '" + title + "': value " + v
						+ " is not a label (integers 0 to 65535 only); check that the volume is a label map");
			max = Math.max(max, v);
		}
		return (int) max;
	}
}
