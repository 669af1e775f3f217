package org.volseg.tiling;

import java.util.Arrays;
import java.util.List;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

import org.volseg.volume.FloatStorage;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

/**
 * A {@link RowConsumer} that puts every row or slab into one whole float {@link Volume}: the simple
 * way to get a stitched output in memory (logits, probabilities, or any output of a small volume).
 * The volume ((x, y, z) for one channel, else (x, y, z, channel), planar as
 * {@link Volume#allocateFloats}) is allocated when the first row or slab arrives. Because it takes
 * rows in any order, a {@link Stitcher} whose outputs are all whole volumes need not keep its sums
 * until whole planes are complete. Not thread-safe.
 */
public final class VolumeAssembler implements RowConsumer {

	private final long[] dims;
	private final int channels;
	private final Geometry geometry;
	private Volume volume;
	/** The volume's planes, plane {@code z + channel * nz}. */
	private List<float[]> planes;
	/** Per plane z: rows received (all channels of a row count once). */
	private final int[] rowsReceived;

	/**
	 * @param dimensions (x, y, z) of the whole output
	 * @param channels channels of the output ({@link SlabFinalizer#channels})
	 * @param geometry placement of the output (usually the input volume's)
	 */
	public VolumeAssembler(long[] dimensions, int channels, Geometry geometry) {
		if (channels < 1)
			throw new IllegalArgumentException("channels must be at least 1, got " + channels);
		this.dims = channels == 1 ? Arrays.copyOf(dimensions, 3) : new long[] { dimensions[0], dimensions[1], dimensions[2], channels };
		this.channels = channels;
		this.geometry = geometry;
		this.rowsReceived = new int[Math.toIntExact(dimensions[2])];
	}

	@Override
	public void acceptRow(long y, long z, float[] values) {
		allocate();
		int sx = (int) dims[0], nz = rowsReceived.length;
		for (int c = 0; c < channels; c++)
			System.arraycopy(values, c * sx, planes.get((int) z + c * nz), (int) y * sx, sx);
		rowsReceived[(int) z]++;
	}

	@Override
	public void accept(RandomAccessibleInterval<FloatType> slab) {
		for (int d = 0; d < slab.numDimensions(); d++)
			if (d != 2 && slab.dimension(d) != dims[d])
				throw new IllegalArgumentException("slab " + Arrays.toString(slab.dimensionsAsLongArray())
						+ " does not fit the volume " + Arrays.toString(dims));
		allocate();
		SlabConsumers.copyInto(volume.voxels()).accept(slab);
		for (long z = slab.min(2); z <= slab.max(2); z++)
			rowsReceived[(int) z] += (int) dims[1];
	}

	private void allocate() {
		if (volume == null) {
			volume = Volume.allocate(geometry, dims);
			planes = FloatStorage.arraysInFlatOrder(volume.voxels());
		}
	}

	/**
	 * The assembled volume.
	 *
	 * @throws IllegalStateException unless every row of every plane was received once
	 */
	public Volume volume() {
		for (int z = 0; z < rowsReceived.length; z++)
			if (rowsReceived[z] != dims[1])
				throw new IllegalStateException("plane " + z + ": received " + rowsReceived[z] + " of " + dims[1] + " rows");
		return volume;
	}
}
