package org.volseg.tiling;

import org.volseg.runtime.PatchPredictor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

class StitcherTest {

	/** Memory stays at one window's depth of planes, and rows are handed on while windows still arrive. */
	@Test
	void holdsOnlyTheRowsWindowsStillWriteTo() {
		Volume in = TilingTestSupport.randomVolume(4, 12, 10, 64);
		SlidingWindowSettings s = SlidingWindowSettings.builder(8, 8, 8).overlap(0.5).blend(BlendMode.GAUSSIAN).build();
		long[] received = { 0 };
		List<StitchOutput> outputs = List.of(TilingTestSupport.output(Finalizer.raw(), (y, z, row) -> received[0]++));
		TilePlan plan = TilePlanner.plan(in.dimensions(), s, 3, outputs);
		PatchExtractor e = new PatchExtractor(in, plan, s.padding());
		PatchPredictor p = FakePredictors.windowDependent();
		List<Long> rowsAtWindow = new ArrayList<>();
		Stitcher st = new Stitcher(plan, 3, ImportanceMap.of(s), outputs);
		for (int w = 0; w < plan.windowCount(); w++) {
			st.add(w, p.predict(e.extractBatch(w, w + 1), 1, plan.roi()), 0);
			rowsAtWindow.add(received[0]);
		}
		assertTrue(rowsAtWindow.get(plan.windowCount() / 2) >= 10 * 20, "rows handed on halfway: " + rowsAtWindow);
		st.finish();
		assertEquals(10 * 64, received[0]);
		// sums (3 classes) and weights for fewer rows than 8 whole planes of 12 x 10, let alone the 64 planes
		assertTrue(st.accumulatorBytes() < 4L * 12 * 10 * 8 * (3 + 1), "accumulator " + st.accumulatorBytes());
		assertEquals(plan.heldBytes(), st.accumulatorBytes());
	}

	@Test
	void refusesAWindowTwiceAndMissingWindows() {
		SlidingWindowSettings s = SlidingWindowSettings.builder(4, 4, 4).overlap(0.5).build();
		TilePlan plan = TilePlan.of(new long[] { 4, 4, 12 }, s);
		Stitcher st = new Stitcher(plan, 1, ImportanceMap.of(s), List.of(TilingTestSupport.output(Finalizer.raw(), (y, z, row) -> {
		})));
		float[] out = new float[64];
		st.add(0, out, 0);
		st.add(2, out, 0);
		assertThrows(IllegalStateException.class, () -> st.add(2, out, 0));
		assertThrows(IllegalStateException.class, st::finish); // windows 1, 3, 4 missing
	}

	/**
	 * Rows are finished by counting the windows that write them, so any order gives the whole-volume
	 * result, every row once (padding, blend, irregular last starts), to every output.
	 */
	@Test
	void anyWindowOrderGivesTheWholeVolumeResult() {
		Volume in = TilingTestSupport.randomVolume(7, 5, 11, 24);
		SlidingWindowSettings s = SlidingWindowSettings.builder(6, 8, 7).overlap(0.4).blend(BlendMode.GAUSSIAN)
				.padding(Padding.reflect()).build();
		TilePlan plan = TilePlan.of(in.dimensions(), s);
		PatchExtractor e = new PatchExtractor(in, plan, s.padding());
		PatchPredictor p = FakePredictors.windowDependent();
		List<Integer> order = new ArrayList<>();
		for (int w = 0; w < plan.windowCount(); w++)
			order.add(w);
		java.util.Collections.shuffle(order, new java.util.Random(3));
		VolumeAssembler raw = VolumeAssembler.floats(Finalizer.raw(), 3, in.dimensions(), in.geometry());
		VolumeAssembler labels = VolumeAssembler.labels(Finalizer.argmax(), 3, in.dimensions(), in.geometry(), 2);
		Stitcher st = new Stitcher(plan, 3, ImportanceMap.of(s), List.of(raw, labels));
		for (int w : order)
			st.add(w, p.predict(e.extractBatch(w, w + 1), 1, plan.roi()), 0);
		st.finish();
		boolean paired = false;
		for (int w = 1; w < plan.windowCount(); w++)
			paired |= plan.windowStart(w, 2) < plan.windowStart(w - 1, 2);
		assertTrue(plan.paddedSize()[0] > 5 && paired, plan.toString()); // x padded, last z-rows swept together
		assertTrue(TilingTestSupport.maxDifference(TilingTestSupport.reference(in, p, s, Finalizer.raw()),
				raw.volume().voxels()) < 1e-5);
		assertEquals(0, TilingTestSupport.maxDifference(TilingTestSupport.reference(in, p, s, Finalizer.argmax()),
				labels.volume().voxels()));
	}

