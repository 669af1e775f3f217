package org.volseg.volume;

import net.imglib2.RandomAccessible;
import net.imglib2.blocks.PrimitiveBlocks;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ByteType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;

/**
 * Blocks of {@link StoredVoxels} (or of a view of their integers: an extension, a translation, a
 * permutation) as floats, in bulk: the stored integers copied as a primitive array by ImgLib2's
 * {@code PrimitiveBlocks}, then decoded in one loop with the voxels' scaling. The values are the float
 * view's, bit for bit ({@code stored * slope + intercept} in float64 rounded to float32, or
 * {@code (float) stored}); ImgLib2's own copy through the converter calls it voxel by voxel, tens of
 * times slower. For 8- and 16-bit integers, signed and unsigned (what the readers keep as stored).
 * Not thread-safe: one per thread ({@link #independentCopy()}).
 */
public final class StoredBlocks implements FloatBlocks {

	private final PrimitiveBlocks<?> blocks;
	private final Decoder decoder;
	private Object buffer;

	private StoredBlocks(PrimitiveBlocks<?> blocks, Decoder decoder) {
		this.blocks = blocks;
		this.decoder = decoder;
	}

	/** Blocks of {@code voxels}; null as {@link #of(StoredVoxels, RandomAccessible)}. */
	public static <T extends RealType<T>> StoredBlocks of(StoredVoxels<T> voxels) {
		return of(voxels, voxels.stored());
	}

	/**
	 * Blocks of {@code viewOfStored} decoded with the scaling of {@code voxels}, or null when the
	 * stored type is not an 8- or 16-bit integer or ImgLib2 cannot copy the view in bulk.
	 *
	 * @param viewOfStored {@code voxels.stored()} or a view of it
	 */
	public static <T extends RealType<T>> StoredBlocks of(StoredVoxels<T> voxels, RandomAccessible<T> viewOfStored) {
		Decoder decoder = Decoder.of(voxels.stored().getType(), voxels);
		if (decoder == null)
			return null;
		try {
			return new StoredBlocks(bulk(viewOfStored), decoder);
		} catch (IllegalArgumentException e) {
			return null; // a view PrimitiveBlocks cannot analyse
		}
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static PrimitiveBlocks<?> bulk(RandomAccessible<?> stored) {
		return PrimitiveBlocks.of((RandomAccessible<NativeType>) stored, PrimitiveBlocks.OnFallback.FAIL);
	}

	@Override
	public void copy(long[] min, float[] floats, int[] size) {
		int n = 1;
		for (int d : size)
			n = Math.multiplyExact(n, d);
		if (buffer == null || decoder.length(buffer) < n)
			buffer = decoder.allocate(n);
		blocks.copy(min, buffer, size);
		decoder.decode(buffer, floats, n);
	}

	@Override
	public StoredBlocks independentCopy() {
		return new StoredBlocks(blocks.independentCopy(), decoder);
	}

	/** Primitive arrays of one stored type to floats. */
	private static final class Decoder {
		private final boolean bytes;
		private final int mask; // 0xff or 0xffff for unsigned types, 0 for signed ones
		/** Gives the values their scaling ({@link StoredVoxels#valueOf}). */
		private final StoredVoxels<?> voxels;

		private Decoder(boolean bytes, int mask, StoredVoxels<?> voxels) {
			this.bytes = bytes;
			this.mask = mask;
			this.voxels = voxels;
		}

		static Decoder of(RealType<?> type, StoredVoxels<?> voxels) {
			if (type instanceof ByteType)
				return new Decoder(true, 0, voxels);
			if (type instanceof UnsignedByteType)
				return new Decoder(true, 0xff, voxels);
			if (type instanceof ShortType)
				return new Decoder(false, 0, voxels);
			if (type instanceof UnsignedShortType)
				return new Decoder(false, 0xffff, voxels);
			return null;
		}

		Object allocate(int n) {
			return bytes ? new byte[n] : new short[n];
		}

		int length(Object array) {
			return bytes ? ((byte[]) array).length : ((short[]) array).length;
		}

		void decode(Object array, float[] out, int n) {
			if (bytes) {
				byte[] in = (byte[]) array;
				for (int i = 0; i < n; i++)
					out[i] = voxels.valueOf(mask == 0 ? in[i] : in[i] & mask);
			} else {
				short[] in = (short[]) array;
				for (int i = 0; i < n; i++)
					out[i] = voxels.valueOf(mask == 0 ? in[i] : in[i] & mask);
			}
		}
	}
}
