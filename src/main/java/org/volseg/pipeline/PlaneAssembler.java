package org.volseg.pipeline;

import java.util.Arrays;
import java.util.List;

import org.volseg.tiling.RowConsumer;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.converter.Converters;
import net.imglib2.converter.readwrite.RealFloatSamplerConverter;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Fraction;
import net.imglib2.view.Views;

/**
 * A {@link RowConsumer} for label maps: keeps each xy plane in the smallest type that holds every
 * label (unsigned bytes up to 255, unsigned shorts up to 65535, floats above), and assembles the
 * planes into a {@link Volume} at the end. Takes finished rows in any order, or slabs of whole
 * planes in z order. A plane is allocated when its first row or slab arrives, so the planes not yet
 * stitched cost nothing while the inference (and its accumulator) runs; a 512 x 512 x 400 label map
 * takes 0.1 GB as bytes instead of 0.42 GB as floats.
 *
 * <p>The volume's voxels are a writable float view of the compact planes ({@link RealFloatSamplerConverter}):
 * reading gives the label as a float, writing a float stores it rounded to the storage type
 * (callers write labels, which it holds exactly). Not thread-safe.</p>
 */
final class PlaneAssembler implements RowConsumer {

	private final int width, height;
	private final Geometry geometry;
	private final Storage storage;
	/** Per plane: its storage (ByteArray, ShortArray or FloatArray), null until its first row. */
	private final Object[] planes;
	/** Per plane: rows received. */
	private final int[] rowsReceived;
	/** Planes received through slabs, which come in z order. */
	private long slabPlanes;

	/**
	 * @param dimensions (x, y, z) of the label map
	 * @param maxLabel the largest label the map can hold; chooses the storage type
	 */
	PlaneAssembler(long[] dimensions, Geometry geometry, long maxLabel) {
		this.width = Math.toIntExact(dimensions[0]);
		this.height = Math.toIntExact(dimensions[1]);
		Math.multiplyExact(width, height);
		this.planes = new Object[Math.toIntExact(dimensions[2])];
		this.rowsReceived = new int[planes.length];
		this.geometry = geometry;
		this.storage = maxLabel <= 255 ? Storage.BYTES : maxLabel <= 65535 ? Storage.SHORTS : Storage.FLOATS;
	}

	@Override
	public void acceptRow(long y, long z, float[] values) {
		Object plane = plane((int) z);
		int offset = (int) y * width;
		switch (storage) {
		case BYTES -> {
			byte[] b = ((ByteArray) plane).getCurrentStorageArray();
			for (int x = 0; x < width; x++)
				b[offset + x] = (byte) (int) values[x];
		}
		case SHORTS -> {
			short[] s = ((ShortArray) plane).getCurrentStorageArray();
			for (int x = 0; x < width; x++)
				s[offset + x] = (short) (int) values[x];
		}
		case FLOATS -> System.arraycopy(values, 0, ((FloatArray) plane).getCurrentStorageArray(), offset, width);
		}
		rowsReceived[(int) z]++;
	}

	@Override
	public void accept(RandomAccessibleInterval<FloatType> slab) {
		if (slab.numDimensions() != 3)
			throw new IllegalArgumentException("one-channel slabs only, got " + slab.numDimensions() + " dimensions");
		if (slab.dimension(0) != width || slab.dimension(1) != height)
			throw new IllegalArgumentException("slab of " + slab.dimension(0) + " x " + slab.dimension(1)
					+ " voxels per plane, expected " + width + " x " + height);
		if (slab.min(2) != slabPlanes)
			throw new IllegalStateException("slab starts at plane " + slab.min(2) + ", expected " + slabPlanes);
		for (long z = slab.min(2); z <= slab.max(2); z++) {
			RandomAccessibleInterval<? extends RealType<?>> target = planar(storage, List.of(plane((int) z)), width, height, 1);
			copy(Views.hyperSlice(slab, 2, z), Views.hyperSlice(target, 2, 0));
			rowsReceived[(int) z] += height;
			slabPlanes++;
		}
	}

	private Object plane(int z) {
		if (planes[z] == null)
			planes[z] = storage.allocate(width * height);
		return planes[z];
	}

	/**
	 * The assembled volume: (x, y, z) labels as a writable float view of the compact planes.
	 *
	 * @throws IllegalStateException unless every row of every plane was received once
	 */
	Volume volume() {
		for (int z = 0; z < planes.length; z++)
			if (rowsReceived[z] != height)
				throw new IllegalStateException("plane " + z + ": received " + rowsReceived[z] + " of " + height + " rows");
		return new Volume(asFloats(planar(storage, Arrays.asList(planes), width, height, planes.length)), geometry);
	}

	/** Bytes each voxel of the label map takes: 1, 2 or 4. */
	int bytesPerVoxel() {
		return storage.bytes;
	}

	private static void copy(RandomAccessibleInterval<FloatType> from,
			RandomAccessibleInterval<? extends RealType<?>> to) {
		LoopBuilder.setImages(from, to).forEachPixel((s, t) -> t.setReal(s.get()));
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static RandomAccessibleInterval<FloatType> asFloats(RandomAccessibleInterval<? extends RealType<?>> image) {
		if (image.getType() instanceof FloatType)
			return (RandomAccessibleInterval<FloatType>) image;
		return Converters.convert((RandomAccessibleInterval) image, new RealFloatSamplerConverter());
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static RandomAccessibleInterval<? extends RealType<?>> planar(Storage storage, List<?> planes, long... dims) {
		PlanarImg img = new PlanarImg(planes, dims, new Fraction());
		NativeType<?> linked = switch (storage) {
		case BYTES -> new UnsignedByteType(img);
		case SHORTS -> new UnsignedShortType(img);
		case FLOATS -> new FloatType(img);
		};
		img.setLinkedType(linked);
		return img;
	}

	private enum Storage {
		BYTES(1), SHORTS(2), FLOATS(4);

		final int bytes;

		Storage(int bytes) {
			this.bytes = bytes;
		}

		Object allocate(int voxels) {
			return switch (this) {
			case BYTES -> new ByteArray(voxels);
			case SHORTS -> new ShortArray(voxels);
			case FLOATS -> new FloatArray(voxels);
			};
		}
	}
}
