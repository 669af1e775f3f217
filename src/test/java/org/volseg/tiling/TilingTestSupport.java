package org.volseg.tiling;

import org.volseg.runtime.PatchPredictor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

final class TilingTestSupport {

	private TilingTestSupport() {
	}

	static Volume randomVolume(long seed, long... dims) {
		Random r = new Random(seed);
		Img<FloatType> img = ArrayImgs.floats(dims);
		for (FloatType t : img)
			t.set((float) (r.nextDouble() * 4 - 2));
		return new Volume(img, Geometry.ofSpacing(0.8, 0.8, 2));
	}

	/** The reference path: windows one by one, no threads, whole-volume accumulation. */
	static Img<FloatType> reference(Volume input, PatchPredictor predictor, SlidingWindowSettings s, Finalizer f) {
		TilePlan plan = TilePlan.of(input.dimensions(), s);
		PatchExtractor e = new PatchExtractor(input, plan, s.padding());
		WholeVolumeStitcher st = new WholeVolumeStitcher(plan, predictor.outputChannels(), ImportanceMap.of(s));
		for (int w = 0; w < plan.windowCount(); w++)
			st.add(w, predictor.predict(e.extractBatch(w, w + 1), 1, plan.roi()), 0);
		return st.result(f);
	}

	/**
	 * Plans as a segmentation does ({@link TilePlanner}) and runs the inference into one whole
	 * volume: (x, y, z) for a one-channel finaliser, else (x, y, z, channel).
	 */
	static Volume run(SlidingWindowInference inference, Volume input, PatchPredictor predictor, Finalizer finalizer) {
		VolumeAssembler assembler = VolumeAssembler.floats(finalizer, predictor.outputChannels(), input.dimensions(),
				input.geometry());
		run(inference, input, predictor, java.util.List.of(assembler));
		return assembler.volume();
	}

	/** Plans as a segmentation does ({@link TilePlanner}) and runs the inference with these outputs. */
	static InferenceStats run(SlidingWindowInference inference, Volume input, PatchPredictor predictor,
			java.util.List<? extends StitchOutput> outputs) {
		TilePlan plan = TilePlanner.plan(input.dimensions(), inference.settings(), predictor.outputChannels(), outputs);
		return inference.run(input, plan, predictor, outputs);
	}

	/** An output that finalises rows with {@code finalizer} and hands each to {@code rows}. */
	static StitchOutput output(Finalizer finalizer, RowSink rows) {
		return new StitchOutput() {
			@Override
			public Finalizer finalizer() {
				return finalizer;
			}

			@Override
			public void acceptRow(long y, long z, float[] values) {
				rows.accept(y, z, values);
			}
		};
	}

	/** What a test output does with a finished row. */
	interface RowSink {
		void accept(long y, long z, float[] values);
	}

	/** Largest |a - b| over the voxels, after checking that the shapes agree. */
	static double maxDifference(RandomAccessibleInterval<FloatType> a, RandomAccessibleInterval<FloatType> b) {
		assertArrayEquals(a.dimensionsAsLongArray(), b.dimensionsAsLongArray());
		double max = 0;
		Cursor<FloatType> c = Views.flatIterable(a).cursor();
		Cursor<FloatType> d = Views.flatIterable(b).cursor();
		while (c.hasNext()) {
			float x = c.next().get(), y = d.next().get();
			assertTrue(Float.isFinite(x) && Float.isFinite(y), "non-finite value");
			max = Math.max(max, Math.abs(x - y));
		}
		return max;
	}

	static float get(RandomAccessibleInterval<FloatType> img, long... pos) {
		RandomAccess<FloatType> ra = img.randomAccess();
		ra.setPosition(pos);
		return ra.get().get();
	}
}
