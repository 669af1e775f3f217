package org.volseg.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.InvalidParameterException;
import org.volseg.VolSegException;
import org.volseg.runtime.FineTuneRequest;

import ij.ImagePlus;
import ij.macro.Interpreter;

/**
 * {@link FijiFineTune}: the training settings from the dialog and from macro options, and everything
 * refused before a scan is read or the model loaded (no engine is needed for these).
 */
class FijiFineTuneTest {

	@TempDir
	Path tmp;

	@Test
	void macroOptionsAcceptWhatImageJDialogsWriteAndRefuseUnknownKeys() {
		FijiFineTune.Settings s = FijiFineTune.Settings.fromOptions("steps=30.0 learning_rate=2e-4 name=[liver ct v2]");
		assertEquals(new FijiFineTune.Settings(30, 2e-4, "liver ct v2"), s);
		assertEquals(new FijiFineTune.Settings(50, 1e-4, ""), FijiFineTune.Settings.fromOptions(""));
		assertEquals(new FijiFineTune.Settings(50, 1e-4, ""), FijiFineTune.Settings.fromOptions(null));
		assertNamed(() -> FijiFineTune.Settings.fromOptions("steps=0"), "steps", "at least 1");
		assertNamed(() -> FijiFineTune.Settings.fromOptions("steps=2.5"), "steps", "no fraction");
		assertNamed(() -> FijiFineTune.Settings.fromOptions("learning_rate=fast"), "learning_rate", "number");
		assertNamed(() -> FijiFineTune.Settings.fromOptions("learning_rate=0"), "learning_rate", "above 0");
		assertNamed(() -> FijiFineTune.Settings.fromOptions("epochs=3"), "options", "steps");
	}

	@Test
	void theDialogsValuesAreCheckedToo() {
		assertEquals("new", new FijiFineTune.Settings(1, 1e-3, " new ").name());
		assertEquals("", new FijiFineTune.Settings(1, 1e-3, null).name());
		assertNamed(() -> new FijiFineTune.Settings(0, 1e-4, ""), "steps", "at least 1");
		assertNamed(() -> new FijiFineTune.Settings(50, -1e-4, ""), "learning_rate", "above 0");
		assertNamed(() -> new FijiFineTune.Settings(50, Double.NaN, ""), "learning_rate", "above 0");
		assertNamed(() -> new FijiFineTune.Settings(50, Double.POSITIVE_INFINITY, ""), "learning_rate", "above 0");
	}

	@Test
	void missingOrUnpairedCasesAndAMissingModelAreRefusedBeforeTraining() throws Throwable {
		FijiFineTune.Settings s = new FijiFineTune.Settings(1, 1e-4, "");
		assertMessage(() -> run("m", "", "", tmp, null, s), "needs both an images folder and a labels folder");
		assertMessage(() -> run("m", "", "", null, null, s), "needs pairs: 0 scan(s) and 0 label image(s)");
		ImagePlus scan = new ImagePlus("scan", new ij.process.FloatProcessor(4, 4));
		ImagePlus labels = new ImagePlus("scan-labels", new ij.process.ByteProcessor(4, 4));
		boolean wasBatch = Interpreter.batchMode;
		Interpreter.batchMode = true;
		try {
			Interpreter.addBatchModeImage(scan);
			Interpreter.addBatchModeImage(labels);
			assertMessage(() -> run("m", "scan", "", null, null, s), "needs pairs: 1 scan(s) and 0 label image(s)");
			assertMessage(() -> run("", "scan", "scan-labels", null, null, s), "model: give the model to fine-tune");
			labels.setProp(LabelImages.MODEL_PROPERTY, "no such model here");
			// blank model: the one recorded on the label image is looked up (and reported when missing)
			FijiTestData.withModelFolders(tmp,
					() -> assertMessage(() -> run("", "scan", "scan-labels", null, null, s), "model: \"no such model here\""));
		} finally {
			Interpreter.removeBatchModeImage(scan);
			Interpreter.removeBatchModeImage(labels);
			Interpreter.batchMode = wasBatch;
		}
	}

	@Test
	void statusLines() {
		assertEquals("VolSeg: fine-tuning step 3/50 (Esc cancels)", FijiFineTune.stepText(3, 50));
		assertEquals("VolSeg: installed liver-finetuned (Dice on the corrected cases 0.968) in " + Path.of("/m/liver"),
				FijiFineTune.installedText(new FineTuneRequest.Outcome("liver-finetuned", Path.of("/m/liver"), 0.96812)));
	}

	private static FineTuneRequest.Outcome run(String model, String scans, String labels, Path images, Path labelFolder,
			FijiFineTune.Settings s) {
		return FijiFineTune.run(model, scans, labels, images, labelFolder, s, () -> false, (a, b) -> { }, line -> { });
	}

	private static void assertMessage(org.junit.jupiter.api.function.Executable call, String text) {
		VolSegException e = assertThrows(VolSegException.class, call);
		assertTrue(e.getMessage().contains(text), e.getMessage());
	}

	private static void assertNamed(org.junit.jupiter.api.function.Executable call, String setting, String hint) {
		InvalidParameterException e = assertThrows(InvalidParameterException.class, call);
		assertTrue(e.getMessage().startsWith(setting) && e.getMessage().contains(hint), e.getMessage());
	}
}
