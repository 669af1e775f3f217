package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.testutil.CliRunner;
import org.volseg.model.ModelDescriptor;
import org.volseg.model.ModelPackage;
import org.volseg.nets.SafeTensors;
import org.volseg.sample.AbdominalPhantomGenerator;
import org.volseg.sample.PhantomWriter;

/**
 * {@code volseg train} end to end on three small phantoms with a tiny SegFormer3D: a model package
 * with the classes, grid and preprocessing, checkpoints with the network's configuration, a report;
 * then fine-tuning from that package; then the user errors.
 */
class TrainCommandTest {

	static final String TINY = "{\"embed_dims\":[8,8,8,8],\"num_heads\":[1,1,1,1],\"depths\":[1,1,1,1],\"mlp_ratios\":[2,2,2,2],"
			+ "\"decoder_head_embedding_dim\":8,\"sr_ratios\":[2,1,1,1]}";

	@Test
	void trainsExportsAndFineTunes(@TempDir Path dir) throws Exception {
		Path data = dir.resolve("data");
		PhantomWriter.write(AbdominalPhantomGenerator.ofSize(32, 32, 32), 777, 3, data, false, c -> { });
		Path out = dir.resolve("run");
		CliRunner r = CliRunner.run("train", "--arch", "segformer3d", "--config", TINY, "--images", data.toString(), "--labels",
				data.toString(), "--out", out.toString(), "--epochs", "1", "--steps-per-epoch", "3", "--patch", "32,32,32", "--batch",
				"1", "--val-fraction", "0.34", "--seed", "3", "--ct-window", "-200,400", "--spacing", "10,10,10", "--orientation", "LPS",
				"--class-names", "background,body,liver,spleen,right_kidney,left_kidney,spine", "--flip", "z");
		assertEquals(0, r.exitCode, r.out + r.err);
		assertTrue(r.out.contains("2 training and 1 validation cases"), r.out);
		assertTrue(r.out.contains("epoch 1/1 validation Dice: body "), r.out);
		assertTrue(r.out.contains("best epoch 1"), r.out);
		try (ModelPackage p = ModelPackage.open(out.resolve("model"))) {
			ModelDescriptor d = p.descriptor();
			assertEquals(7, d.volseg().classes().size());
			assertEquals("liver", d.volseg().classes().get(2).name());
			assertEquals("segformer3d", d.volseg().network().architecture());
			assertEquals(java.util.List.of(32, 32, 32), d.volseg().patchSize());
			assertEquals(java.util.List.of(10.0, 10.0, 10.0), d.volseg().targetSpacingMm());
			assertEquals("LPS", d.volseg().targetOrientation());
			assertEquals("clip", d.input().preprocessing().get(0).id());
			assertTrue(d.description().contains("volseg train --arch segformer3d"), d.description());
			assertTrue(d.description().contains("mean foreground Dice"), d.description());
		}
		SafeTensors best = SafeTensors.read(out.resolve("best.safetensors"));
		assertEquals("segformer3d", best.metadata().get("architecture"));
		assertTrue(best.metadata().get("config").contains("\"num_classes\":7"));
		assertTrue(Files.isRegularFile(out.resolve("last.safetensors")));
		String report = Files.readString(out.resolve("training-report.json"));
		assertEquals(1L, org.volseg.util.Json.parseObject(report).get("best_epoch"), report);

		Path tuned = dir.resolve("tuned");
		CliRunner f = CliRunner.run("train", "--init-model", out.resolve("model").toString(), "--images", data.toString(), "--labels",
				data.toString(), "--out", tuned.toString(), "--epochs", "1", "--steps-per-epoch", "2", "--patch", "32,32,32", "--batch",
				"1", "--val-fraction", "0.34", "--seed", "4", "--threads", "2");
		assertEquals(0, f.exitCode, f.out + f.err);
		assertTrue(f.out.matches("(?s).*initialised \\d+ parameters from .*"), f.out);
		try (ModelPackage p = ModelPackage.open(tuned.resolve("model"))) {
			assertEquals("liver", p.descriptor().volseg().classes().get(2).name());
			assertEquals("clip", p.descriptor().input().preprocessing().get(0).id());
		}

		// from a checkpoint: the state dict must fit the configured network exactly
		Path resumed = dir.resolve("resumed");
		CliRunner c = CliRunner.run("train", "--arch", "segformer3d", "--config", TINY, "--init-weights",
				out.resolve("best.safetensors").toString(), "--images", data.toString(), "--labels", data.toString(), "--out",
				resumed.toString(), "--epochs", "1", "--steps-per-epoch", "1", "--patch", "32,32,32", "--batch", "1", "--seed", "5");
		assertEquals(0, c.exitCode, c.out + c.err);
		assertTrue(c.out.contains("initialised from " + out.resolve("best.safetensors")), c.out);
		CliRunner wrong = CliRunner.run("train", "--arch", "segformer3d", "--config", TINY.replace("\"decoder_head_embedding_dim\":8",
				"\"decoder_head_embedding_dim\":16"), "--init-weights", out.resolve("best.safetensors").toString(), "--images",
				data.toString(), "--labels", data.toString(), "--out", dir.resolve("wrong").toString(), "--epochs", "1",
				"--steps-per-epoch", "1", "--patch", "32,32,32");
		assertEquals(1, wrong.exitCode, wrong.out + wrong.err);
		assertTrue(wrong.err.contains("segformer_decoder"), wrong.err);
	}

	@Test
	void namesTheProblemOfBadInput(@TempDir Path dir) throws Exception {
		Path images = Files.createDirectories(dir.resolve("images"));
		Path labels = Files.createDirectories(dir.resolve("labels"));
		Files.writeString(images.resolve("a.nii.gz"), "not read");
		CliRunner r = CliRunner.run("train", "--arch", "unetr", "--images", images.toString(), "--labels", labels.toString(), "--out",
				dir.resolve("out").toString());
		assertEquals(1, r.exitCode);
		assertTrue(r.err.contains("no label map for 1 image(s), e.g. a.nii.gz"), r.err);
		CliRunner a = CliRunner.run("train", "--arch", "resnet", "--images", images.toString(), "--labels", labels.toString(), "--out",
				dir.resolve("out").toString());
		assertEquals(1, a.exitCode);
		assertTrue(a.err.contains("--arch"), a.err);
	}
}
