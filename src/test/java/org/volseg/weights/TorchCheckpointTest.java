package org.volseg.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.nets.StateDict;
import org.volseg.nets.TensorFileException;

/**
 * Small checkpoints written by {@code torch.save} (PyTorch 1.13) or built by hand (see
 * {@code src/test/resources/weights/README.md}), read against {@code torch.load}'s values.
 */
class TorchCheckpointTest {

	static final String REFERENCE = "/weights/torch_reference.json";

	static Path file(String name) {
		return TorchReference.resource("/weights/torch/" + name);
	}

	@Test
	void elementTypes() throws Exception {
		CheckpointContents read = TorchCheckpoint.read(file("dtypes.pt"), null);
		TorchReference.assertMatches(TorchReference.load(REFERENCE, "dtypes"), read);
		assertEquals(ElementType.FLOAT16, read.tensors().get("f16").type());
		assertEquals(ElementType.BFLOAT16, read.tensors().get("bf16").type());
		assertArrayEquals(new float[] { -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6 }, read.tensors().get("i64").data());
		assertArrayEquals(new float[] { 250, 251, 252, 253, 254, 255 }, read.tensors().get("u8").data());
		assertArrayEquals(new long[0], read.tensors().get("scalar").shape());
		assertArrayEquals(new float[] { 2.5f }, read.tensors().get("scalar").data());
	}

	@Test
	void bigEndianStoragesGiveTheSameValues() throws Exception {
		CheckpointContents big = TorchCheckpoint.read(file("dtypes_big_endian.pt"), null);
		TorchReference.assertMatches(TorchReference.load(REFERENCE, "dtypes"), big);
		CheckpointContents little = TorchCheckpoint.read(file("dtypes.pt"), null);
		for (String key : little.tensors().keySet()) assertEquals(little.tensors().get(key), big.tensors().get(key), key);
	}

	@Test
	void stridedViewsOfSharedStorages() throws Exception {
		CheckpointContents read = TorchCheckpoint.read(file("views.pt"), null);
		TorchReference.assertMatches(TorchReference.load(REFERENCE, "views"), read);
		float[] base = read.tensors().get("base").data(); // [4, 6]
		float[] transposed = read.tensors().get("transposed").data(); // [6, 4]
		for (int i = 0; i < 4; i++) for (int j = 0; j < 6; j++) assertEquals(base[i * 6 + j], transposed[j * 4 + i]);
		float[] slice = read.tensors().get("slice").data(); // base[1:3, 2:5]
		assertArrayEquals(new float[] { base[8], base[9], base[10], base[14], base[15], base[16] }, slice);
		assertArrayEquals(new long[] { 2, 2 }, read.tensors().get("step").shape());
		assertArrayEquals(new float[] { base[1], base[4], base[13], base[16] }, read.tensors().get("step").data());
	}

	@Test
	void handMadeViewInAnyTopFolder() throws Exception {
		CheckpointContents read = TorchCheckpoint.read(file("odd_folder.pt"), null);
		TorchReference.assertMatches(TorchReference.load(REFERENCE, "odd_folder"), read);
		assertArrayEquals(new float[] { -2.0f, 4.0f }, read.tensors().get("a.w").data());
		assertTrue(read.notes().get(0).contains("ignored 1 entries that are not tensors: epochs"), read.notes().toString());
	}

	@Test
	void trainingCheckpointsAndPrefixes() throws Exception {
		List<java.util.Map<String, Object>> net = TorchReference.load(REFERENCE, "net_state_dict");
		TorchReference.assertMatches(net, TorchCheckpoint.read(file("net_state_dict.pt"), null));
		CheckpointContents epoch = TorchCheckpoint.read(file("state_dict_epoch.pt"), null);
		TorchReference.assertMatches(net, epoch);
		assertTrue(epoch.notes().get(0).contains("under 'state_dict'") && epoch.notes().get(0).contains("epoch (int)")
				&& epoch.notes().get(0).contains("optimizer (dict)"), epoch.notes().toString());
		CheckpointContents module = TorchCheckpoint.read(file("module_prefix.pt"), null);
		TorchReference.assertMatches(net, module);
		assertTrue(module.notes().get(0).contains("removed the prefix 'module.'"), module.notes().toString());
		// {'ema': {'model': sd}, 'net': sd, 'step': 7}: 'net' found automatically, 'ema.model' by path
		TorchReference.assertMatches(net, TorchCheckpoint.read(file("nested.pt"), null));
		TorchReference.assertMatches(net, TorchCheckpoint.read(file("nested.pt"), "ema.model"));
		TorchReference.assertMatches(TorchReference.load(REFERENCE, "parameters"), TorchCheckpoint.read(file("parameters.pt"), null));
	}

