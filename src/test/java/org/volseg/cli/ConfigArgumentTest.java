package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.InvalidParameterException;
import org.volseg.VolSegException;

/** {@link ConfigArgument}: the one reading of {@code --config} for {@code convert} and {@code train}. */
class ConfigArgumentTest {

	static final Map<String, Map<String, Object>> PRESETS = Map.of("tiny", Map.of("feature_size", 8.0));
	static final ConfigArgument.Wording CONVERT = new ConfigArgument.Wording(false, "a JSON file or a preset of unetr (tiny)", "x");
	static final ConfigArgument.Wording TRAIN = new ConfigArgument.Wording(true, "a JSON file, a preset name or inline JSON {...}",
			"--config x");

	@TempDir
	Path dir;

	@Test
	void aPresetIsACopyOfTheArchitecturesKeywords() {
		Map<String, Object> kwargs = ConfigArgument.resolve(" tiny ", PRESETS, CONVERT);
		assertEquals(Map.of("feature_size", 8.0), kwargs);
		kwargs.put("in_channels", 2.0); // modifiable, and the preset is untouched
		assertEquals(1, PRESETS.get("tiny").size());
	}

	@Test
	void aFileIsReadAsJsonKeywords() throws Exception {
		Path f = Files.writeString(dir.resolve("c.json"), "{\"img_size\": [96, 96, 96], \"norm_name\": \"instance\"}");
		Map<String, Object> kwargs = ConfigArgument.resolve(f.toString(), Map.of(), CONVERT);
		assertEquals("instance", kwargs.get("norm_name"));
		assertEquals(3, ((java.util.List<?>) kwargs.get("img_size")).size());
	}

	@Test
	void inlineJsonOnlyWhereTheCommandAllowsIt() {
		assertEquals(1.0, ((Number) ConfigArgument.resolve("{\"a\": 1}", Map.of(), TRAIN).get("a")).doubleValue());
		InvalidParameterException e = assertThrows(InvalidParameterException.class,
				() -> ConfigArgument.resolve("{\"a\": 1}", PRESETS, CONVERT));
		assertTrue(e.getMessage().contains("--config") && e.getMessage().contains("a JSON file or a preset of unetr (tiny)"),
				e.getMessage());
	}

	@Test
	void errorsNameTheOptionOrTheFileInTheCommandsWords() throws Exception {
		InvalidParameterException missing = assertThrows(InvalidParameterException.class,
				() -> ConfigArgument.resolve("nope", PRESETS, TRAIN));
		assertTrue(missing.getMessage().contains("a JSON file, a preset name or inline JSON {...}"), missing.getMessage());
		Path bad = Files.writeString(dir.resolve("bad.json"), "[1, 2]");
		VolSegException notObject = assertThrows(VolSegException.class, () -> ConfigArgument.resolve(bad.toString(), Map.of(), TRAIN));
		assertTrue(notObject.getMessage().startsWith("--config x: not a JSON object of keyword arguments: "), notObject.getMessage());
	}
}
