package org.volseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.volseg.runtime.PatchPredictor;

/** {@link TimedPredictor}: forwards every call unchanged and keeps the first call's time apart from the others'. */
class TimedPredictorTest {

	/** Sleeps 60 ms on its first call only; returns its reuse array (or a new one) filled with the call number. */
	private static final class SlowFirst implements PatchPredictor {
		int calls;

		@Override
		public int inputChannels() {
			return 1;
		}

		@Override
		public int outputChannels() {
			return 2;
		}

		@Override
		public float[] predict(float[] patches, int batch, int[] size) {
			return predict(patches, batch, size, null);
		}

		@Override
		public float[] predict(float[] patches, int batch, int[] size, float[] reuse) {
			if (calls++ == 0)
				try {
					Thread.sleep(60);
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			float[] out = reuse != null ? reuse : new float[batch * size[0] * size[1] * size[2] * 2];
			java.util.Arrays.fill(out, calls);
			return out;
		}
	}

	@Test
	void firstCallIsTimedApartFromTheSteadyOnes() {
		SlowFirst inner = new SlowFirst();
		TimedPredictor timed = new TimedPredictor(inner);
		assertEquals(1, timed.inputChannels());
		assertEquals(2, timed.outputChannels());
		assertTrue(Double.isNaN(timed.firstSeconds()));
		assertTrue(Double.isNaN(timed.meanSecondsAfterFirst()));
		float[] reuse = new float[2 * 2 * 2 * 2];
		float[] a = timed.predict(new float[8], 1, new int[] { 2, 2, 2 });
		assertEquals(1f, a[0]);
		assertTrue(Double.isNaN(timed.meanSecondsAfterFirst()), "one call: no steady mean yet");
		assertSame(reuse, timed.predict(new float[8], 1, new int[] { 2, 2, 2 }, reuse), "reuse is passed on");
		timed.predict(new float[8], 1, new int[] { 2, 2, 2 }, reuse);
		assertEquals(3f, reuse[0]);
		assertEquals(3, timed.calls());
		assertEquals(3, inner.calls);
		assertTrue(timed.firstSeconds() >= 0.06, "the first call slept 60 ms: " + timed.firstSeconds());
		assertTrue(timed.meanSecondsAfterFirst() < timed.firstSeconds(),
				timed.meanSecondsAfterFirst() + " vs " + timed.firstSeconds());
	}
}
