package org.volseg.nets.segformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link SegFormer3dFlops}: the executed count differs from the reference's exactly where the graph does. */
class SegFormer3dFlopsTest {

	@Test
	void executedDiffersByTheNormalizedProjectionsTheBlockedFirstEmbeddingAndTheProjectedValues() {
		SegFormer3dConfig c = SegFormer3dConfig.defaults();
		long[] size = { 128, 128, 128 };
		double reference = SegFormer3dFlops.forward(c, size);
		double executed = SegFormer3dFlops.executed(c, size, false);
		double executedFused = SegFormer3dFlops.executed(c, size, true);
		// decoder: each stage's Linear C -> 256 (32, 64, 160, 256 channels at 32^3, 16^3, 8^3, 4^3) and
		// linear_fuse at 32^3 on 1024 channels become, per stage, C + 1 -> 256 and C -> C + 1 (stages 1
		// and 2, the QR factor) or C -> 256 (stages 3 and 4)
		double executedDecoder = 2.0 * (32768 * (33 * 256 + 32 * 33) + 4096 * (65 * 256 + 64 * 65)
				+ 512 * (161 * 256 + 160 * 256) + 64 * (257 * 256 + 256 * 256));
		double referenceDecoder = 2.0 * (32768 * 32 + 4096 * 64 + 512 * 160 + 64 * 256) * 256 + 2.0 * 32768 * 1024 * 256;
		double decoder = executedDecoder - referenceDecoder;
		// first embedding: 7^3 x 4 -> 32 conv at 32^3 -> 2^3 x (4^3 x 4) -> 32 conv of the blocks at 32^3
		double embed = 2.0 * 32768 * 8 * 256 * 32 - 2.0 * 32768 * 32 * 4 * 343;
		// stage 1 (one head, two blocks): the output projection 32 -> 32 on 8^3 values, not 32^3 tokens
		double projection = 2.0 * 2 * (512 - 32768) * 32 * 32;
		assertEquals(reference + decoder + embed + projection, executed, 1.0);
		// the fused VolsegConv3d does the first embedding's own multiply-adds
		assertEquals(reference + decoder + projection, executedFused, 1.0);
		assertEquals(31.1e9, reference, 0.05e9);
	}
}
