package org.volseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.volseg.InvalidParameterException;
import org.volseg.runtime.Device;
import org.volseg.tiling.BlendMode;

class SettingTextTest {

	@Test
	void integersAcceptWhatImageJDialogsWrite() {
		assertEquals(40, SettingText.FIJI.integer("opacity", "40.0", 0, 100));
		assertEquals(40, SettingText.FIJI.integer("opacity", " 40 ", 0, 100));
		assertEquals(40, SettingText.FIJI.integer("opacity", "4e1", 0, 100));
		InvalidParameterException e = assertThrows(InvalidParameterException.class,
				() -> SettingText.FIJI.integer("opacity", "40.5", 0, 100));
		assertEquals("opacity: expected an integer from 0 to 100 (no fraction), got 40.5", e.getMessage());
		e = assertThrows(InvalidParameterException.class, () -> SettingText.FIJI.integer("opacity", "140", 0, 100));
		assertEquals("opacity: expected an integer from 0 to 100, got 140", e.getMessage());
		assertThrows(InvalidParameterException.class, () -> SettingText.FIJI.integer("opacity", "forty", 0, 100));
	}

	@Test
	void errorsNameTheSettingAsTheCallerKnowsIt() {
		InvalidParameterException cli = assertThrows(InvalidParameterException.class, () -> SettingText.CLI.roi("96,96"));
		assertTrue(cli.getMessage().startsWith("--roi: expected three window sizes"), cli.getMessage());
		InvalidParameterException fiji = assertThrows(InvalidParameterException.class, () -> SettingText.FIJI.roi("96,96"));
		assertTrue(fiji.getMessage().startsWith("roi: expected three window sizes"), fiji.getMessage());
		assertTrue(assertThrows(InvalidParameterException.class,
				() -> SettingText.CLI.integer("min_component_size", "-1", 0, Integer.MAX_VALUE)).getMessage()
				.startsWith("--min-component-size: "));
		assertTrue(assertThrows(InvalidParameterException.class, () -> SettingText.FIJI.overlap("1.0")).getMessage()
				.startsWith("overlap: "));
		assertTrue(assertThrows(InvalidParameterException.class, () -> SettingText.CLI.blend("median")).getMessage()
				.startsWith("--blend: "));
		assertTrue(assertThrows(InvalidParameterException.class, () -> SettingText.FIJI.device("tpu")).getMessage()
				.startsWith("device: "));
	}

	@Test
	void valuesAndModelDefaults() {
		assertArrayEquals(new int[] { 96, 80, 64 }, SettingText.CLI.roi("96,80,64"));
		assertArrayEquals(new int[] { 96, 96, 96 }, SettingText.FIJI.roi("96"));
		assertArrayEquals(new int[] { 64, 64, 32 }, SettingText.FIJI.roi("64x64x32"));
		assertArrayEquals(new int[] { 96, 96, 96 }, SettingText.FIJI.roi("96.0,96.0,96.0"));
		assertThrows(InvalidParameterException.class, () -> SettingText.FIJI.roi("0,96,96"));
		assertThrows(InvalidParameterException.class, () -> SettingText.FIJI.roi("96.5"));
		assertNull(SettingText.FIJI.roi(" "));
		assertNull(SettingText.FIJI.roi("model"));
		assertNull(SettingText.FIJI.overlap(""));
		assertEquals(0.25, SettingText.FIJI.overlap("0.25"));
		assertNull(SettingText.FIJI.blend("model"));
		assertEquals(BlendMode.GAUSSIAN, SettingText.FIJI.blend("Gaussian"));
		assertEquals(Device.AUTO, SettingText.FIJI.device(""));
		assertEquals(Device.CPU, SettingText.CLI.device("cpu"));
		assertTrue(SettingText.FIJI.flag("show", "on"));
	}
}
