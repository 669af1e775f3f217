package org.volseg.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.volseg.InvalidParameterException;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.process.ByteProcessor;

/** {@link OverlaySettings}: display and opacity as dialogs and macros give them, and drawing them. */
class OverlaySettingsTest {

	@Test
	void opacityAcceptsWhatImageJDialogsWriteAndRefusesFractionsAndOutOfRange() {
		assertEquals(new OverlaySettings(OverlayStyle.OUTLINES, 0.4), OverlaySettings.parse("outlines", "40.0"));
		assertEquals(new OverlaySettings(OverlayStyle.FILLED, 1.0), OverlaySettings.parse(" Filled ", "100"));
		assertEquals(new OverlaySettings(OverlayStyle.NONE, 0.0), OverlaySettings.parse("none", "0"));
		assertEquals(OverlaySettings.DEFAULT, OverlaySettings.parse("filled", "40"));
		assertNamed(() -> OverlaySettings.parse("filled", "40.5"), "opacity", "no fraction");
		assertNamed(() -> OverlaySettings.parse("filled", "101"), "opacity", "from 0 to 100");
		assertNamed(() -> OverlaySettings.parse("filled", "-1"), "opacity", "from 0 to 100");
		assertNamed(() -> OverlaySettings.parse("dots", "40"), "display", "filled, outlines or none");
	}

	@Test
	void showOnDrawsFilledLabelsAtTheOpacityAndNoneRemovesTheOverlay() {
		ImagePlus scan = stack("scan", 0), labels = stack("scan-labels", 2);
		Overlay overlay = new OverlaySettings(OverlayStyle.FILLED, 0.25).showOn(scan, labels);
		assertSame(overlay, scan.getOverlay());
		assertEquals(1, overlay.size(), "one ImageRoi, on the one slice with labels");
		assertEquals(2, overlay.get(0).getPosition());
		assertEquals(0.25, ((ImageRoi) overlay.get(0)).getOpacity(), 1e-12);
		assertNull(new OverlaySettings(OverlayStyle.NONE, 0.4).showOn(scan, labels));
		assertNull(scan.getOverlay());
		assertTrue(assertThrows(org.volseg.VolSegException.class,
				() -> OverlaySettings.DEFAULT.showOn(new ImagePlus("small", new ByteProcessor(4, 4)), labels)).getMessage()
				.contains("does not match the scan"));
	}

	/** 8 x 8 x 3; if {@code labelledSlice > 0}, that slice holds label 1 in a 2 x 2 square. */
	private static ImagePlus stack(String title, int labelledSlice) {
		ImageStack s = new ImageStack(8, 8);
		for (int z = 1; z <= 3; z++) {
			ByteProcessor p = new ByteProcessor(8, 8);
			if (z == labelledSlice)
				for (int y = 3; y < 5; y++)
					for (int x = 3; x < 5; x++)
						p.set(x, y, 1);
			s.addSlice(p);
		}
		return new ImagePlus(title, s);
	}

	private static void assertNamed(org.junit.jupiter.api.function.Executable call, String setting, String hint) {
		InvalidParameterException e = assertThrows(InvalidParameterException.class, call);
		assertTrue(e.getMessage().startsWith(setting) && e.getMessage().contains(hint), e.getMessage());
	}
}
