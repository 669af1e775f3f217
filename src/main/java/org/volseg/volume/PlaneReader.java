package org.volseg.volume;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.blocks.PrimitiveBlocks;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Copies whole xy planes of a 3D float image into arrays, x fastest: in bulk through ImgLib2's
 * {@code PrimitiveBlocks} where it can analyse the image (array, planar and cell images, views of
 * these; an {@link IntegerVoxels} label map is read through its
 * {@link IntegerVoxels#readOnlyFloats()}; 8- and 16-bit {@link StoredVoxels} as their integers,
 * decoded in one loop), else voxel by voxel. Not thread-safe: one per thread
 * ({@link #independentCopy()}).
 */
public final class PlaneReader {

	private final FloatBlocks blocks;
	private final long[] min;
	private final int[] planeSize;

	private PlaneReader(FloatBlocks blocks, long[] min, int[] planeSize) {
		this.blocks = blocks;
		this.min = min;
		this.planeSize = planeSize;
	}

	/**
	 * A reader of any 3D image, in bulk where ImgLib2 can.
	 *
	 * @throws IllegalArgumentException if the image is not 3D or a plane does not fit in an array
	 */
	public static PlaneReader of(RandomAccessibleInterval<FloatType> image) {
		return of(image, PrimitiveBlocks.OnFallback.ACCEPT);
	}

	/**
	 * A reader that copies in bulk, or null if ImgLib2 cannot analyse the image or a plane does not
	 * fit in an array (the caller then reads it another way).
	 *
	 * @throws IllegalArgumentException if the image is not 3D
	 */
	public static PlaneReader inBulk(RandomAccessibleInterval<FloatType> image) {
		if (image.dimension(0) * image.dimension(1) > Integer.MAX_VALUE - 8)
			return null;
		try {
			return of(image, PrimitiveBlocks.OnFallback.FAIL);
		} catch (IllegalArgumentException e) {
			return null; // a view the bulk copy cannot analyse
		}
	}

	private static PlaneReader of(RandomAccessibleInterval<FloatType> image, PrimitiveBlocks.OnFallback onFallback) {
		if (image.numDimensions() != 3)
			throw new IllegalArgumentException("planes of a 3D image, got " + image.numDimensions() + " dimensions");
		long plane = image.dimension(0) * image.dimension(1);
		if (plane > Integer.MAX_VALUE - 8)
			throw new IllegalArgumentException("an xy plane of " + plane + " voxels does not fit in a Java array");
		int[] planeSize = { (int) image.dimension(0), (int) image.dimension(1), 1 };
		FloatBlocks blocks = image instanceof StoredVoxels<?> voxels ? StoredBlocks.of(voxels) : null;
		if (blocks == null) {
			RandomAccessibleInterval<FloatType> readable = image instanceof IntegerVoxels<?> integers
					? integers.readOnlyFloats() : image;
			blocks = FloatBlocks.of(PrimitiveBlocks.of(readable, onFallback));
		}
		return new PlaneReader(blocks, image.minAsLongArray(), planeSize);
	}

	/** Voxels of one plane: the length {@link #read} fills. */
	public int planeVoxels() {
		return planeSize[0] * planeSize[1];
	}

	/**
	 * Copies plane {@code z} (counted from the image's minimum) into {@code plane}.
	 *
	 * @param plane at least {@link #planeVoxels()} floats
	 * @return {@code plane}
	 */
	public float[] read(long z, float[] plane) {
		blocks.copy(new long[] { min[0], min[1], min[2] + z }, plane, planeSize);
		return plane;
	}

	/** A reader of the same image for another thread. */
	public PlaneReader independentCopy() {
		return new PlaneReader(blocks.independentCopy(), min, planeSize);
	}
}
