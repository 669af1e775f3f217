package org.volseg.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.volseg.InvalidParameterException;
import org.volseg.runtime.Device;
import org.volseg.pipeline.SegmentationSettings;
import org.volseg.tiling.BlendMode;

class FijiSettingsTest {

	static final Set<String> KEYS;
	static {
		KEYS = new HashSet<>(FijiSettings.SEGMENTATION_KEYS);
		KEYS.addAll(Macros.DISPLAY_KEYS);
	}

	@Test
	void macroOptionsBecomeSettings() {
		MacroOptions o = MacroOptions.parse("roi=96,80,64 overlap=0.5 blend=constant device=CPU batch=4 threads=2 inter_op_threads=1 series=3 "
				+ "min_component_size=100 threshold=0.3 no_resample results=[/my data/t.csv] show", KEYS);
		SegmentationSettings s = FijiSettings.fromOptions(o, Path.of("out.nii.gz"));
		assertArrayEquals(new int[] { 96, 80, 64 }, s.roi());
		assertEquals(0.5, s.overlap());
		assertEquals(BlendMode.CONSTANT, s.blend());
		assertEquals(Device.CPU, s.device());
		assertEquals(4, s.batch());
		assertEquals(2, s.threads());
		assertEquals(1, s.engineOptions().interOpThreads());
		assertEquals(3, s.seriesNumber());
		assertEquals(100, s.minComponentSize());
		assertEquals(0.3f, s.threshold());
		assertFalse(s.resample());
		assertTrue(s.reorient());
		assertEquals(Path.of("out.nii.gz"), s.labelsOutput());
		assertEquals("/my data/t.csv", o.get("results", null));
		assertTrue(o.flag("show"));
	}

	@Test
	void testTimeMirroringSeriesUidAndTrustComeFromMacroOptionsAndTheDialog() {
		SegmentationSettings s = FijiSettings.fromOptions(MacroOptions.parse(
				"tta=flips tta_axes=x,z series=1.2.840.113619.2.55 volume_index=2 trust_model", KEYS), null);
		assertEquals(org.volseg.tiling.Mirroring.parse("flips", "x,z", "tta", "tta_axes"), s.tta());
		assertEquals("1.2.840.113619.2.55", s.series());
		assertNull(s.seriesNumber());
		assertEquals(2, s.volumeIndex());
		assertTrue(s.trustModel());
		assertNull(FijiSettings.fromOptions(MacroOptions.parse("", KEYS), null).tta());
		assertEquals(org.volseg.tiling.Mirroring.ALL_AXES, FijiSettings.of("", "", "model", "flips", "auto", 1, null).tta());
		assertEquals(org.volseg.tiling.Mirroring.NONE, FijiSettings.of("", "", "model", "none", "auto", 1, null).tta());
		assertNull(FijiSettings.of("", "", "model", "model", "auto", 1, null).tta());
		assertMessage(() -> FijiSettings.fromOptions(MacroOptions.parse("tta=mirror", KEYS), null), "tta", "none or flips");
		assertMessage(() -> FijiSettings.fromOptions(MacroOptions.parse("tta_axes=x", KEYS), null), "tta_axes", "flips");
	}

	@Test
	void blankOptionsKeepTheModelsValues() {
		SegmentationSettings s = FijiSettings.fromOptions(MacroOptions.parse("", KEYS), null);
		assertNull(s.roi());
		assertNull(s.overlap());
		assertNull(s.blend());
		assertEquals(Device.AUTO, s.device());
		SegmentationSettings dialog = FijiSettings.of("", " ", "model", "auto", 1, null);
		assertNull(dialog.roi());
		assertNull(dialog.overlap());
		assertNull(dialog.blend());
		assertArrayEquals(new int[] { 64, 64, 64 }, FijiSettings.of("64", "", "", "cpu", 1, null).roi());
	}

	@Test
	void badValuesNameTheParameter() {
		assertMessage(() -> MacroOptions.parse("rio=96", KEYS), "options", "roi");
		assertMessage(() -> MacroOptions.parse("results=[/x", KEYS), "options", "]");
		assertMessage(() -> MacroOptions.parse("roi=1 roi=2", KEYS), "options", "once");
		assertMessage(() -> FijiSettings.of("96,96", "", "", "cpu", 1, null), "roi", "X,Y,Z");
		assertMessage(() -> FijiSettings.of("", "1.5", "", "cpu", 1, null), "overlap", "[0, 1)");
		assertMessage(() -> FijiSettings.of("", "half", "", "cpu", 1, null), "overlap", "number");
		assertMessage(() -> FijiSettings.of("", "", "smooth", "cpu", 1, null), "blend", "gaussian");
		assertMessage(() -> FijiSettings.of("", "", "", "tpu", 1, null), "device", "cpu, gpu or auto");
		assertMessage(() -> FijiSettings.fromOptions(MacroOptions.parse("batch=two", KEYS), null), "batch", "integer");
		assertMessage(() -> MacroOptions.parse("show=maybe", KEYS).flag("show"), "show", "true or false");
		assertMessage(() -> OverlayStyle.parse("display", "dots"), "display", "filled, outlines or none");
	}

	@Test
	void overlayStyleNames() {
		assertEquals(OverlayStyle.OUTLINES, OverlayStyle.parse("display", "Outline"));
		assertEquals(OverlayStyle.FILLED, OverlayStyle.parse("display", " filled "));
	}

	private static void assertMessage(org.junit.jupiter.api.function.Executable call, String parameter, String hint) {
		InvalidParameterException e = assertThrows(InvalidParameterException.class, call);
		assertTrue(e.getMessage().contains(parameter) && e.getMessage().contains(hint), e.getMessage());
	}
}
