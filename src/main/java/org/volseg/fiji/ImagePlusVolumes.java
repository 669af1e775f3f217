package org.volseg.fiji;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.volseg.VolSegException;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ImageProcessor;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Fraction;
import net.imglib2.view.Views;

/**
 * Converts between ImageJ's {@link ImagePlus} and {@link Volume}.
 *
 * <p>32-bit images and planar volumes share their voxel arrays: no voxel is copied, and a change on
 * one side is seen on the other. 8- and 16-bit images are copied to float, through the image's
 * calibration function (so 16-bit signed images read as signed values). RGB images and time series
 * are refused.</p>
 *
 * <p>Geometry: the full voxel-to-LPS affine travels with the image as the property
 * {@value #AFFINE_PROPERTY} (16 numbers, row-major), so that an image opened from a NIfTI file or
 * DICOM series and saved later lands back on the scan. An image without that property (or whose
 * calibration was changed since) gets an axis-aligned geometry from its calibration: spacing from
 * the pixel width, height and depth (taken as mm), origin from ImageJ's x/y/z origin (in pixels).</p>
 */
final class ImagePlusVolumes {

	/** Image property holding the voxel-to-LPS affine, 16 numbers row-major separated by spaces. */
	public static final String AFFINE_PROPERTY = "volseg.affine_lps";

	private ImagePlusVolumes() {}

	/**
	 * The image as a Volume (x = ImageJ x, y = ImageJ y, z = slice, channel = ImageJ channel).
	 *
	 * @throws VolSegException for an RGB image or a time series, naming the image
	 */
	public static Volume toVolume(ImagePlus image) {
		if (image.getBitDepth() == 24)
			throw new VolSegException("image '" + image.getTitle()
					+ "' is RGB: segmentation needs a grayscale scan (Image > Type > 32-bit first)");
		if (image.getNFrames() > 1)
			throw new VolSegException("image '" + image.getTitle() + "' has " + image.getNFrames()
					+ " time points: open a single time point (Image > Duplicate...)");
		int width = image.getWidth(), height = image.getHeight();
		int slices = image.getNSlices(), channels = image.getNChannels();
		ImageStack stack = image.getStack();
		Calibration calibration = image.getCalibration();
		List<FloatArray> planes = new ArrayList<>(slices * channels);
		for (int c = 0; c < channels; c++)
			for (int z = 0; z < slices; z++) {
				ImageProcessor ip = stack.getProcessor(image.getStackIndex(c + 1, z + 1, 1));
				planes.add(new FloatArray(floatPixels(ip, calibration)));
			}
		long[] dims = channels > 1 ? new long[] { width, height, slices, channels } : new long[] { width, height, slices };
		return new Volume(wrapPlanes(planes, dims), geometryOf(image));
	}

	/**
	 * The volume as a 32-bit ImagePlus (a hyperstack if it has channels), calibrated in mm and
	 * carrying the affine. Planar volumes are wrapped without copying; others are copied.
	 */
	public static ImagePlus toImagePlus(Volume volume, String title) {
		long[] dims = volume.dimensions();
		int width = Math.toIntExact(dims[0]), height = Math.toIntExact(dims[1]);
		int slices = Math.toIntExact(dims[2]), channels = Math.toIntExact(volume.channels());
		ImageStack stack = new ImageStack(width, height);
		for (int z = 0; z < slices; z++)
			for (int c = 0; c < channels; c++)
				stack.addSlice(null, planeOf(volume, z, c, width * height));
		ImagePlus image = new ImagePlus(title, stack);
		image.setDimensions(channels, slices, 1);
		if (channels > 1)
			image.setOpenAsHyperStack(true);
		setGeometry(image, volume.geometry());
		image.resetDisplayRange();
		return image;
	}

