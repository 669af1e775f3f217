package org.volseg.volume;

import java.util.OptionalDouble;

import net.imglib2.RandomAccessible;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.converter.Converter;
import net.imglib2.converter.Converters;
import net.imglib2.converter.read.ConvertedRandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Integer voxels kept as a file stores them (one or two bytes each instead of a float's four) and
 * seen as floats: {@code value = stored * slope + intercept} computed in float64 and rounded to
 * float32 when scaled, {@code (float) stored} when not, exactly as the readers decode to floats.
 * A CT scan of int16 voxels held this way takes half the memory of its float copy.
 *
 * <p><b>Read-only.</b> The float view has no storage of its own: a value written through it is
 * lost. Only code that never writes its input gets such voxels (the segmenter's input, through
 * {@code VolumeIO#openReadOnly}); copy them to floats to change them.</p>
 *
 * @param <T> the stored type (for example {@code ShortType}, {@code UnsignedByteType})
 */
public final class StoredVoxels<T extends RealType<T>> extends ConvertedRandomAccessibleInterval<T, FloatType> {

	private final RandomAccessibleInterval<T> stored;
	private final Scaling scaling;

	private StoredVoxels(RandomAccessibleInterval<T> stored, Scaling scaling) {
		super(stored, scaling, FloatType::new);
		this.stored = stored;
		this.scaling = scaling;
	}

	/**
	 * @param stored the stored integers (x, y, z[, channel]), interval starting at 0; kept, not copied
	 * @param scaled whether {@code slope} and {@code intercept} apply
	 */
	public static <T extends RealType<T>> StoredVoxels<T> of(RandomAccessibleInterval<T> stored, boolean scaled, double slope,
			double intercept) {
		return new StoredVoxels<>(stored, new Scaling(scaled, slope, intercept));
	}

	/**
	 * Channel {@code c} of 4D stored voxels (x, y, z, channel) as 3D stored voxels with the same
	 * scaling: the stored integers' hyperslice, shared, not copied.
	 */
	public StoredVoxels<T> channel(long c) {
		if (stored.numDimensions() != 4)
			throw new IllegalArgumentException("a channel of 4D voxels, got " + stored.numDimensions() + " dimensions");
		return withStored(Views.hyperSlice(stored, 3, c));
	}

	/**
	 * A view of {@link #stored()} (a flip, a permutation, a slice; interval starting at 0) as stored
	 * voxels with the same scaling. Shares the integers.
	 */
	public StoredVoxels<T> withStored(RandomAccessibleInterval<T> viewOfStored) {
		return new StoredVoxels<>(viewOfStored, scaling);
	}

	/** The float an integer stored value reads as: what the float view gives for it. */
	float valueOf(int storedValue) {
		return scaling.value(storedValue);
	}

	/** The stored integers (shared, not copied). */
	public RandomAccessibleInterval<T> stored() {
		return stored;
	}

	/**
	 * Any view of {@link #stored()} (an extension, a translation, ...) seen as floats with this scaling.
	 * A converter placed after such views keeps ImgLib2's fast block copy ({@code PrimitiveBlocks}).
	 */
	public RandomAccessible<FloatType> asFloats(RandomAccessible<T> viewOfStored) {
		return Converters.convert(viewOfStored, scaling, new FloatType());
	}

	/**
	 * The stored value that reads as exactly {@code value}, if the stored type holds one (for
	 * example, for padding the stored image with a constant).
	 */
	public OptionalDouble storedValueOf(float value) {
		T probe = stored.getType().createVariable();
		double candidate = scaling.scaled ? Math.rint((value - scaling.intercept) / scaling.slope) : Math.rint(value);
		if (!(candidate >= probe.getMinValue() && candidate <= probe.getMaxValue()))
			return OptionalDouble.empty();
		probe.setReal(candidate);
		FloatType back = new FloatType();
		scaling.convert(probe, back);
		return Float.compare(back.get(), value) == 0 ? OptionalDouble.of(candidate) : OptionalDouble.empty();
	}

	/** {@code stored * slope + intercept} in float64, rounded to float32; unscaled: the stored value as a float. */
	private static final class Scaling implements Converter<RealType<?>, FloatType> {
		private final boolean scaled;
		private final double slope;
		private final double intercept;

		Scaling(boolean scaled, double slope, double intercept) {
			this.scaled = scaled;
			this.slope = slope;
			this.intercept = intercept;
		}

		@Override
		public void convert(RealType<?> input, FloatType output) {
			output.set(scaled ? scale(input.getRealDouble()) : input.getRealFloat());
		}

		float value(int stored) {
			return scaled ? scale(stored) : stored;
		}

		private float scale(double stored) {
			return (float) (stored * slope + intercept);
		}
	}
}
