package org.volseg.tiling;

import java.util.Arrays;
import java.util.Objects;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Fraction;

import org.volseg.volume.Geometry;
import org.volseg.volume.IntegerVoxels;
import org.volseg.volume.Volume;

/**
 * The {@link StitchOutput} that assembles finished rows, in any order, into one whole
 * {@link Volume}: (x, y, z) if the finaliser writes one channel, else (x, y, z, channel), stored as
 * one Java array per xy plane (planes z fastest, then channel: the layout of
 * {@link Volume#allocateFloats}). A plane is allocated when its first row arrives, so planes not yet
 * stitched cost nothing while the inference runs.
 *
 * <p>Values (logits, probabilities) are kept as floats. A label map ({@link #labels}) is kept in the
 * smallest type that holds every label: unsigned bytes up to 255, unsigned shorts up to 65535,
 * floats above (a 512 x 512 x 400 label map takes 0.1 GB as bytes instead of 0.42 GB as floats);
 * its volume's voxels are then a writable float view of the compact planes
 * ({@link IntegerVoxels}): reading gives the label as a float, writing a float stores it
 * rounded to the storage type (callers write labels, which it holds exactly). Not thread-safe.</p>
 */
public final class VolumeAssembler implements AssembledVolume {

	private final Finalizer finalizer;
	private final int width, height, depth, channels;
	private final Geometry geometry;
	private final Storage storage;
	/** Per plane {@code z + channel * depth}: its storage (ByteArray, ShortArray or FloatArray), null until its first row. */
	private final Object[] planes;
	/** Per plane z: rows received (all channels of a row count once). */
	private final int[] rowsReceived;

	private VolumeAssembler(Finalizer finalizer, int channels, long[] dimensions, Geometry geometry, Storage storage) {
		this.finalizer = Objects.requireNonNull(finalizer, "finalizer");
		if (channels < 1)
			throw new IllegalArgumentException("channels must be at least 1, got " + channels);
		this.width = Math.toIntExact(dimensions[0]);
		this.height = Math.toIntExact(dimensions[1]);
		this.depth = Math.toIntExact(dimensions[2]);
		if ((long) width * height > Integer.MAX_VALUE - 8)
			throw new IllegalArgumentException("an xy plane of " + width + " x " + height + " voxels does not fit in a Java array");
		this.channels = channels;
		this.geometry = geometry;
		this.storage = storage;
		this.planes = new Object[Math.multiplyExact(depth, channels)];
		this.rowsReceived = new int[depth];
	}

	/**
	 * A whole float volume of the finaliser's output (logits, probabilities, masks; or labels as floats).
	 *
	 * @param classes the network's output channels
	 * @param dimensions (x, y, z) of the volume the stitcher works on
	 * @param geometry placement of the output (usually the input volume's)
	 */
	public static VolumeAssembler floats(Finalizer finalizer, int classes, long[] dimensions, Geometry geometry) {
		return new VolumeAssembler(finalizer, finalizer.channels(classes), dimensions, geometry, Storage.FLOATS);
	}

	/**
	 * A label map: one channel, kept in the smallest type that holds labels up to {@code maxLabel}.
	 *
	 * @param finalizer writes one channel (labels)
	 * @param classes the network's output channels
	 * @param maxLabel the largest label the map can hold; chooses the storage type
	 * @throws IllegalArgumentException if the finaliser writes more than one channel
	 */
	public static VolumeAssembler labels(Finalizer finalizer, int classes, long[] dimensions, Geometry geometry,
			long maxLabel) {
		if (finalizer.channels(classes) != 1)
			throw new IllegalArgumentException("a label map takes one channel, " + finalizer + " writes "
					+ finalizer.channels(classes));
		return new VolumeAssembler(finalizer, 1, dimensions, geometry,
				maxLabel <= 255 ? Storage.BYTES : maxLabel <= 65535 ? Storage.SHORTS : Storage.FLOATS);
	}

	@Override
	public Finalizer finalizer() {
		return finalizer;
	}

	@Override
	public void acceptRow(long y, long z, float[] values) {
		int offset = (int) y * width;
		for (int c = 0; c < channels; c++) {
			Object plane = plane((int) z + c * depth);
			int from = c * width;
			switch (storage) {
			case BYTES -> {
				byte[] b = ((ByteArray) plane).getCurrentStorageArray();
				for (int x = 0; x < width; x++)
					b[offset + x] = (byte) (int) values[from + x];
			}
			case SHORTS -> {
				short[] s = ((ShortArray) plane).getCurrentStorageArray();
				for (int x = 0; x < width; x++)
					s[offset + x] = (short) (int) values[from + x];
			}
			case FLOATS -> System.arraycopy(values, from, ((FloatArray) plane).getCurrentStorageArray(), offset, width);
			}
		}
		rowsReceived[(int) z]++;
	}

	private Object plane(int index) {
		if (planes[index] == null)
			planes[index] = storage.allocate(width * height);
		return planes[index];
	}

	/** Bytes each voxel of each channel takes: 1, 2 or 4. */
	public int bytesPerVoxel() {
		return storage.bytes;
	}

	/**
	 * The assembled volume, with the geometry given at construction.
	 *
	 * @throws IllegalStateException unless every row of every plane was received once
	 */
	@Override
	public Volume volume() {
		for (int z = 0; z < depth; z++)
			if (rowsReceived[z] != height)
				throw new IllegalStateException("plane " + z + ": received " + rowsReceived[z] + " of " + height + " rows");
		long[] dims = channels == 1 ? new long[] { width, height, depth } : new long[] { width, height, depth, channels };
		return new Volume(asFloats(planar(Arrays.asList(planes), dims)), geometry);
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static RandomAccessibleInterval<FloatType> asFloats(RandomAccessibleInterval<? extends RealType<?>> image) {
		if (image.getType() instanceof FloatType)
			return (RandomAccessibleInterval<FloatType>) image;
		return IntegerVoxels.of((RandomAccessibleInterval) image);
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private RandomAccessibleInterval<? extends RealType<?>> planar(java.util.List<?> planes, long... dims) {
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