	@Test
	void checkpointKeyErrorsListTheKeys() {
		CheckpointException ex = assertThrows(CheckpointException.class, () -> TorchCheckpoint.read(file("state_dict_epoch.pt"), "model"));
		assertTrue(ex.getMessage().contains("--checkpoint-key 'model' is not in the file") && ex.getMessage().contains("state_dict (dict of 7 tensors)")
				&& ex.getMessage().contains("epoch (int)"), ex.getMessage());
		ex = assertThrows(CheckpointException.class, () -> TorchCheckpoint.read(file("state_dict_epoch.pt"), "epoch"));
		assertTrue(ex.getMessage().contains("holds a int, not a dictionary"), ex.getMessage());
		ex = assertThrows(CheckpointException.class, () -> TorchCheckpoint.read(file("state_dict_epoch.pt"), "optimizer"));
		assertTrue(ex.getMessage().contains("holds no tensors"), ex.getMessage());
	}

	@Test
	void legacyFileGivesThePythonLineThatResavesIt() {
		Path legacy = file("legacy.pt");
		assertEquals(WeightsFormat.TORCH_LEGACY, WeightsFormat.detect(legacy));
		LegacyCheckpointException ex = assertThrows(LegacyCheckpointException.class, () -> StateDict.read(legacy));
		assertTrue(ex.getMessage().startsWith(legacy.toString()), ex.getMessage());
		String line = "python -c \"import torch; torch.save(torch.load('" + legacy + "', map_location='cpu'), '"
				+ legacy.resolveSibling("legacy-zip.pt") + "')\"";
		assertTrue(ex.getMessage().contains(line), ex.getMessage());
	}

	@Test
	void stateDictReadTakesEveryFormatAndTheKey() {
		StateDict sd = StateDict.read(file("state_dict_epoch.pt"), "state_dict");
		assertEquals(7, sd.size());
		assertEquals(List.of("using the state dict under 'state_dict' (--checkpoint-key)"), sd.notes());
		assertArrayEquals(new long[] { 2, 1, 3, 3, 3 }, sd.get("0.weight").shape());
		assertEquals(0f, sd.get("1.num_batches_tracked").data()[0]);
		assertEquals(List.of("removed the prefix 'module.' (torch.nn.DataParallel) from all 7 keys"),
				StateDict.read(file("module_prefix.pt")).notes());
		assertEquals(WeightsFormat.TORCH_ZIP, WeightsFormat.detect(file("dtypes.pt")));
	}

	@Test
	void notAWeightsFile(@TempDir Path dir) throws Exception {
		Path text = dir.resolve("notes.pt");
		Files.writeString(text, "hello, this is not a checkpoint");
		TensorFileException ex = assertThrows(TensorFileException.class, () -> StateDict.read(text));
		assertTrue(ex.getMessage().contains("neither safetensors nor a torch.save checkpoint"), ex.getMessage());
		Path pickle = dir.resolve("plain.pkl");
		Files.write(pickle, new byte[] { (byte) 0x80, 0x02, '}', '.' });
		ex = assertThrows(TensorFileException.class, () -> StateDict.read(pickle));
		assertTrue(ex.getMessage().contains("a plain Python pickle"), ex.getMessage());
		assertFalse(Files.exists(dir.resolve("absent.pt")));
		assertThrows(TensorFileException.class, () -> StateDict.read(dir.resolve("absent.pt")));
	}
}
