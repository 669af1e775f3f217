package org.volseg.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.Command;
import org.volseg.io.nifti.NiftiReader;

import ij.ImagePlus;

/**
 * The thin commands, run through SciJava with no model installed and no image open: every option is
 * checked before the model is resolved or loaded and before the scan is read, so a bad value is
 * reported (naming the setting as Fiji calls it) even when the model and the scan are missing too.
 * And the two Save Labels commands share one body.
 */
class CommandOptionsCheckedFirstTest {

	@TempDir
	static Path tmp;

	static Context context;

	@BeforeAll
	static void setUp() {
		context = FijiTestData.commandContext(tmp);
	}

	@AfterAll
	static void tearDown() {
		FijiTestData.close(context);
	}

	@Test
	void segmentVolumeChecksSettingsThenTheModelThenTheScan() throws Exception {
		assertError(SegmentVolumeCommand.class, "roi: expected", "model", "lung", "roi", "96,96");
		assertError(SegmentVolumeCommand.class, "overlap: expected", "model", "lung", "overlap", "1.5");
		assertError(SegmentVolumeCommand.class, "display: expected", "model", "lung", "display", "dots");
		assertError(SegmentVolumeCommand.class, "opacity: expected", "model", "lung", "opacity", 140);
		assertError(SegmentVolumeCommand.class, "batch: expected", "model", "lung", "batch", 0);
		assertError(SegmentVolumeCommand.class, "model: \"lung\" is neither a path nor an installed model", "model", "lung");
		assertError(SegmentVolumeCommand.class, "model: no model given", "model", ModelChoice.OTHER);
		assertError(SegmentVolumeCommand.class, "no image to segment", "model", ModelChoice.OTHER,
				"model_path", tmp.toFile());
	}

	@Test
	void batchAndFineTuneCheckTheirsBeforeTheModel() throws Exception {
		File in = tmp.toFile(), out = tmp.resolve("out").toFile();
		assertError(BatchSegmentFolderCommand.class, "shard: expected K/N", "input", in, "output", out, "model", "lung",
				"shard", "5/4");
		assertError(BatchSegmentFolderCommand.class, "device: expected", "input", in, "output", out, "model", "lung",
				"device", "tpu");
		assertError(BatchSegmentFolderCommand.class, "model: \"lung\"", "input", in, "output", out, "model", "lung");
		assertError(FineTuneCommand.class, "steps: expected", "model", "lung", "images_folder", in, "labels_folder", in,
				"steps", 0);
		assertError(FineTuneCommand.class, "learning_rate: expected", "model", "lung", "images_folder", in,
				"labels_folder", in, "learning_rate", 0.0);
		assertError(FineTuneCommand.class, "model: \"lung\"", "model", "lung", "images_folder", in, "labels_folder", in);
	}

	@Test
	void openSegChecksDisplayAndOpacityBeforeReadingTheFile() throws Exception {
		File missing = tmp.resolve("missing.dcm").toFile();
		assertError(OpenSegCommand.class, "opacity: expected", "file", missing, "opacity", 101);
		assertError(OpenSegCommand.class, "no scan is open", "file", missing);
	}

	@Test
	void bothSaveCommandsShareOneBody() throws Exception {
		assertError(SaveLabelsCommand.class, LabelSaveCommand.NO_LABELS, "file", tmp.resolve("a.nii.gz").toFile());
		assertError(SaveSegCommand.class, LabelSaveCommand.NO_LABELS, "file", tmp.resolve("a.dcm").toFile());
		ImagePlus labels = ImagePlusVolumes.toImagePlus(FijiTestData.phantom().labels(), "case-labels");
		SaveLabelsCommand save = (SaveLabelsCommand) run(SaveLabelsCommand.class, "labels", labels, "file",
				tmp.resolve("saved").toFile());
		assertNull(save.error());
		assertEquals(tmp.resolve("saved.nii.gz"), save.written());
		assertTrue(Files.isRegularFile(save.written()));
		assertEquals(FijiTestData.phantom().labels().spatialVoxelCount(),
				NiftiReader.read(save.written()).volume().spatialVoxelCount());
		SaveSegCommand seg = (SaveSegCommand) run(SaveSegCommand.class, "labels", labels, "file", tmp.resolve("a.dcm").toFile());
		assertNotNull(seg.error(), "the phantom's labels have no DICOM scan to reference");
		assertNull(seg.written());
	}

	private static void assertError(Class<? extends Command> type, String start, Object... inputs) throws Exception {
		Object command = run(type, inputs);
		String error = (String) command.getClass().getMethod("error").invoke(command);
		assertNotNull(error, type.getSimpleName() + " should have failed with " + start);
		assertTrue(error.startsWith(start) || error.contains(start), type.getSimpleName() + ": " + error);
	}

	/** Runs the command with these inputs and the parameters' defaults for the rest (not values an earlier run left). */
	private static Object run(Class<? extends Command> type, Object... inputs) throws Exception {
		FijiTestData.forgetPersistedInputs(type);
		return FijiTestData.run(context, type, inputs);
	}
}
