package org.volseg.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.volseg.InvalidParameterException;
import org.volseg.VolSegException;
import org.volseg.batch.BatchSettings;
import org.volseg.batch.Shard;
import org.volseg.pipeline.SegmentationSettings;

/** {@link FijiBatch#settings}: the batch settings the command and the macro build from their values. */
class FijiBatchSettingsTest {

	@Test
	void theDialogsValuesBecomeBatchSettings() {
		SegmentationSettings segmentation = FijiSettings.of("64", "0.25", "constant", "none", "cpu", 2, null);
		BatchSettings s = FijiBatch.settings(Path.of("/in"), Path.of("/out"), segmentation, true, " 2/4 ");
		assertEquals(Path.of("/in"), s.input());
		assertEquals(Path.of("/out"), s.outputFolder());
		assertTrue(s.overwrite());
		assertEquals(new Shard(2, 4), s.shard());
		assertArrayEquals(new int[] { 64, 64, 64 }, s.segmentation().roi());
		assertEquals(2, s.segmentation().batch());
		BatchSettings all = FijiBatch.settings(Path.of("/in"), Path.of("/out"), segmentation, false, "");
		assertEquals(Shard.ALL, all.shard());
		assertFalse(all.overwrite());
		assertEquals(Shard.ALL, FijiBatch.settings(Path.of("/in"), Path.of("/out"), segmentation, false, null).shard());
	}

	@Test
	void missingFoldersAndABadShardAreRefusedNamingTheFijiSetting() {
		SegmentationSettings defaults = FijiSettings.of("", "", "model", "auto", 1, null);
		VolSegException e = assertThrows(VolSegException.class, () -> FijiBatch.settings(null, Path.of("/o"), defaults, false, ""));
		assertTrue(e.getMessage().contains("input folder"), e.getMessage());
		assertThrows(VolSegException.class, () -> FijiBatch.settings(Path.of("/i"), null, defaults, false, ""));
		for (String bad : new String[] { "5/4", "0/4", "2", "a/b" }) {
			InvalidParameterException b = assertThrows(InvalidParameterException.class,
					() -> FijiBatch.settings(Path.of("/i"), Path.of("/o"), defaults, false, bad));
			assertTrue(b.getMessage().startsWith("shard: expected K/N") && !b.getMessage().contains("--shard"), b.getMessage());
		}
	}
}
