package org.volseg.nets.swinunetr;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.volseg.nets.Architectures;
import org.volseg.nets.FloatTensor;
import org.volseg.nets.Layers;
import org.volseg.nets.NetworkGraph;
import org.volseg.nets.ParityFixtures;
import org.volseg.nets.SafeTensors;
import org.volseg.nets.StateDict;

/**
 * {@code downsample="mergingv2"} ({@code itertools.product} sub-grid order) against the MONAI
 * 1.5 {@code "merging"} order, which the parity test checks against MONAI: a LayerNorm over the
 * concatenation does not depend on the blocks' order, so mergingv2 with some weights equals
 * merging with the norm's and the reduction's weight blocks permuted the same way.
 */
class SwinUnetrMergingV2Test {

	/** MONAI 1.5 PatchMerging's sub-grids, each as 4 i + 2 j + k (the product order's position). */
	private static final int[] MONAI15 = { 0, 4, 2, 1, 6, 5, 3, 7 };

	@Test
	void mergingV2EqualsMergingWithPermutedWeights() throws Exception {
		SafeTensors forward = MiniSwinBundle.forward();
		StateDict weights = MiniSwinBundle.weights();
		Map<String, FloatTensor> permuted = new LinkedHashMap<>(weights.tensors());
		for (String key : weights.tensors().keySet()) {
			if (!key.contains(".downsample.")) continue;
			FloatTensor t = weights.get(key);
			permuted.put(key, permuteBlocks(t));
		}
		Map<String, Object> c = MiniSwinBundle.kwargs(forward);
		FloatTensor first = MiniSwinBundle.firstSample(forward.tensors().get("input"));

		c.put("downsample", "mergingv2");
		FloatTensor v2;
		try (NetworkGraph g = NetworkGraph.build(Architectures.byName("swinunetr").configure(c), weights, Layers.WeightStorage.CONSTANTS)) {
			v2 = g.runChannelsFirst(first);
		}
		c.put("downsample", "merging");
		c.put(SwinUnetr.PATCH_MERGING_ORDER, "monai15");
		try (NetworkGraph g = NetworkGraph.build(Architectures.byName("swinunetr").configure(c),
				new StateDict(permuted, "permuted"), Layers.WeightStorage.CONSTANTS)) {
			ParityFixtures.assertClose(v2, g.runChannelsFirst(first));
		}
	}

	/** Block p of the last axis (8 blocks) becomes block MONAI15[p] of the original. */
	private static FloatTensor permuteBlocks(FloatTensor t) {
		long[] s = t.shape();
		int last = (int) s[s.length - 1];
		int block = last / 8;
		int rows = t.data().length / last;
		float[] out = new float[t.data().length];
		for (int r = 0; r < rows; r++) {
			for (int p = 0; p < 8; p++) {
				System.arraycopy(t.data(), r * last + MONAI15[p] * block, out, r * last + p * block, block);
			}
		}
		return new FloatTensor(s, out);
	}
}
