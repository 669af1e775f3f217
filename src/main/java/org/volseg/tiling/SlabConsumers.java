package org.volseg.tiling;

import java.util.Arrays;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/** Ready-made {@link SlabConsumer}s. */
public final class SlabConsumers {

	private SlabConsumers() {
	}

	/**
	 * Copies every slab into an existing image at the slab's own coordinates (a label image shown in
	 * Fiji, a cell image, a view).
	 *
	 * @param target (x, y, z) or (x, y, z, channel), containing every slab's interval
	 * @throws IllegalArgumentException when a slab does not fit the target
	 */
	public static SlabConsumer copyInto(RandomAccessibleInterval<FloatType> target) {
		return slab -> {
			if (slab.numDimensions() != target.numDimensions() || !Intervals.contains(target, slab))
				throw new IllegalArgumentException("slab " + Arrays.toString(Intervals.minAsLongArray(slab)) + ".."
						+ Arrays.toString(Intervals.maxAsLongArray(slab)) + " does not fit the target "
						+ Arrays.toString(Intervals.minAsLongArray(target)) + ".."
						+ Arrays.toString(Intervals.maxAsLongArray(target)));
			LoopBuilder.setImages(Views.interval(target, slab), slab).forEachPixel((t, s) -> t.set(s));
		};
	}

	/** Hands every slab to all the given consumers, in order. */
	public static SlabConsumer all(SlabConsumer... consumers) {
		SlabConsumer[] copy = consumers.clone();
		return slab -> {
			for (SlabConsumer c : copy)
				c.accept(slab);
		};
	}
}
