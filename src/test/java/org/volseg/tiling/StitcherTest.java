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

	/** Memory stays at one window's depth of planes, and slabs are handed on while windows still arrive. */
	@Test
	void holdsOnlyTheSlabWindowsStillWriteTo() {
		Volume in = TilingTestSupport.randomVolume(4, 12, 10, 64);
		SlidingWindowSettings s = SlidingWindowSettings.builder(8, 8, 8).overlap(0.5).blend(BlendMode.GAUSSIAN).build();
		TilePlan plan = TilePlan.of(in.dimensions(), s);
		PatchExtractor e = new PatchExtractor(in, plan, s.padding());
		PatchPredictor p = FakePredictors.windowDependent();
		List<Long> planesAtWindow = new ArrayList<>();
		long[] received = { 0 };
		Stitcher st = new Stitcher(plan, 3, ImportanceMap.of(s),
				List.of(new StitchOutput(SlabFinalizers.raw(), slab -> received[0] += slab.dimension(2))));
		for (int w = 0; w < plan.windowCount(); w++) {
			st.add(w, p.predict(e.extractBatch(w, w + 1), 1, plan.roi()), 0);
			planesAtWindow.add(received[0]);
		}
		assertTrue(planesAtWindow.get(plan.windowCount() - 1) >= 64 - 8,
				"planes handed on before the end: " + planesAtWindow.get(plan.windowCount() - 1));
		st.finish();
		assertEquals(64, received[0]);
		// sums (3 classes) and weights for fewer rows than 8 whole planes of 12 x 10, let alone the 64 planes
		assertTrue(st.accumulatorBytes() < 4L * 12 * 10 * 8 * (3 + 1), "accumulator " + st.accumulatorBytes());
		assertEquals(st.accumulatorBytes(), Stitcher.accumulatorBytes(plan, 3));
		assertEquals(st.heldBytes(), Stitcher.heldBytes(plan, 3, 3));
	}

	@Test
	void refusesAWindowTwiceAndMissingWindows() {
		SlidingWindowSettings s = SlidingWindowSettings.builder(4, 4, 4).overlap(0.5).build();
		TilePlan plan = TilePlan.of(new long[] { 4, 4, 12 }, s);
		Stitcher st = new Stitcher(plan, 1, ImportanceMap.of(s), List.of(new StitchOutput(SlabFinalizers.raw(), slab -> {
		})));
		float[] out = new float[64];
		st.add(0, out, 0);
		st.add(2, out, 0);
		assertThrows(IllegalStateException.class, () -> st.add(2, out, 0));
		assertThrows(IllegalStateException.class, st::finish); // windows 1, 3, 4 missing
	}

	/**
	 * Rows are finished by counting the windows that write them, so any order gives the whole-volume
	 * result, handed on in z order, every plane once (padding, blend, irregular last starts).
	 */
	@Test
	void anyWindowOrderGivesTheWholeVolumeResultInZOrder() {
		Volume in = TilingTestSupport.randomVolume(7, 5, 11, 24);
		SlidingWindowSettings s = SlidingWindowSettings.builder(6, 8, 7).overlap(0.4).blend(BlendMode.GAUSSIAN)
				.padding(Padding.reflect()).build();
		TilePlan plan = TilePlan.of(in.dimensions(), s);
		PatchExtractor e = new PatchExtractor(in, plan, s.padding());
		PatchPredictor p = FakePredictors.windowDependent();
		net.imglib2.img.Img<net.imglib2.type.numeric.real.FloatType> expected = TilingTestSupport.reference(in, p, s,
				SlabFinalizers.raw());
		List<Integer> order = new ArrayList<>();
		for (int w = 0; w < plan.windowCount(); w++)
			order.add(w);
		java.util.Collections.shuffle(order, new java.util.Random(3));
		net.imglib2.img.Img<net.imglib2.type.numeric.real.FloatType> got = net.imglib2.img.array.ArrayImgs.floats(5, 11,
				24, 3);
		long[] nextPlane = { 0 };
		Stitcher st = new Stitcher(plan, 3, ImportanceMap.of(s), List.of(new StitchOutput(SlabFinalizers.raw(), slab -> {
			assertEquals(nextPlane[0], slab.min(2));
			nextPlane[0] = slab.max(2) + 1;
			SlabConsumers.copyInto(got).accept(slab);
		})));
		for (int w : order)
			st.add(w, p.predict(e.extractBatch(w, w + 1), 1, plan.roi()), 0);
		st.finish();
		assertEquals(24, nextPlane[0]);
		boolean paired = false;
		for (int w = 1; w < plan.windowCount(); w++)
			paired |= plan.windowStart(w, 2) < plan.windowStart(w - 1, 2);
		assertTrue(plan.paddedSize()[0] > 5 && paired, plan.toString()); // x padded, last z-rows swept together
		assertTrue(TilingTestSupport.maxDifference(expected, got) < 1e-5);
	}

	/**
	 * Issue 6: 512 x 512 x 400, 14 classes, ROI 96, overlap 0.5. The sums of a ring of roi_z whole
	 * planes took 1.51 GB; sweeping y within each z-row holds only the planes the next z-row also
	 * writes whole, plus a band of rows.
	 */
	@Test
	void accumulatorOfTheIssueCaseIsWellBelowARingOfWholePlanes() {
		SlidingWindowSettings s = SlidingWindowSettings.builder(96, 96, 96).overlap(0.5).blend(BlendMode.GAUSSIAN).build();
		TilePlan plan = TilePlan.of(new long[] { 512, 512, 400 }, s);
		long ring = 4L * 512 * 512 * 96 * 15;
		long accumulator = Stitcher.accumulatorBytes(plan, 14);
		assertTrue(accumulator < 0.95e9 && accumulator < 0.62 * ring, "accumulator " + accumulator);
		// labels: finalised rows wait for their slab in one float per voxel
		long labels = Stitcher.heldBytes(plan, 14, 1);
		assertTrue(labels < 1.05e9, "with labels " + labels);
		// regular z starts: (roi_z - interval_z) whole planes plus interval_z planes of roi_y rows, no more
		TilePlan regular = TilePlan.of(new long[] { 512, 512, 384 }, s);
		assertEquals(4L * 15 * 512 * ((96 - 48) * 512 + 48 * 96), Stitcher.accumulatorBytes(regular, 14));
		// outputs as large as the sums are kept until their planes are complete: never more than the ring
		TilePlan unpaired = TilePlan.of(new long[] { 512, 512, 400 }, s, Stitcher.releasesRowsEarly(14, 1, 14));
		assertTrue(Stitcher.heldBytes(unpaired, 14, 1, 14) <= ring + 4L * 512 * 512 * 4 * 15,
				"with labels and logits " + Stitcher.heldBytes(unpaired, 14, 1, 14));
	}
}
