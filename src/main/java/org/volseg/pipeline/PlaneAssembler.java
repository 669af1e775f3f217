package org.volseg.pipeline;

import java.util.ArrayList;
import java.util.List;

import org.volseg.tiling.SlabConsumer;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Fraction;
import net.imglib2.view.Views;

/**
 * A {@link SlabConsumer} for one-channel outputs (labels) that allocates the output's xy planes
 * only as their slabs arrive, and assembles them into a planar {@link Volume} (the layout of
 * {@link Volume#allocateFloats}) at the end. Unlike allocating the whole volume up front, the
 * memory of the planes not yet stitched is not held while the inference (and its accumulator) runs.
 * Not thread-safe.
 */
final class PlaneAssembler implements SlabConsumer {

	private final long planes;
	private final Geometry geometry;
	private final List<FloatArray> arrays = new ArrayList<>();
	private long width = -1, height = -1;

	PlaneAssembler(long planes, Geometry geometry) {
		this.planes = planes;
		this.geometry = geometry;
	}

	@Override
	public void accept(RandomAccessibleInterval<FloatType> slab) {
		if (slab.numDimensions() != 3)
			throw new IllegalArgumentException("one-channel slabs only, got " + slab.numDimensions() + " dimensions");
		width = slab.dimension(0);
		height = slab.dimension(1);
		if (slab.min(2) != arrays.size())
			throw new IllegalStateException("slab starts at plane " + slab.min(2) + ", expected " + arrays.size());
		for (long z = slab.min(2); z <= slab.max(2); z++) {
			float[] plane = new float[Math.toIntExact(width * height)];
			PlanarImg<FloatType, FloatArray> one = planar(List.of(new FloatArray(plane)), width, height, 1);
			LoopBuilder.setImages(Views.hyperSlice(slab, 2, z), Views.hyperSlice(one, 2, 0)).forEachPixel((s, t) -> t.set(s));
			arrays.add(new FloatArray(plane));
		}
	}

	/**
	 * The assembled volume.
	 *
	 * @throws IllegalStateException unless every plane was received
	 */
	Volume volume() {
		if (arrays.size() != planes)
			throw new IllegalStateException("received " + arrays.size() + " of " + planes + " planes");
		return new Volume(planar(arrays, width, height, planes), geometry);
	}

	private static PlanarImg<FloatType, FloatArray> planar(List<FloatArray> planes, long... dims) {
		PlanarImg<FloatType, FloatArray> img = new PlanarImg<>(planes, dims, new Fraction());
		img.setLinkedType(new FloatType(img));
		return img;
	}
}
