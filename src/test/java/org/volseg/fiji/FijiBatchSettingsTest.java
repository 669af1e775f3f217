package org.volseg.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.InvalidParameterException;
import org.volseg.VolSegException;
import org.volseg.batch.BatchSettings;
import org.volseg.batch.Shard;
import org.volseg.pipeline.SegmentationSettings;

/** {@link FijiBatch#settings}: the batch settings the command and the macro build from their values. */
class FijiBatchSettingsTest {

	@TempDir
	Path tmp;

	@Test
	void theDialogsValuesBecomeBatchSettings() {
		SegmentationSettings segmentation = FijiSettings.of("64", "0.25", "constant", "none", "cpu", 2, null);
		Path in = tmp, out = tmp.getParent().resolve(tmp.getFileName() + "-out");
		BatchSettings s = FijiBatch.settings(in, out, segmentation, true, " 2/4 ");
		assertEquals(in, s.input());
		assertEquals(out, s.outputFolder());
		assertTrue(s.overwrite());
		assertEquals(new Shard(2, 4), s.shard());
		assertArrayEquals(new int[] { 64, 64, 64 }, s.segmentation().roi());
		assertEquals(2, s.segmentation().batch());
		BatchSettings all = FijiBatch.settings(in, out, segmentation, false, "");
		assertEquals(Shard.ALL, all.shard());
		assertFalse(all.overwrite());
		assertEquals(Shard.ALL, FijiBatch.settings(in, out, segmentation, false, null).shard());
	}

	@Test
	void missingFoldersAndABadShardAreRefusedNamingTheFijiSetting() {
		SegmentationSettings defaults = FijiSettings.of("", "", "model", "auto", 1, null);
		VolSegException e = assertThrows(VolSegException.class, () -> FijiBatch.settings(null, tmp, defaults, false, ""));
		assertTrue(e.getMessage().contains("input folder"), e.getMessage());
		assertThrows(VolSegException.class, () -> FijiBatch.settings(tmp, null, defaults, false, ""));
		for (String bad : new String[] { "5/4", "0/4", "2", "a/b" }) {
			InvalidParameterException b = assertThrows(InvalidParameterException.class,
					() -> FijiBatch.settings(tmp, tmp.resolve("out"), defaults, false, bad));
			assertTrue(b.getMessage().startsWith("shard: expected K/N") && !b.getMessage().contains("--shard"), b.getMessage());
		}
		// the library's own checks, named as Fiji names them
		InvalidParameterException e1 = assertThrows(InvalidParameterException.class,
				() -> FijiBatch.settings(tmp.resolve("missing"), tmp.resolve("out"), defaults, false, ""));
		assertTrue(e1.getMessage().startsWith("input: expected an existing folder"), e1.getMessage());
		InvalidParameterException e2 = assertThrows(InvalidParameterException.class,
				() -> FijiBatch.settings(tmp, tmp, defaults, false, ""));
		assertTrue(e2.getMessage().startsWith("output: expected a folder other than the input folder"), e2.getMessage());
	}

	@Test
	void onlyALeadingCommandLineNameIsRenamed() {
		assertEquals("min_component_size: expected an integer, got x", FijiBatch.inFijiTerms(
				InvalidParameterException.of("--min-component-size", "x", "an integer")).getMessage());
		InvalidParameterException other = new InvalidParameterException("roi: expected X,Y,Z, got --input");
		assertEquals(other, FijiBatch.inFijiTerms(other));
	}
}
