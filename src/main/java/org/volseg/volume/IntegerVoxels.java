package org.volseg.volume;

import java.util.ArrayList;
import java.util.List;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.converter.Converters;
import net.imglib2.converter.readwrite.RealFloatSamplerConverter;
import net.imglib2.converter.readwrite.WriteConvertedRandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgFactory;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Whole numbers kept in an integer type (a label map: one byte per voxel instead of a float's four)
 * and seen as floats that can be written: a voxel reads as {@code (float) stored}, and a float written
 * to it is stored as the integer type's {@code setReal} makes it (label values are whole numbers, so
 * nothing is lost).
 *
 * <p>Unlike {@link StoredVoxels} (the read-only input), a label map is changed after it is made (small
 * components removed, corrections in Fiji), so the float view writes through. ImgLib2's bulk copy
 * ({@code PrimitiveBlocks}) cannot read such a view directly; {@link #readOnlyFloats()} gives the same
 * values through a view it can, for code that only reads.</p>
 *
 * @param <T> the stored type (for example {@code UnsignedByteType}, {@code UnsignedShortType})
 */
public final class IntegerVoxels<T extends RealType<T>> extends WriteConvertedRandomAccessibleInterval<T, FloatType> {

	private final RandomAccessibleInterval<T> stored;

	private IntegerVoxels(RandomAccessibleInterval<T> stored) {
		super(stored, new RealFloatSamplerConverter<T>());
		this.stored = stored;
	}

	/** @param stored the integers (x, y, z[, channel]), interval starting at 0; kept, not copied */
	public static <T extends RealType<T>> IntegerVoxels<T> of(RandomAccessibleInterval<T> stored) {
		return new IntegerVoxels<>(stored);
	}

	/** The stored integers (shared, not copied). */
	public RandomAccessibleInterval<T> stored() {
		return stored;
	}

	/**
	 * A label map of zeros kept as unsigned bytes (labels 0 to 255), one array per xy plane.
	 *
	 * @param dimensions (x, y, z[, channel])
	 */
	public static IntegerVoxels<UnsignedByteType> allocateUnsignedBytes(long... dimensions) {
		return of(new PlanarImgFactory<>(new UnsignedByteType()).create(dimensions));
	}

	/**
	 * The unsigned bytes behind a label map kept as bytes, in flat order (x fastest, then y, z, channel;
	 * one array per xy plane, or one for the whole image): the image's own storage, so writing them
	 * writes the image, each byte read as {@code b & 0xff}. Null unless {@code image} is an
	 * {@code IntegerVoxels} over an {@link UnsignedByteType} {@code ArrayImg} or {@code PlanarImg}, as
	 * VolSeg makes its label maps ({@link #allocateUnsignedBytes}, the sliding window's assembler).
	 */
	public static List<byte[]> unsignedBytesInFlatOrder(RandomAccessibleInterval<FloatType> image) {
		if (!(image instanceof IntegerVoxels<?> integers))
			return null;
		RandomAccessibleInterval<?> stored = integers.stored;
		if (stored instanceof ArrayImg<?, ?> array && array.firstElement() instanceof UnsignedByteType
				&& array.update(null) instanceof ByteArray bytes)
			return List.of(bytes.getCurrentStorageArray());
		if (stored instanceof PlanarImg<?, ?> planar && planar.firstElement() instanceof UnsignedByteType) {
			List<byte[]> planes = new ArrayList<>(planar.numSlices());
			for (int i = 0; i < planar.numSlices(); i++) {
				if (!(planar.getPlane(i) instanceof ByteArray bytes))
					return null;
				planes.add(bytes.getCurrentStorageArray());
			}
			return planes;
		}
		return null;
	}

	/** The same voxels as floats, read-only (writes to it are lost), through a view ImgLib2 copies in bulk. */
	public RandomAccessibleInterval<FloatType> readOnlyFloats() {
		return Converters.convert(stored, (in, out) -> out.set(in.getRealFloat()), new FloatType());
	}
}
