package org.volseg.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.volseg.VolSegException;

import ij.ImagePlus;
import ij.WindowManager;
import ij.macro.Interpreter;

/** {@link CommandInputs}: empty file fields, the current image, open images by title. */
class CommandInputsTest {

	@Test
	void anEmptyFileFieldIsNoFile() {
		assertNull(CommandInputs.path(null));
		assertNull(CommandInputs.path(new File("")));
		assertNull(CommandInputs.path(new File("  ")));
		assertEquals(Path.of("/data/ct 01.nii.gz"), CommandInputs.path(new File("/data/ct 01.nii.gz")));
	}

	@Test
	void theGivenImageWinsElseTheCurrentElseTheMessage() {
		System.setProperty("java.awt.headless", "true");
		ImagePlus given = new ImagePlus("given", new ij.process.ByteProcessor(4, 4));
		ImagePlus current = new ImagePlus("current", new ij.process.ByteProcessor(4, 4));
		WindowManager.setTempCurrentImage(null);
		assertSame(given, CommandInputs.imageOrCurrent(given, "unused"));
		VolSegException e = assertThrows(VolSegException.class, () -> CommandInputs.imageOrCurrent(null, "no label image: segment first"));
		assertEquals("no label image: segment first", e.getMessage());
		WindowManager.setTempCurrentImage(current);
		try {
			assertSame(current, CommandInputs.imageOrCurrent(null, "unused"));
			assertSame(given, CommandInputs.imageOrCurrent(given, "unused"));
		} finally {
			WindowManager.setTempCurrentImage(null);
		}
	}

	@Test
	void imagesByTitleInTheOrderGivenAndAnUnknownTitleListsTheOpenOnes() {
		ImagePlus a = new ImagePlus("case 1", new ij.process.ByteProcessor(4, 4));
		ImagePlus b = new ImagePlus("case 1-labels", new ij.process.ByteProcessor(4, 4));
		boolean wasBatch = Interpreter.batchMode;
		Interpreter.batchMode = true; // batch-mode images are "open" without a screen
		try {
			Interpreter.addBatchModeImage(a);
			Interpreter.addBatchModeImage(b);
			assertEquals(List.of(b, a), CommandInputs.images(" case 1-labels ,case 1"));
			assertEquals(List.of(), CommandInputs.images(" "));
			assertEquals(List.of(), CommandInputs.images(null));
			VolSegException e = assertThrows(VolSegException.class, () -> CommandInputs.images("case 1,case 2"));
			assertTrue(e.getMessage().contains("'case 2'") && e.getMessage().contains("case 1-labels"), e.getMessage());
		} finally {
			Interpreter.removeBatchModeImage(a);
			Interpreter.removeBatchModeImage(b);
			Interpreter.batchMode = wasBatch;
		}
	}
}
