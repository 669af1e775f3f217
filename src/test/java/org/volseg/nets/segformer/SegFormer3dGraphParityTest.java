package org.volseg.nets.segformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class SegFormer3dGraphParityTest {

	@Test
	void matchesTheReferenceOutput() throws Exception {
		ScratchSafetensors st = new ScratchSafetensors("/parity/segformer3d_small.safetensors");
		Map<String, Object> cfg = new Yaml().load((String) st.metadata.get("config"));
		SegFormer3dConfig config = SegFormer3dConfig.fromMap(cfg);
		Map<String, long[]> required = SegFormer3dKeys.required(config);
		for (Map.Entry<String, long[]> e : required.entrySet()) {
			assertArrayEquals(e.getValue(), st.shapes.get("model." + e.getKey()), e.getKey());
		}
		long[] inShape = st.shapes.get("input");
		int b = (int) inShape[0], c = (int) inShape[1];
		int[] size = { (int) inShape[2], (int) inShape[3], (int) inShape[4] };
		float[] input = DepthwiseConv3dTest.toChannelsLast(st.tensors.get("input"), b, c, size);
		// dynamic batch and spatial sizes, as in an exported model that accepts any patch size
		float[] actual = GraphRunner.run(new long[] { b, size[0], size[1], size[2], c }, input, true,
				(tf, x) -> SegFormer3dGraph.build(tf, x, config, key -> st.tensors.get("model." + key),
						SegFormer3dGraph.CONSTANTS));
		long[] outShape = st.shapes.get("expected_output");
		float[] expected = DepthwiseConv3dTest.toChannelsLast(st.tensors.get("expected_output"), (int) outShape[0],
				(int) outShape[1], new int[] { (int) outShape[2], (int) outShape[3], (int) outShape[4] });
		assertEquals(expected.length, actual.length);
		double maxAbs = 0, maxDiff = 0;
		for (int i = 0; i < expected.length; i++) {
			maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
			maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
		}
		System.out.println("segformer3d parity: max|diff| " + maxDiff + ", max|expected| " + maxAbs);
		assertTrue(maxDiff < 1e-4 * maxAbs, "max |diff| " + maxDiff + " vs max |expected| " + maxAbs);
	}
}
