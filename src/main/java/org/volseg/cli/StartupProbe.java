package org.volseg.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

import org.volseg.model.ModelDescriptor;
import org.volseg.model.ModelPackage;
import org.volseg.runtime.EngineOptions;
import org.volseg.runtime.EngineRuntime;
import org.volseg.runtime.EngineRuntimes;
import org.volseg.runtime.LoadedNetwork;
import org.volseg.util.ProcessCpu;

/**
 * Times the start-up of a model in this JVM, phase by phase: opening the package, finding the engine
 * ({@link EngineRuntimes#get()}: the engine's classes), loading TensorFlow's native library, loading
 * the SavedModel, the first patch (TensorFlow optimises the graph and creates its kernels on the
 * first run) and a second patch (the steady cost). Each phase is timed in wall-clock seconds and in
 * the CPU seconds of the whole process (all threads). Only the {@link EngineRuntime} boundary is
 * used, so this runs the same on the command line's flat class path and in Fiji's layout.
 *
 * <p>The patches are one batch of the model's patch size with pseudo-random values in [0, 1) (seed
 * 1), so that TensorFlow cannot skip any work. Not thread-safe; each call loads and closes its own
 * network.</p>
 */
final class StartupProbe {

	/** One timed phase: name, wall-clock seconds, process CPU seconds (all threads; NaN where unknown). */
	record Phase(String name, double wallSeconds, double cpuSeconds) {

		/** The phase as one line that {@link #parse} reads back: {@code phase NAME WALL CPU}. */
		String line() {
			return String.format(Locale.ROOT, "phase %s %.4f %.4f", name, wallSeconds, cpuSeconds);
		}

		/**
		 * Reads a line written by {@link #line()}.
		 *
		 * @throws IllegalArgumentException if it is not one
		 */
		static Phase parse(String line) {
			String[] f = line.trim().split(" ");
			if (f.length != 4 || !f[0].equals("phase"))
				throw new IllegalArgumentException("not a phase line: " + line);
			return new Phase(f[1], Double.parseDouble(f[2]), Double.parseDouble(f[3]));
		}
	}

	/** Phase names, in the order they run. */
	static final String JVM = "jvm-to-command", PACKAGE = "open-package", ENGINE = "engine-classes",
			NATIVE = "tensorflow-native", LOAD = "model-load", FIRST = "first-patch", SECOND = "second-patch";

	private final Path model;
	private final EngineOptions options;

	StartupProbe(Path model, EngineOptions options) {
		this.model = model;
		this.options = options;
	}

	/**
	 * Runs every phase once and closes the network.
	 *
	 * @param withJvm whether to report the time from the JVM's start to this call first ({@link #JVM};
	 *        meaningful only in a fresh JVM)
	 */
	List<Phase> run(boolean withJvm) {
		List<Phase> phases = new ArrayList<>();
		if (withJvm)
			phases.add(new Phase(JVM, ManagementFactory.getRuntimeMXBean().getUptime() * 1e-3, ProcessCpu.seconds()));
		ModelDescriptor d = time(phases, PACKAGE, () -> {
			try (ModelPackage pkg = ModelPackage.open(model)) {
				return pkg.descriptor();
			}
		});
		EngineRuntime runtime = time(phases, ENGINE, EngineRuntimes::get);
		time(phases, NATIVE, runtime::tensorflowVersion);
		try (LoadedNetwork network = time(phases, LOAD, () -> runtime.load(model, options.device().label(),
				options.intraOpThreads(), options.interOpThreads(), options.trustModel()))) {
			int[] size = d.volseg().patchSizeArray();
			float[] patch = patch(size, network.inputChannels());
			time(phases, FIRST, () -> network.predict(patch, 1, size.clone()));
			time(phases, SECOND, () -> network.predict(patch, 1, size.clone()));
		}
		return phases;
	}

	/**
	 * A load and first patch in a JVM where the model's engine has run before (a second run in Fiji
	 * with other settings, or after the package changed): {@link #LOAD}, {@link #FIRST} and
	 * {@link #SECOND} only.
	 */
	List<Phase> runWarm() {
		List<Phase> phases = new ArrayList<>();
		EngineRuntime runtime = EngineRuntimes.get();
		int[] size;
		try (ModelPackage pkg = ModelPackage.open(model)) {
			size = pkg.descriptor().volseg().patchSizeArray();
		}
		try (LoadedNetwork network = time(phases, LOAD, () -> runtime.load(model, options.device().label(),
				options.intraOpThreads(), options.interOpThreads(), options.trustModel()))) {
			float[] patch = patch(size, network.inputChannels());
			time(phases, FIRST, () -> network.predict(patch, 1, size.clone()));
			time(phases, SECOND, () -> network.predict(patch, 1, size.clone()));
		}
		return phases;
	}

	static float[] patch(int[] size, int channels) {
		float[] p = new float[size[0] * size[1] * size[2] * channels];
		Random r = new Random(1);
		for (int i = 0; i < p.length; i++)
			p[i] = r.nextFloat();
		return p;
	}

	private static <T> T time(List<Phase> phases, String name, Supplier<T> work) {
		long t0 = System.nanoTime();
		double c0 = ProcessCpu.seconds();
		T result = work.get();
		phases.add(new Phase(name, (System.nanoTime() - t0) * 1e-9, ProcessCpu.seconds() - c0));
		return result;
	}

}
