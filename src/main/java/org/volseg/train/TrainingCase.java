package org.volseg.train;

import java.util.Arrays;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

/**
 * One labelled scan on the model's grid, held as flat arrays for fast patch extraction.
 *
 * <p>Layout: voxel (x, y, z) of channel c is at {@code ((c * nz + z) * ny + y) * nx + x} in
 * {@link #image()} (x fastest, as the Volume's flat iteration order) and at {@code (z * ny + y) * nx + x}
 * in {@link #labels()}. Immutable after construction (the arrays are not copied on access: do not
 * modify them).</p>
 *
 * @param name the case name (for messages)
 * @param dims (x, y, z)
 * @param channels input channels
 * @param image preprocessed intensities
 * @param labels class index per voxel, 0..classes-1
 * @param geometry voxel-to-world map of the model grid
 */
record TrainingCase(String name, int[] dims, int channels, float[] image, byte[] labels, Geometry geometry) {

	/**
	 * Flattens a preprocessed image and its label map (same grid).
	 *
	 * @param image (x, y, z[, channel]) intensities on the model grid
	 * @param labels (x, y, z) integer labels on the same grid
	 * @param classes number of classes; labels outside [0, classes) are refused
	 * @throws TrainingDataException if the grids differ or a label is out of range
	 */
	public static TrainingCase of(String name, Volume image, Volume labels, int classes) {
		long[] id = image.dimensions();
		long[] ld = labels.dimensions();
		if (ld.length != 3 || id[0] != ld[0] || id[1] != ld[1] || id[2] != ld[2]) {
			throw new TrainingDataException(name + ": image " + Arrays.toString(id) + " and labels " + Arrays.toString(ld)
					+ " are not on the same grid after preprocessing; give label maps with the image's size and geometry");
		}
		int[] dims = { Math.toIntExact(id[0]), Math.toIntExact(id[1]), Math.toIntExact(id[2]) };
		int channels = id.length == 4 ? Math.toIntExact(id[3]) : 1;
		float[] img = new float[Math.multiplyExact(Math.multiplyExact(dims[0] * dims[1], dims[2]), channels)];
		int i = 0;
		Cursor<FloatType> c = Views.flatIterable(image.voxels()).cursor();
		while (c.hasNext()) img[i++] = c.next().get();
		byte[] lab = new byte[dims[0] * dims[1] * dims[2]];
		i = 0;
		Cursor<FloatType> lc = Views.flatIterable(labels.voxels()).cursor();
		while (lc.hasNext()) {
			float v = lc.next().get();
			int k = Math.round(v);
			if (k < 0 || k >= classes || Math.abs(v - k) > 1e-3) {
				throw new TrainingDataException(name + ": label value " + v + " is not a class index 0.." + (classes - 1)
						+ "; give integer label maps whose values are the class indices, or raise --classes");
			}
			lab[i++] = (byte) k;
		}
		return new TrainingCase(name, dims, channels, img, lab, image.geometry());
	}

	/** Number of voxels of each class 0..classes-1. */
	public long[] classCounts(int classes) {
		long[] counts = new long[classes];
		for (byte b : labels) counts[b]++;
		return counts;
	}

	public int voxelCount() {
		return dims[0] * dims[1] * dims[2];
	}
}