	/**
	 * Calibrates the image from the geometry (spacing in mm; origin where the axes are aligned with
	 * LPS) and stores the full affine as {@value #AFFINE_PROPERTY}.
	 */
	public static void setGeometry(ImagePlus image, Geometry geometry) {
		double[] spacing = geometry.spacing();
		double[] origin = geometry.origin();
		Calibration cal = image.getCalibration().copy();
		cal.pixelWidth = spacing[0];
		cal.pixelHeight = spacing[1];
		cal.pixelDepth = spacing[2];
		cal.setUnit("mm");
		double[][] direction = geometry.direction();
		boolean identityDirection = true;
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 3; c++)
				identityDirection &= Math.abs(direction[r][c] - (r == c ? 1 : 0)) < 1e-9;
		if (identityDirection) {
			cal.xOrigin = -origin[0] / spacing[0];
			cal.yOrigin = -origin[1] / spacing[1];
			cal.zOrigin = -origin[2] / spacing[2];
		}
		image.setCalibration(cal);
		image.setProp(AFFINE_PROPERTY, formatAffine(geometry.affineLps()));
	}

	/**
	 * The image's geometry: its stored affine if the calibration still agrees with it, else one made
	 * from the calibration (see the class comment).
	 */
	public static Geometry geometryOf(ImagePlus image) {
		Calibration cal = image.getCalibration();
		double sx = positiveOr1(cal.pixelWidth), sy = positiveOr1(cal.pixelHeight), sz = positiveOr1(cal.pixelDepth);
		String stored = image.getProp(AFFINE_PROPERTY);
		if (stored != null) {
			Geometry geometry = parseAffine(stored, image.getTitle());
			double[] spacing = geometry.spacing();
			if (Math.abs(spacing[0] - sx) < 1e-6 * sx && Math.abs(spacing[1] - sy) < 1e-6 * sy
					&& Math.abs(spacing[2] - sz) < 1e-6 * sz)
				return geometry;
		}
		return Geometry.ofLps(new double[][] { { sx, 0, 0, -cal.xOrigin * sx }, { 0, sy, 0, -cal.yOrigin * sy },
				{ 0, 0, sz, -cal.zOrigin * sz }, { 0, 0, 0, 1 } });
	}

	static String formatAffine(double[][] affine) {
		StringBuilder s = new StringBuilder();
		for (double[] row : affine)
			for (double v : row)
				s.append(s.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.17g", v));
		return s.toString();
	}

	static Geometry parseAffine(String text, String imageTitle) {
		String[] parts = text.trim().split("\\s+");
		if (parts.length != 16)
			throw new VolSegException("image '" + imageTitle + "': property " + AFFINE_PROPERTY
					+ " must hold 16 numbers, found " + parts.length + "; remove it to use the calibration");
		double[][] a = new double[4][4];
		try {
			for (int i = 0; i < 16; i++)
				a[i / 4][i % 4] = Double.parseDouble(parts[i]);
			return Geometry.ofLps(a);
		}
		catch (IllegalArgumentException e) {
			throw new VolSegException("image '" + imageTitle + "': property " + AFFINE_PROPERTY
					+ " is not a valid affine (" + e.getMessage() + "); remove it to use the calibration", e);
		}
	}

	private static double positiveOr1(double v) {
		return v > 0 && Double.isFinite(v) ? v : 1;
	}

	private static float[] floatPixels(ImageProcessor ip, Calibration calibration) {
		Object pixels = ip.getPixels();
		if (pixels instanceof float[])
			return (float[]) pixels;
		int n = ip.getPixelCount();
		float[] out = new float[n];
		float[] table = calibration.getCTable();
		if (pixels instanceof byte[]) {
			byte[] p = (byte[]) pixels;
			for (int i = 0; i < n; i++)
				out[i] = table == null ? p[i] & 0xff : table[p[i] & 0xff];
		}
		else {
			short[] p = (short[]) pixels;
			for (int i = 0; i < n; i++)
				out[i] = table == null ? p[i] & 0xffff : table[p[i] & 0xffff];
		}
		return out;
	}

	private static PlanarImg<FloatType, FloatArray> wrapPlanes(List<FloatArray> planes, long[] dims) {
		PlanarImg<FloatType, FloatArray> img = new PlanarImg<>(planes, dims, new Fraction());
		img.setLinkedType(new FloatType(img));
		return img;
	}

	@SuppressWarnings("unchecked")
	private static float[] planeOf(Volume volume, int z, int c, int planeSize) {
		RandomAccessibleInterval<FloatType> voxels = volume.voxels();
		if (voxels instanceof PlanarImg && ((PlanarImg<?, ?>) voxels).getPlane(0) instanceof FloatArray) {
			PlanarImg<FloatType, FloatArray> planar = (PlanarImg<FloatType, FloatArray>) voxels;
			return planar.getPlane(z + c * Math.toIntExact(volume.dimension(2))).getCurrentStorageArray();
		}
		float[] plane = new float[planeSize];
		Cursor<FloatType> cursor = Views.flatIterable(Views.hyperSlice(volume.channel(c), 2, z)).cursor();
		for (int i = 0; i < planeSize; i++)
			plane[i] = cursor.next().get();
		return plane;
	}
}
