package org.volseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.volseg.tiling.SlabFinalizer;

/** Channel indices become the model's class labels; sigmoid models threshold each class. */
class ClassFinalizersTest {

	private static float label(SlabFinalizer f, float... logits) {
		float[] out = new float[1];
		f.apply(logits.clone(), 0, logits.length, out, 0, 1);
		return out[0];
	}

	@Test
	void argmaxWritesTheLabelOfTheWinningChannelFirstOnTies() {
		SlabFinalizer f = org.volseg.tiling.SlabFinalizers.argmax(new int[] { 0, 5, 7 });
		assertEquals(1, f.channels(3));
		assertEquals(7, label(f, 0.1f, 0.2f, 0.3f));
		assertEquals(5, label(f, -1f, 2f, 2f));
		assertEquals(0, label(f, 3f, 2f, 2f));
	}

	@Test
	void sigmoidLabelsNeedTheThresholdAndTakeTheMostProbableClass() {
		// threshold 0.5 is logit 0; threshold 0.8 is logit log(4) = 1.386
		SlabFinalizer half = ClassFinalizers.sigmoidLabels(new int[] { 1, 2, 3 }, 0.5f);
		assertEquals(0, label(half, -0.1f, -2f, -0.01f));
		assertEquals(3, label(half, 0.5f, -2f, 1.5f));
		assertEquals(1, label(half, 0f, -2f, -1f));
		SlabFinalizer strict = ClassFinalizers.sigmoidLabels(new int[] { 1, 2, 3 }, 0.8f);
		assertEquals(0, label(strict, 1.3f, 1.38f, 0f));
		assertEquals(2, label(strict, 1.3f, 1.39f, 0f));
	}
}