	/**
	 * With labels alone (argmax ignores scale) the stitcher keeps no summed weights: {@code classes}
	 * floats per voxel instead of {@code classes + 1}, and the result is unchanged.
	 */
	@Test
	void labelsAloneKeepNoSummedWeights() {
		Volume in = TilingTestSupport.randomVolume(9, 14, 13, 17);
		SlidingWindowSettings s = SlidingWindowSettings.builder(6, 6, 6).overlap(0.5).blend(BlendMode.GAUSSIAN).build();
		PatchPredictor p = FakePredictors.windowDependent();
		TilePlan plan = TilePlan.of(in.dimensions(), s);
		PatchExtractor e = new PatchExtractor(in, plan, s.padding());
		VolumeAssembler labels = VolumeAssembler.labels(Finalizer.argmax(), 3, in.dimensions(), in.geometry(), 2);
		VolumeAssembler probabilities = VolumeAssembler.floats(Finalizer.softmax(), 3, in.dimensions(), in.geometry());
		Stitcher labelsOnly = new Stitcher(plan, 3, ImportanceMap.of(s), List.of(labels));
		Stitcher both = new Stitcher(plan, 3, ImportanceMap.of(s), List.of(probabilities));
		for (int w = 0; w < plan.windowCount(); w++) {
			float[] out = p.predict(e.extractBatch(w, w + 1), 1, plan.roi());
			labelsOnly.add(w, out, 0);
			both.add(w, out, 0);
		}
		assertEquals(both.accumulatorBytes() / 4 * 3, labelsOnly.accumulatorBytes());
		assertEquals(0, TilingTestSupport.maxDifference(TilingTestSupport.reference(in, p, s, Finalizer.argmax()),
				labels.volume().voxels()));
	}

	/**
	 * Float16 sums (issue 19): the blended outputs stay within float16's rounding of the float32
	 * whole-volume reference (up to 8 windows per voxel, each addition rounding by at most 2^-11 of
	 * the running sum), with half the bytes; labels alone get float16 by default, and a voxel labelled
	 * differently from the float32 blend can only be a near-tie of its two best classes.
	 */
	@Test
	void float16SumsStayWithinTheirRounding() {
		Volume in = TilingTestSupport.randomVolume(21, 15, 13, 19);
		SlidingWindowSettings float32 = SlidingWindowSettings.builder(6, 6, 6).overlap(0.5).blend(BlendMode.GAUSSIAN)
				.sumPrecision(SumPrecision.FLOAT32).build();
		SlidingWindowSettings float16 = float32.toBuilder().sumPrecision(SumPrecision.FLOAT16).build();
		PatchPredictor p = FakePredictors.windowDependent();
		Img<FloatType> expected = TilingTestSupport.reference(in, p, float32, Finalizer.raw());
		double largest = 0;
		for (FloatType t : expected)
			largest = Math.max(largest, Math.abs(t.get()));
		double tolerance = 16 * Math.scalb(largest, -11);

		VolumeAssembler raw16 = VolumeAssembler.floats(Finalizer.raw(), 3, in.dimensions(), in.geometry());
		Stitcher half = stitchAll(in, TilePlan.of(in.dimensions(), float16), float16, p, raw16);
		Stitcher full = stitchAll(in, TilePlan.of(in.dimensions(), float32), float32, p,
				VolumeAssembler.floats(Finalizer.raw(), 3, in.dimensions(), in.geometry()));
		double difference = TilingTestSupport.maxDifference(expected, raw16.volume().voxels());
		assertTrue(difference > 0 && difference <= tolerance, difference + " against " + tolerance);
		assertEquals(full.accumulatorBytes() / 2, half.accumulatorBytes());

		VolumeAssembler labels = VolumeAssembler.labels(Finalizer.argmax(), 3, in.dimensions(), in.geometry(), 2);
		// auto keeps sums this small in float32 (SumPrecision.AUTO_FLOAT16_LABELS_ABOVE), so float16 is asked for
		SlidingWindowSettings auto = float32.toBuilder().sumPrecision(SumPrecision.AUTO).build();
		assertEquals(SumPrecision.FLOAT32, TilePlanner.plan(in.dimensions(), auto, 3, List.of(labels)).sumPrecision());
		TilePlan plan = TilePlanner.plan(in.dimensions(), float16, 3, List.of(labels));
		assertEquals(SumPrecision.FLOAT16, plan.sumPrecision());
		stitchAll(in, plan, float16, p, labels);
		RandomAccess<FloatType> blended = expected.randomAccess();
		Cursor<? extends RealType<?>> label = Views.flatIterable(labels.volume().voxels()).localizingCursor();
		while (label.hasNext()) {
			int chosen = (int) label.next().getRealDouble();
			for (int d = 0; d < 3; d++)
				blended.setPosition(label.getLongPosition(d), d);
			blended.setPosition(chosen, 3);
			float chosenValue = blended.get().get();
			for (int c = 0; c < 3; c++) {
				blended.setPosition(c, 3);
				assertTrue(blended.get().get() <= chosenValue + tolerance, () -> "voxel " + java.util.Arrays.toString(
						label.positionAsLongArray()) + " labelled " + chosen + ", not a near-tie of the float32 blend");
			}
		}
	}

	/** A stitcher of {@code plan} with every window of the fake predictor added in order. */
	private static Stitcher stitchAll(Volume in, TilePlan plan, SlidingWindowSettings s, PatchPredictor p, StitchOutput output) {
		PatchExtractor e = new PatchExtractor(in, plan, s.padding());
		Stitcher st = new Stitcher(plan, 3, ImportanceMap.of(s), List.of(output));
		for (int w = 0; w < plan.windowCount(); w++)
			st.add(w, p.predict(e.extractBatch(w, w + 1), 1, plan.roi()), 0);
		st.finish();
		return st;
	}
}
