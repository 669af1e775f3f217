package org.volseg.volume;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.converter.Converters;
import net.imglib2.converter.readwrite.RealFloatSamplerConverter;
import net.imglib2.converter.readwrite.WriteConvertedRandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
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

	/** The same voxels as floats, read-only (writes to it are lost), through a view ImgLib2 copies in bulk. */
	public RandomAccessibleInterval<FloatType> readOnlyFloats() {
		return Converters.convert(stored, (in, out) -> out.set(in.getRealFloat()), new FloatType());
	}
}
