package org.volseg.tiling;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Receives the finished parts of a stitched output, one slab of whole xy planes at a time, in
 * increasing z order, every plane exactly once.
 */
@FunctionalInterface
public interface SlabConsumer {

	/**
	 * @param slab finalised voxels (x, y, z) or (x, y, z, channel) in the coordinates of the input
	 *        volume (not padded): x and y span the whole volume, z spans this slab only (its
	 *        interval's min is the slab's first plane). A new image: the consumer owns it.
	 */
	void accept(RandomAccessibleInterval<FloatType> slab);
}
