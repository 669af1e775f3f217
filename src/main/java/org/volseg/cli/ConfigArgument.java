package org.volseg.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.volseg.InvalidParameterException;
import org.volseg.VolSegException;
import org.volseg.util.Json;

/**
 * The value of a {@code --config} option ({@code volseg convert}, {@code volseg train}): a network
 * constructor's keyword arguments given as a preset name of the architecture, a JSON file, or
 * (where the command allows it) inline JSON. Tried in that order: inline JSON (a value starting
 * with <code>{</code>), a preset, a regular file. Surrounding white space is ignored. Stateless.
 */
final class ConfigArgument {

	/** How a command words the errors of its {@code --config}. */
	record Wording(boolean inlineJson, String expected, String syntaxErrorSubject) {
	}

	private ConfigArgument() {
	}

	/**
	 * @param value the option's value as given
	 * @param presets the architecture's presets by name (empty if no architecture is known)
	 * @param wording whether inline JSON is accepted; what the option expects (for the
	 *        {@link InvalidParameterException} when the value is neither a preset nor a file);
	 *        how a JSON syntax error names the value
	 * @return a new, modifiable map of keyword arguments
	 * @throws InvalidParameterException naming {@code --config} if the value is no preset and no file
	 * @throws VolSegException naming the value if the file cannot be read or is not a JSON object
	 */
	static Map<String, Object> resolve(String value, Map<String, Map<String, Object>> presets, Wording wording) {
		String c = value.trim();
		try {
			if (wording.inlineJson() && c.startsWith("{"))
				return Json.parseObject(c);
			Map<String, Object> preset = presets.get(c);
			if (preset != null)
				return new LinkedHashMap<>(preset);
			Path path = Path.of(c);
			if (!Files.isRegularFile(path))
				throw InvalidParameterException.of("--config", value, wording.expected());
			return Json.parseObject(Files.readString(path, StandardCharsets.UTF_8));
		} catch (IOException ex) {
			throw new VolSegException(value + ": cannot read: " + ex.getMessage(), ex);
		} catch (Json.SyntaxException ex) {
			throw new VolSegException(wording.syntaxErrorSubject() + ": not a JSON object of keyword arguments: "
					+ ex.getMessage(), ex);
		}
	}
}
