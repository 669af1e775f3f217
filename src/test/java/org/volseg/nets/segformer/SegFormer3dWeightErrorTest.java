package org.volseg.nets.segformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.volseg.nets.Architectures;
import org.volseg.nets.FloatTensor;
import org.volseg.nets.Layers;
import org.volseg.nets.Network;
import org.volseg.nets.NetworkGraph;
import org.volseg.nets.ParityFixtures;
import org.volseg.nets.SafeTensors;
import org.volseg.nets.StateDict;
import org.volseg.nets.WeightImportException;

/** Strict import of SegFormer3D weights: each kind of mismatch fails with a message listing the keys. */
class SegFormer3dWeightErrorTest {

	private static Map<String, Object> config;
	private static StateDict weights;

	@BeforeAll
	static void load() throws Exception {
		SafeTensors file = SafeTensors.read(ParityFixtures.path(SegFormer3dParityTest.FIXTURE));
		config = ParityFixtures.config(file);
		weights = StateDict.of(file, null, SegFormer3dParityTest.FIXTURE);
	}

	private static WeightImportException importFails(Map<String, Object> cfg, Map<String, FloatTensor> tensors) {
		Network net = Architectures.byName("segformer3d").configure(cfg);
		return assertThrows(WeightImportException.class,
				() -> NetworkGraph.build(net, new StateDict(tensors, "w.safetensors"), Layers.WeightStorage.CONSTANTS).close());
	}

	@Test
	void missingKeysAreListedWithTheirShapes() {
		Map<String, FloatTensor> t = new LinkedHashMap<>(weights.tensors());
		t.remove("segformer_encoder.tf_block2.0.mlp.dwconv.dwconv.weight");
		t.remove("segformer_decoder.linear_fuse.1.running_var");
		WeightImportException ex = importFails(config, t);
		assertEquals(List.of("segformer_encoder.tf_block2.0.mlp.dwconv.dwconv.weight [64, 1, 3, 3, 3]",
				"segformer_decoder.linear_fuse.1.running_var [32]"), ex.missing());
		assertTrue(ex.wrongShape().isEmpty() && ex.unexpected().isEmpty());
		assertTrue(ex.getMessage().contains("segformer_encoder.tf_block2.0.mlp.dwconv.dwconv.weight [64, 1, 3, 3, 3]"),
				ex.getMessage());
		assertTrue(ex.getMessage().contains("w.safetensors"), ex.getMessage());
	}

	@Test
	void wrongShapesAreListed() {
		Map<String, FloatTensor> t = new LinkedHashMap<>(weights.tensors());
		t.put("segformer_encoder.tf_block1.0.attention.sr.weight", FloatTensor.zeros(8, 8, 2, 2, 2));
		WeightImportException ex = importFails(config, t);
		assertEquals(List.of("segformer_encoder.tf_block1.0.attention.sr.weight: expected [8, 8, 4, 4, 4], found [8, 8, 2, 2, 2]"),
				ex.wrongShape());
		assertTrue(ex.getMessage().contains("expected [8, 8, 4, 4, 4], found [8, 8, 2, 2, 2]"), ex.getMessage());
	}

	@Test
	void unknownKeysAreListed() {
		Map<String, FloatTensor> t = new LinkedHashMap<>(weights.tensors());
		t.put("segformer_encoder.tf_block1.1.norm1.weight", FloatTensor.zeros(8));
		t.put("segformer_decoder.aux_head.weight", FloatTensor.zeros(3));
		WeightImportException ex = importFails(config, t);
		assertEquals(List.of("segformer_encoder.tf_block1.1.norm1.weight", "segformer_decoder.aux_head.weight"), ex.unexpected());
		assertTrue(ex.missing().isEmpty() && ex.wrongShape().isEmpty());
	}

	@Test
	void aConfigThatContradictsTheWeightsListsEveryMismatch() {
		Map<String, Object> cfg = new LinkedHashMap<>(config);
		cfg.put("depths", List.of(2L, 1L, 1L, 1L)); // the weights have one block in stage 1
		cfg.put("num_classes", 4L); // the weights predict 3 classes
		WeightImportException ex = importFails(cfg, new LinkedHashMap<>(weights.tensors()));
		assertTrue(ex.missing().contains("segformer_encoder.tf_block1.1.attention.query.weight [8, 8]"), ex.missing().toString());
		assertTrue(ex.wrongShape().contains("segformer_decoder.linear_pred.weight: expected [4, 32, 1, 1, 1], found [3, 32, 1, 1, 1]"),
				ex.wrongShape().toString());
		assertTrue(ex.getMessage().contains("segformer_decoder.linear_pred.bias"), ex.getMessage());
	}

	@Test
	void batchNormCountersOfACheckpointAreAcceptedAndNothingElse() throws Exception {
		// a real checkpoint holds num_batches_tracked (int64) for every BatchNorm3d; the fixture omits them
		Map<String, FloatTensor> t = new LinkedHashMap<>(weights.tensors());
		t.put("segformer_encoder.tf_block1.0.mlp.dwconv.bn.num_batches_tracked", FloatTensor.zeros());
		t.put("segformer_decoder.linear_fuse.1.num_batches_tracked", FloatTensor.zeros());
		Network net = Architectures.byName("segformer3d").configure(config);
		NetworkGraph.build(net, new StateDict(t, "w.safetensors"), Layers.WeightStorage.CONSTANTS).close();
		// a LayerNorm has no such buffer
		t.put("segformer_decoder.linear_c1.bn.num_batches_tracked", FloatTensor.zeros());
		assertEquals(List.of("segformer_decoder.linear_c1.bn.num_batches_tracked"), importFails(config, t).unexpected());
	}
}
