package org.volseg.volume;

import java.util.Arrays;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * A scan, a probability map or a label map: float voxels with dimensions (x, y, z) or
 * (x, y, z, channel), and the {@link Geometry} that places voxel (x, y, z) in the patient.
 *
 * <p>Axis order is NIfTI's (i, j, k) and DICOM's (column, row, slice); voxel (0, 0, 0) is the first
 * stored voxel; the voxel interval always starts at 0. Label maps hold their integer labels as
 * floats (the voxels may be a float view of a more compact image, as the segmenter's label maps
 * are). A Volume does not copy its voxels: views of the same image share them, and it is not
 * safe to write voxels from one thread while another reads them.</p>
 */
public final class Volume {

	private final RandomAccessibleInterval<FloatType> voxels;
	private final Geometry geometry;

	/**
	 * @param voxels 3 or 4 dimensions (x, y, z[, channel]) whose interval starts at 0
	 * @param geometry the voxel-to-world map of the (x, y, z) axes
	 */
	public Volume(RandomAccessibleInterval<FloatType> voxels, Geometry geometry) {
		int n = voxels.numDimensions();
		if (n != 3 && n != 4)
			throw new IllegalArgumentException("a Volume has 3 or 4 dimensions (x, y, z[, channel]), got " + n);
		if (Arrays.stream(Intervals.minAsLongArray(voxels)).anyMatch(m -> m != 0))
			throw new IllegalArgumentException("a Volume's voxel interval must start at 0, got min "
					+ Arrays.toString(Intervals.minAsLongArray(voxels)));
		this.voxels = voxels;
		this.geometry = geometry;
	}

	/**
	 * A new zero-filled volume.
	 *
	 * @param dimensions (x, y, z) or (x, y, z, channels), each at least 1
	 */
	public static Volume allocate(Geometry geometry, long... dimensions) {
		return new Volume(allocateFloats(dimensions), geometry);
	}

	/**
	 * A zero-filled float image stored as one Java array per xy plane (an ImgLib2 {@code PlanarImg},
	 * planes ordered z fastest, then channel), the layout ImageJ uses, so that Fiji can show it
	 * without copying and volumes are not limited to 2^31 voxels.
	 *
	 * @throws IllegalArgumentException for a dimension below 1 or a plane of 2^31 voxels or more
	 */
	public static Img<FloatType> allocateFloats(long... dimensions) {
		long plane = 1;
		for (int d = 0; d < dimensions.length; d++) {
			if (dimensions[d] < 1)
				throw new IllegalArgumentException("dimensions must be at least 1, got " + Arrays.toString(dimensions));
			if (d < 2)
				plane *= dimensions[d];
		}
		if (plane > Integer.MAX_VALUE - 8)
			throw new IllegalArgumentException("an xy plane of " + plane + " voxels does not fit in a Java array");
		return PlanarImgs.floats(dimensions);
	}

	/** The voxels, (x, y, z[, channel]). Writable: changes are seen by every holder of this image. */
	public RandomAccessibleInterval<FloatType> voxels() {
		return voxels;
	}

	public Geometry geometry() {
		return geometry;
	}

	/** The same voxels placed by another geometry. */
	public Volume withGeometry(Geometry newGeometry) {
		return new Volume(voxels, newGeometry);
	}

	/** (x, y, z) or (x, y, z, channels). */
	public long[] dimensions() {
		return voxels.dimensionsAsLongArray();
	}

	public long dimension(int d) {
		return voxels.dimension(d);
	}

	/** Number of channels: the fourth dimension, or 1 for a 3D volume. */
	public long channels() {
		return voxels.numDimensions() == 4 ? voxels.dimension(3) : 1;
	}

	/** Number of spatial voxels, x * y * z. */
	public long spatialVoxelCount() {
		return voxels.dimension(0) * voxels.dimension(1) * voxels.dimension(2);
	}

	/** Channel {@code c} as a 3D view (x, y, z) sharing the voxels; a 3D volume has only channel 0. */
	public RandomAccessibleInterval<FloatType> channel(long c) {
		if (c < 0 || c >= channels())
			throw new IndexOutOfBoundsException("channel " + c + " of " + channels());
		if (voxels.numDimensions() != 4)
			return voxels;
		// stored integers stay recognisable (bulk copies, StoredBlocks) when sliced below the conversion
		return voxels instanceof StoredVoxels<?> stored ? stored.channel(c) : Views.hyperSlice(voxels, 3, c);
	}

	@Override
	public String toString() {
		return "Volume(" + Arrays.toString(dimensions()) + ", " + geometry + ")";
	}
}
