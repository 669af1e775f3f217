package org.volseg.tiling;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

/**
 * A {@link SlabConsumer} that copies every slab into one whole {@link Volume}: the simple way to
 * get a stitched output in memory (labels, or the outputs of a small volume). The volume is
 * allocated on the first slab, with that slab's x, y and channel sizes, the given number of planes
 * and the given geometry. Not thread-safe.
 */
public final class VolumeAssembler implements SlabConsumer {

	private final long planes;
	private final Geometry geometry;
	private Volume volume;
	private long received;

	/**
	 * @param planes z size of the whole output
	 * @param geometry placement of the output (usually the input volume's)
	 */
	public VolumeAssembler(long planes, Geometry geometry) {
		this.planes = planes;
		this.geometry = geometry;
	}

	@Override
	public void accept(RandomAccessibleInterval<FloatType> slab) {
		if (volume == null) {
			long[] dims = slab.dimensionsAsLongArray();
			dims[2] = planes;
			volume = Volume.allocate(geometry, dims);
		}
		SlabConsumers.copyInto(volume.voxels()).accept(slab);
		received += slab.dimension(2);
	}

	/**
	 * The assembled volume.
	 *
	 * @throws IllegalStateException unless every plane was received
	 */
	public Volume volume() {
		if (volume == null || received != planes)
			throw new IllegalStateException("received " + received + " of " + planes + " planes");
		return volume;
	}
}
