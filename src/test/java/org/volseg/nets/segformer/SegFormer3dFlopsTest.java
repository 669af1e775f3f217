package org.volseg.nets.segformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link SegFormer3dFlops}: the executed count differs from the reference's exactly where the graph does. */
class SegFormer3dFlopsTest {

	@Test
	void executedDiffersByTheDecoderBlocksAndTheBlockedFirstEmbedding() {
		SegFormer3dConfig c = SegFormer3dConfig.defaults();
		long[] size = { 128, 128, 128 };
		double reference = SegFormer3dFlops.forward(c, size);
		double executed = SegFormer3dFlops.executed(c, size);
		// decoder: linear_fuse at 32^3 on 1024 channels -> one 256 x 256 block per stage at 32^3, 16^3, 8^3, 4^3
		double decoder = 2.0 * (32768 + 4096 + 512 + 64) * 256 * 256 - 2.0 * 32768 * 1024 * 256;
		// first embedding: 7^3 x 4 -> 32 conv at 32^3 -> (33^3 blocks) x (4^3 x 4) x (2^3 x 32) matmul
		double embed = 2.0 * 35937 * 256 * 256 - 2.0 * 32768 * 32 * 4 * 343;
		assertEquals(reference + decoder + embed, executed, 1.0);
		assertEquals(31.1e9, reference, 0.05e9);
	}
}
