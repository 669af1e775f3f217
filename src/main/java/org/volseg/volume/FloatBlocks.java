package org.volseg.volume;

import net.imglib2.blocks.PrimitiveBlocks;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Copies blocks of a float image into arrays, first axis fastest: ImgLib2's {@code PrimitiveBlocks}
 * ({@link #of}), or stored integers decoded in bulk ({@link StoredBlocks}). Not thread-safe: one per
 * thread ({@link #independentCopy()}).
 */
public interface FloatBlocks {

	/**
	 * Copies the block at {@code min} of {@code size} into {@code dest}.
	 *
	 * @param dest at least as many floats as the block has voxels
	 */
	void copy(long[] min, float[] dest, int[] size);

	/** Blocks of the same image for another thread. */
	FloatBlocks independentCopy();

	/** The blocks ImgLib2 copies. */
	static FloatBlocks of(PrimitiveBlocks<FloatType> blocks) {
		return new FloatBlocks() {
			@Override
			public void copy(long[] min, float[] dest, int[] size) {
				blocks.copy(min, dest, size);
			}

			@Override
			public FloatBlocks independentCopy() {
				return of(blocks.independentCopy());
			}
		};
	}
}
