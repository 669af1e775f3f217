package org.volseg.nets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StateDictParametersTest {

	@Test
	void reportsEveryProblemAtOnce() {
		Map<String, FloatTensor> t = new LinkedHashMap<>();
		t.put("a.weight", FloatTensor.zeros(2, 3));
		t.put("b.weight", FloatTensor.zeros(4));
		t.put("extra", FloatTensor.zeros(1));
		t.put("blocks.0.cross_attn.to_q.weight", FloatTensor.zeros(1));
		t.put("bn.num_batches_tracked", FloatTensor.zeros());
		StateDictParameters p = new StateDictParameters(new StateDict(t, "w.safetensors"), "net {}", List.of("blocks.*.cross_attn.*"));
		p.take("a.weight", new long[] { 2, 3 }, Init.zeros());
		FloatTensor placeholder = p.take("b.weight", new long[] { 5 }, Init.zeros());
		assertEquals(5, placeholder.dim(0));
		p.take("c.bias", new long[] { 7 }, Init.zeros());
		p.acceptIfPresent("bn.num_batches_tracked");
		WeightImportException ex = assertThrows(WeightImportException.class, p::finish);
		assertEquals(List.of("c.bias [7]"), ex.missing());
		assertEquals(List.of("b.weight: expected [5], found [4]"), ex.wrongShape());
		assertEquals(List.of("extra"), ex.unexpected());
		assertEquals(List.of("blocks.0.cross_attn.to_q.weight"), p.ignoredKeys());
		assertEquals(6, p.parameterCount());
		assertTrue(ex.getMessage().startsWith("w.safetensors: "), ex.getMessage());
		for (String s : new String[] { "c.bias [7]", "b.weight: expected [5], found [4]", "extra" }) {
			assertTrue(ex.getMessage().contains(s), ex.getMessage());
		}
	}

	@Test
	void globMatchesWholeKeysOnly() {
		assertTrue(StateDictParameters.globToRegex("vit.blocks.*.cross_attn.*").matcher("vit.blocks.11.cross_attn.to_q.weight").matches());
		assertTrue(!StateDictParameters.globToRegex("vit.blocks.*.cross_attn.*").matcher("vitXblocks.1.cross_attn.w").matches());
		assertTrue(!StateDictParameters.globToRegex("vit.blocks.*.cross_attn.*").matcher("x.vit.blocks.1.cross_attn.w").matches());
	}
}
