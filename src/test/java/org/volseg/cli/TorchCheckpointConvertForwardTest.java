package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.testutil.CliRunner;
import org.volseg.nets.FloatTensor;
import org.volseg.nets.ParityFixtures;
import org.volseg.nets.SafeTensors;
import org.volseg.nets.StateDict;

/**
 * {@code convert} and {@code forward} take a {@code torch.save} checkpoint: the SegFormer3D parity
 * fixture re-saved by PyTorch as a training checkpoint
 * {@code {'epoch': 5, 'state_dict': {'module.<key>': ...}, 'optimizer': ...}} and its input as
 * {@code {'input': x}} (see {@code src/test/resources/weights/README.md}) give MONAI's output.
 */
class TorchCheckpointConvertForwardTest {

	@TempDir
	Path dir;

	private String err;

	private int run(String... args) {
		CliRunner r = CliRunner.run(args);
		err = r.err;
		return r.exitCode;
	}

	private static Path resource(String name) throws URISyntaxException {
		return Path.of(TorchCheckpointConvertForwardTest.class.getResource("/weights/resaved/" + name).toURI());
	}

	@Test
	void checkpointHoldsExactlyTheSafetensorsWeights() throws Exception {
		Path fixture = ParityFixtures.path("segformer3d_small.safetensors");
		StateDict fromSafetensors = StateDict.read(fixture);
		StateDict fromTorch = StateDict.read(resource("segformer3d_small_checkpoint.pt"));
		assertEquals(fromSafetensors.tensors().keySet(), fromTorch.tensors().keySet());
		for (String key : fromSafetensors.tensors().keySet()) {
			assertArrayEquals(fromSafetensors.get(key).shape(), fromTorch.get(key).shape(), key);
			assertArrayEquals(fromSafetensors.get(key).data(), fromTorch.get(key).data(), key);
		}
		assertArrayEquals(SafeTensors.read(fixture).tensors().get("input").data(),
				StateDict.readTensors(resource("segformer3d_small_input.pt")).get("input").data());
	}

	@Test
	void convertAndForwardTakeTorchFiles() throws Exception {
		Path fixture = ParityFixtures.path("segformer3d_small.safetensors");
		SafeTensors reference = SafeTensors.read(fixture);
		Path cfg = dir.resolve("cfg.json");
		Files.writeString(cfg, reference.metadata().get("config"));
		Path checkpoint = resource("segformer3d_small_checkpoint.pt");
		Path pkg = dir.resolve("pkg");

		assertEquals(1, run("convert", "--arch", "segformer3d", "--weights", checkpoint.toString(), "--out", pkg.toString()));
		assertTrue(err.contains("--config") && err.contains("needed with a torch.save checkpoint"), err);
		assertFalse(Files.exists(pkg));

		assertEquals(0, run("convert", "--arch", "segformer3d", "--config", cfg.toString(), "--weights", checkpoint.toString(), "--out",
				pkg.toString()), err);
		assertTrue(err.contains("volseg: note: " + checkpoint + ": using the state dict under 'state_dict'"), err);
		assertTrue(err.contains("removed the prefix 'module.'"), err);
		Path out = dir.resolve("y.safetensors");
		assertEquals(0, run("forward", "--model", pkg.toString(), "--input", resource("segformer3d_small_input.pt").toString(), "--output",
				out.toString(), "--device", "cpu"), err);
		FloatTensor y = SafeTensors.read(out).tensors().get("output");
		ParityFixtures.assertClose(reference.tensors().get("expected_output"), y);

		Path other = dir.resolve("other");
		assertEquals(1, run("convert", "--arch", "segformer3d", "--config", cfg.toString(), "--weights", checkpoint.toString(),
				"--checkpoint-key", "optimizer", "--out", other.toString()));
		assertTrue(err.contains(checkpoint + ": the dictionary under --checkpoint-key 'optimizer' holds no tensors (its keys: lr (float))"),
				err);
		assertFalse(err.contains("\tat "), err);
	}
}
