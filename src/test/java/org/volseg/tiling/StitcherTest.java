package org.volseg.tiling;

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
		// sums (3 classes) and weights for 8 planes of 12 x 10, not for the 64 planes of the volume
		assertEquals(4L * 12 * 10 * 8 * (3 + 1), st.accumulatorBytes());
	}

	@Test
	void refusesWindowsBelowFinishedPlanes() {
		SlidingWindowSettings s = SlidingWindowSettings.builder(4, 4, 4).overlap(0.5).build();
		TilePlan plan = TilePlan.of(new long[] { 4, 4, 12 }, s);
		Stitcher st = new Stitcher(plan, 1, ImportanceMap.of(s), List.of(new StitchOutput(SlabFinalizers.raw(), slab -> {
		})));
		float[] out = new float[64];
		st.add(0, out, 0);
		st.add(2, out, 0); // z 4: planes 0..3 are finished
		assertThrows(IllegalStateException.class, () -> st.add(1, out, 0)); // z 2
		assertThrows(IllegalStateException.class, st::finish); // planes after 8 never covered
	}
}
