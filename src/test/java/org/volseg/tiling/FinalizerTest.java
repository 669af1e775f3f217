package org.volseg.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Channel indices become the model's class labels; sigmoid models threshold each class. */
class FinalizerTest {

	private static float label(Finalizer f, float... logits) {
		float[] out = new float[1];
		f.apply(logits.clone(), 0, logits.length, out, 0, 1);
		return out[0];
	}

	@Test
	void argmaxWritesTheLabelOfTheWinningChannelFirstOnTies() {
		Finalizer f = Finalizer.argmax(new int[] { 0, 5, 7 });
		assertEquals(1, f.channels(3));
		assertEquals(7, label(f, 0.1f, 0.2f, 0.3f));
		assertEquals(5, label(f, -1f, 2f, 2f));
		assertEquals(0, label(f, 3f, 2f, 2f));
	}

	@Test
	void sigmoidLabelsNeedTheThresholdAndTakeTheMostProbableClass() {
		// threshold 0.5 is logit 0; threshold 0.8 is logit log(4) = 1.386
		Finalizer half = Finalizer.sigmoidLabels(new int[] { 1, 2, 3 }, 0.5f);
		assertEquals(1, half.channels(3));
		assertEquals(0, label(half, -0.1f, -2f, -0.01f));
		assertEquals(3, label(half, 0.5f, -2f, 1.5f));
		assertEquals(1, label(half, 0f, -2f, -1f));
		Finalizer strict = Finalizer.sigmoidLabels(new int[] { 1, 2, 3 }, 0.8f);
		assertEquals(0, label(strict, 1.3f, 1.38f, 0f));
		assertEquals(2, label(strict, 1.3f, 1.39f, 0f));
	}

	/** BraTS: regions in priority order (channel 1 = ET label 4 first, then TC, then WT), the first whose sigmoid reaches the threshold. */
	@Test
	void regionLabelsTakeTheFirstRegionInPriorityOrder() {
		Finalizer f = Finalizer.regionLabels(new int[] { 2, 0, 1 }, new int[] { 4, 1, 2 }, 0.5f);
		assertEquals(1, f.channels(3));
		assertEquals(4, label(f, 1f, 1f, 0.1f));
		assertEquals(1, label(f, 1f, 1f, -0.1f));
		assertEquals(2, label(f, -1f, 0f, -3f));
		assertEquals(0, label(f, -1f, -0.01f, -3f));
	}
}
