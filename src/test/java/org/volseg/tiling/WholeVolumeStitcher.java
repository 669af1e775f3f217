package org.volseg.tiling;

import org.volseg.runtime.PatchPredictor;

import net.imglib2.Cursor;
import net.imglib2.FinalInterval;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.IntervalView;
import net.imglib2.view.Views;

import org.volseg.volume.Volume;

/**
 * The plain way to blend window outputs: one accumulator for the whole padded multi-class volume,
 * normalised and cropped at the end. Simple on purpose: the tests' reference (oracle) for the
 * streaming {@link Stitcher}. Windows may be added in any
 * order. Memory: {@code (classes + 1)} floats per padded voxel. Not thread-safe.
 */
final class WholeVolumeStitcher {

	private final TilePlan plan;
	private final int classes;
	private final ImportanceMap importance;
	private final Img<FloatType> sums;
	private final Img<FloatType> weightSums;

	/**
	 * @param plan the windows
	 * @param classes channels of every window output
	 * @param importance weights of a window's voxels
	 */
	WholeVolumeStitcher(TilePlan plan, int classes, ImportanceMap importance) {
		this.plan = plan;
		this.classes = classes;
		this.importance = importance;
		long[] p = plan.paddedSize();
		this.sums = Volume.allocateFloats(p[0], p[1], p[2], classes);
		this.weightSums = Volume.allocateFloats(p[0], p[1], p[2]);
	}

	/**
	 * Adds one window's output ({@link PatchPredictor} layout, {@code [x, y, z, class]} row-major
	 * from {@code offset}).
	 */
	void add(int window, float[] output, int offset) {
		int[] roi = plan.roi();
		long[] start = plan.windowStart(window);
		RandomAccess<FloatType> s = sums.randomAccess();
		RandomAccess<FloatType> w = weightSums.randomAccess();
		int k = offset;
		for (int x = 0; x < roi[0]; x++)
			for (int y = 0; y < roi[1]; y++)
				for (int z = 0; z < roi[2]; z++) {
					float weight = importance.weight(x, y, z);
					w.setPosition(new long[] { start[0] + x, start[1] + y, start[2] + z });
					w.get().set(w.get().get() + weight);
					for (int c = 0; c < classes; c++) {
						s.setPosition(new long[] { start[0] + x, start[1] + y, start[2] + z, c });
						s.get().set(s.get().get() + weight * output[k++]);
					}
				}
	}

	/**
	 * The blended values, sums divided by summed weights, padding cropped, then finalised.
	 *
	 * @return a new image (x, y, z) if the finaliser writes one channel, else (x, y, z, channel),
	 *         sized as the plan's image
	 */
	Img<FloatType> result(Finalizer finalizer) {
		long[] size = plan.imageSize();
		long[] pad = plan.padBefore();
		int ch = finalizer.channels(classes);
		Img<FloatType> out = ch == 1 ? Volume.allocateFloats(size[0], size[1], size[2])
				: Volume.allocateFloats(size[0], size[1], size[2], ch);
		IntervalView<FloatType> cropped = Views.zeroMin(Views.interval(sums, new FinalInterval(
				new long[] { pad[0], pad[1], pad[2], 0 },
				new long[] { pad[0] + size[0] - 1, pad[1] + size[1] - 1, pad[2] + size[2] - 1, classes - 1 })));
		RandomAccessibleInterval<FloatType> croppedWeights = Views.zeroMin(Views.interval(weightSums,
				new FinalInterval(pad, new long[] { pad[0] + size[0] - 1, pad[1] + size[1] - 1, pad[2] + size[2] - 1 })));
		RandomAccess<FloatType> s = cropped.randomAccess();
		RandomAccess<FloatType> o = out.randomAccess();
		float[] voxel = new float[classes];
		float[] result = new float[ch];
		Cursor<FloatType> w = Views.flatIterable(croppedWeights).localizingCursor();
		long[] pos = new long[4];
		while (w.hasNext()) {
			float weight = w.next().get();
			w.localize(pos);
			for (int c = 0; c < classes; c++) {
				pos[3] = c;
				s.setPosition(pos);
				voxel[c] = s.get().get() / weight;
			}
			finalizer.apply(voxel, 0, classes, result, 0, 1);
			for (int c = 0; c < ch; c++) {
				pos[3] = c;
				if (ch == 1)
					o.setPosition(new long[] { pos[0], pos[1], pos[2] });
				else
					o.setPosition(pos);
				o.get().set(result[c]);
			}
		}
		return out;
	}
}
