package org.volseg.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.log.LogService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;

/**
 * Pins what macros record and Fiji shows for every VolSeg command: the menu path and, for each input
 * in dialog order, its name, label, initial value (the field's), choices, min, max, style, whether it
 * is required and persisted. The expected text ({@code fiji/command-parameters.txt}) was written by
 * this test from the commands as they were before they were made thin (commit 124c6ca); a recorded
 * {@code run("Segment Volume...", "model=... roi=...")} keeps working only while it matches.
 */
class CommandParametersTest {

	static final List<Class<? extends Command>> COMMANDS = List.of(SegmentVolumeCommand.class,
			BatchSegmentFolderCommand.class, FineTuneCommand.class, SaveLabelsCommand.class, SaveSegCommand.class,
			OpenSegCommand.class, OpenNiftiCommand.class, OpenDicomSeriesCommand.class, InstallModelCommand.class);

	static Context context;

	@BeforeAll
	static void setUp() {
		System.setProperty("java.awt.headless", "true");
		context = new Context(CommandService.class, ModuleService.class, LogService.class);
	}

	@AfterAll
	static void tearDown() {
		context.dispose();
	}

	@Test
	void menuPathsAndParametersAreUnchanged() throws IOException {
		String expected;
		try (InputStream in = CommandParametersTest.class.getResourceAsStream("/fiji/command-parameters.txt")) {
			expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		assertEquals(expected, describeAll());
	}

	static String describeAll() {
		StringBuilder s = new StringBuilder();
		for (Class<? extends Command> type : COMMANDS)
			s.append(describe(type));
		return s.toString();
	}

	static String describe(Class<? extends Command> type) {
		CommandInfo info = context.service(CommandService.class).getCommand(type);
		Module module = context.service(ModuleService.class).createModule(info);
		StringBuilder s = new StringBuilder(type.getSimpleName()).append(": ").append(info.getMenuPath()).append('\n');
		for (ModuleItem<?> item : info.inputs()) {
			List<String> fields = new ArrayList<>(List.of(item.getName(), "label=" + item.getLabel(),
					"value=" + show(item, module.getInput(item.getName())), "type=" + item.getType().getSimpleName(),
					"required=" + item.isRequired(), "persist=" + item.isPersisted(), "visibility=" + item.getVisibility()));
			if (item.getChoices() != null && !item.getChoices().isEmpty())
				fields.add("choices=" + item.getChoices());
			if (item.getMinimumValue() != null)
				fields.add("min=" + item.getMinimumValue());
			if (item.getMaximumValue() != null)
				fields.add("max=" + item.getMaximumValue());
			if (item.getWidgetStyle() != null && !item.getWidgetStyle().isEmpty())
				fields.add("style=" + item.getWidgetStyle());
			if (item.getDescription() != null && !item.getDescription().isEmpty())
				fields.add("description=" + item.getDescription());
			if (item.getInitializer() != null && !item.getInitializer().isEmpty())
				fields.add("initializer=" + item.getInitializer());
			s.append("  ").append(String.join(" | ", fields)).append('\n');
		}
		return s.toString();
	}

	/** The initial value; for a service or the context (injected, not the user's), only whether it is there. */
	private static String show(ModuleItem<?> item, Object value) {
		if (org.scijava.service.Service.class.isAssignableFrom(item.getType()) || item.getType() == Context.class)
			return value == null ? "absent" : "injected";
		return value instanceof Object[] a ? Arrays.toString(a) : String.valueOf(value);
	}

	/** Writes the expected text from the current commands: {@code java ... CommandParametersTest OUT}. */
	public static void main(String[] args) throws IOException {
		setUp();
		try {
			java.nio.file.Files.writeString(java.nio.file.Path.of(args[0]), describeAll());
		} finally {
			tearDown();
		}
	}
}
