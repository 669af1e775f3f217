package org.volseg.nets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Every registered architecture: its presets configure, and withDataShape sets what training needs. */
class ArchitectureRegistryTest {

	@Test
	void registersEachArchitectureOnce() {
		assertEquals(List.of("unetr", "segformer3d", "swinunetr", "unet", "segresnet"), Architectures.names());
		for (String name : Architectures.names()) assertEquals(name, Architectures.byName(name.toUpperCase()).name());
	}

	@Test
	void presetsConfigureAndDataShapeSetsChannelsClassesAndPatch() {
		for (String name : Architectures.names()) {
			Architecture a = Architectures.byName(name);
			assertFalse(a.presets().isEmpty(), name);
			for (Map.Entry<String, Map<String, Object>> p : a.presets().entrySet()) {
				Network preset = a.configure(p.getValue());
				assertEquals(name, preset.architecture());
				Map<String, Object> given = new HashMap<>(p.getValue());
				Map<String, Object> k = a.withDataShape(p.getValue(), 3, 7, new int[] { 64, 32, 96 });
				assertEquals(given, p.getValue(), "withDataShape must not modify its argument");
				Network n = a.configure(k);
				assertEquals(3, n.inputChannels(), name + " " + p.getKey());
				assertEquals(7, n.outputChannels(), name + " " + p.getKey());
				long[] patch = { 64, 32, 96 };
				if (n.acceptsOtherSpatialShapes()) assertArrayEquals(patch, n.outputSpatialShape(patch), name);
				else assertArrayEquals(patch, n.inputSpatialShape(), name);
				assertTrue(n.describe().startsWith(name + " "));
			}
		}
	}
}
