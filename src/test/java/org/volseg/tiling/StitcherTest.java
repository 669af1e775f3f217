package org.volseg.tiling;

import org.volseg.runtime.PatchPredictor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.volseg.volume.Volume;

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
}
