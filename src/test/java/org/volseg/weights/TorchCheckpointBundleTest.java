package org.volseg.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.volseg.nets.FloatTensor;
import org.volseg.nets.StateDict;

/**
 * The mini MONAI bundles' {@code models/model.pt} (torch.save zip files written by PyTorch 1.13,
 * copied verbatim from the shared fixtures) read as {@code torch.load} reads them.
 */
class TorchCheckpointBundleTest {

	static final String REFERENCE = "/weights/mini_bundles_reference.json";

	@Test
	void plainStateDictInTopFolderModel() throws Exception {
		Path file = TorchReference.resource("/bundles/mini/swin_unetr_btcv_segmentation/models/model.pt");
		CheckpointContents read = TorchCheckpoint.read(file, null);
		TorchReference.assertMatches(TorchReference.load(REFERENCE, "swin"), read);
		assertEquals(List.of(), read.notes(), "a bare state dict needs no note");
		// SwinUNETR's relative_position_index is int64: exact as float
		StoredTensor index = read.tensors().entrySet().stream().filter(e -> e.getKey().endsWith("relative_position_index"))
				.map(Map.Entry::getValue).findFirst().orElseThrow();
		assertEquals(ElementType.INT64, index.type());
		for (float v : index.data()) assertEquals(Math.rint(v), v);
	}

	@Test
	void trainingCheckpointInTopFolderArchive() throws Exception {
		Path file = TorchReference.resource("/bundles/mini/spleen_ct_segmentation/models/model.pt");
		CheckpointContents read = TorchCheckpoint.read(file, null);
		TorchReference.assertMatches(TorchReference.load(REFERENCE, "spleen"), read);
		assertEquals(1, read.notes().size(), read.notes().toString());
		assertTrue(read.notes().get(0).contains("'model'") && read.notes().get(0).contains("epoch (int)"), read.notes().get(0));
		assertEquals(read.tensors().keySet(), TorchCheckpoint.read(file, "model").tensors().keySet(), "--checkpoint-key model");
	}

	@Test
	void stateDictReadDispatchesOnContent() throws Exception {
		Path file = TorchReference.resource("/bundles/mini/spleen_ct_segmentation/models/model.pt");
		StateDict sd = StateDict.read(file);
		assertEquals(file.toString(), sd.source());
		List<Map<String, Object>> reference = TorchReference.load(REFERENCE, "spleen");
		assertEquals(reference.size(), sd.size());
		Map<String, Object> first = reference.get(0);
		FloatTensor t = sd.get((String) first.get("key"));
		assertEquals(5, t.rank());
		assertEquals(((Number) ((List<?>) ((List<?>) first.get("samples")).get(0)).get(1)).floatValue(), t.data()[0]);
		assertEquals(sd.tensors().keySet(), StateDict.read(file, "model").tensors().keySet());
	}
}
