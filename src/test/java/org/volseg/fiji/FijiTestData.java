package org.volseg.fiji;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

import org.scijava.Context;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.event.EventService;
import org.scijava.log.LogService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;
import org.volseg.engine.NearestIntensityNetwork;
import org.volseg.sample.AbdominalPhantomGenerator;
import org.volseg.sample.Phantom;
import org.volseg.testutil.TemporaryProperty;
import org.volseg.volume.Orientation;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * A small synthetic CT (the abdominal phantom, 48 x 48 x 32) and a real model package for it: the
 * {@link NearestIntensityNetwork} (air / soft tissue / bone by nearest HU centre), exported as a
 * SavedModel whose target spacing and orientation are the phantom's, so the pipeline neither
 * resamples nor reorients and the expected labels are known voxel by voxel.
 */
final class FijiTestData {

	static final String MODEL_NAME = "nearest hu test";
	static final NearestIntensityNetwork NETWORK = NearestIntensityNetwork.ctThreeClasses();

	private FijiTestData() {
	}

	static Phantom phantom() {
		return AbdominalPhantomGenerator.ofSize(48, 48, 32).generate(7);
	}

	/**
	 * A headless SciJava context with the services the commands use, Fiji's models folder at
	 * {@code tmp/Fiji.app/models/volseg} and the user's at {@code tmp/user-models}; undo with {@link #close}.
	 */
	static Context commandContext(Path tmp) {
		savePersistedInputs();
		System.setProperty("java.awt.headless", "true");
		System.setProperty("scijava.app.directory", tmp.resolve("Fiji.app").toString());
		System.setProperty(ModelCatalog.USER_MODELS_PROPERTY, tmp.resolve("user-models").toString());
		return new Context(CommandService.class, ModuleService.class, StatusService.class, LogService.class,
				EventService.class);
	}

	/**
	 * Frees the cached model, disposes the context, clears the folders {@link #commandContext} set and
	 * puts back the commands' persisted inputs as they were before it.
	 */
	static void close(Context context) {
		LoadedModels.release();
		context.dispose();
		System.clearProperty("scijava.app.directory");
		System.clearProperty(ModelCatalog.USER_MODELS_PROPERTY);
		restorePersistedInputs();
	}

	/**
	 * Where SciJava's PrefService keeps a command's persisted inputs (a recorded value is used for
	 * every input a later run does not give): java.util.prefs' user root, one node per command class.
	 * They outlive the JVM and are shared by every checkout on the machine, so the tests put them back.
	 */
	static Preferences persistedInputs(Class<? extends Command> command) {
		return Preferences.userRoot().node(command.getName().replace('.', '/'));
	}

	/** Forgets a command's persisted inputs, so that its next run starts from the parameters' defaults. */
	static void forgetPersistedInputs(Class<? extends Command> command) throws BackingStoreException {
		persistedInputs(command).clear();
	}

	private static final Map<Class<? extends Command>, Map<String, String>> SAVED_INPUTS = new HashMap<>();

	private static void savePersistedInputs() {
		try {
			SAVED_INPUTS.clear();
			for (Class<? extends Command> c : CommandParametersTest.COMMANDS) {
				Map<String, String> values = new HashMap<>();
				Preferences node = persistedInputs(c);
				for (String key : node.keys())
					values.put(key, node.get(key, null));
				SAVED_INPUTS.put(c, values);
			}
		} catch (BackingStoreException e) {
			throw new IllegalStateException("cannot read the persisted command inputs", e);
		}
	}

	private static void restorePersistedInputs() {
		try {
			for (Map.Entry<Class<? extends Command>, Map<String, String>> e : SAVED_INPUTS.entrySet()) {
				Preferences node = persistedInputs(e.getKey());
				node.clear();
				e.getValue().forEach(node::put);
				node.flush();
			}
			SAVED_INPUTS.clear();
		} catch (BackingStoreException e) {
			throw new IllegalStateException("cannot restore the persisted command inputs", e);
		}
	}

	/**
	 * Runs a command with all pre- and postprocessing and waits for it. Through the ModuleService with
	 * the CommandService's CommandInfo, because CommandService.run returns null for a DynamicCommand
	 * (which is its own module, not a CommandModule).
	 *
	 * @return the command instance (for its outcome accessors)
	 */
	static Object run(Context context, Class<? extends Command> type, Object... inputs) throws Exception {
		CommandInfo info = context.service(CommandService.class).getCommand(type);
		if (info == null)
			throw new AssertionError(type + " is not a registered command");
		Module module = context.service(ModuleService.class).run(info, true, inputs).get();
		return module instanceof CommandModule cm ? cm.getCommand() : module;
	}

	/** Runs {@code work} with Fiji's and the user's models folders in {@code tmp} (empty), then restores them. */
	static void withModelFolders(Path tmp, org.junit.jupiter.api.function.Executable work) throws Throwable {
		try (TemporaryProperty fiji = TemporaryProperty.set("scijava.app.directory", tmp.resolve("Fiji.app").toString());
				TemporaryProperty user = TemporaryProperty.set(ModelCatalog.USER_MODELS_PROPERTY, tmp.resolve("user-models").toString())) {
			work.execute();
		}
	}

	/** Exports the model package for a scan's grid into {@code dir/<folder>}. */
	static Path model(Path dir, Volume scan) throws IOException {
		return NETWORK.export(dir.resolve("nearest-hu-test"), MODEL_NAME, scan.geometry().spacing(),
				Orientation.of(scan.geometry()).code(), new int[] { 32, 32, 32 });
	}

	/** The labels the model must give, voxel by voxel (x fastest). */
	static int[] expectedLabels(Volume scan) {
		int[] labels = new int[Math.toIntExact(scan.spatialVoxelCount())];
		Cursor<FloatType> c = Views.flatIterable(scan.channel(0)).cursor();
		for (int i = 0; i < labels.length; i++)
			labels[i] = NETWORK.expectedLabel(c.next().get());
		return labels;
	}
}
