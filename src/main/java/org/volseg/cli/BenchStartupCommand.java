package org.volseg.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.volseg.InvalidParameterException;
import org.volseg.VolSegException;
import org.volseg.runtime.Device;
import org.volseg.runtime.EngineOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code volseg bench startup --model DIR}: how long a model takes to start, cold and warm, and where
 * the time goes ({@link StartupProbe}'s phases).
 *
 * <ul>
 * <li><b>Cold</b>: {@code --cold N} fresh JVMs, one after the other, each started with this JVM's
 * {@code java}, its JVM options (plus {@code --java-option}s) and class path, running this command
 * with the hidden {@code --child} flag: a fresh JVM opens the package, loads the engine, TensorFlow's
 * native library and the model, and runs two patches. Cold start-up = JVM start to the end of the
 * first patch.</li>
 * <li><b>Warm</b>: in this JVM, after one load of the model (the first warm run is not counted), {@code --warm N}
 * times: load the model again and run two patches (Fiji loading a model again: other settings,
 * changed package). Warm start-up = model load + first patch. A model Fiji keeps loaded
 * ({@code fiji.LoadedModels}) costs only a patch: the second patch.</li>
 * </ul>
 *
 * <p>Every phase is reported in wall-clock seconds and in CPU seconds of the whole process (the
 * fairer measure on a shared machine), with the medians over the runs. Standard output only; no
 * file is written.</p>
 */
@Command(name = "bench-startup", hidden = true, mixinStandardHelpOptions = true,
		description = "Time a model's start-up, cold (fresh JVMs) and warm (in this JVM), phase by phase (developer tool).")
public final class BenchStartupCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Option(names = "--model", required = true, paramLabel = "DIR", description = "Model package.")
	Path model;

	@Option(names = "--cold", defaultValue = "3", paramLabel = "N", description = "Fresh JVMs to start, one after the other (default ${DEFAULT-VALUE}; 0 = none).")
	int cold;

	@Option(names = "--warm", defaultValue = "3", paramLabel = "N", description = "Loads of the model in this JVM after the first (default ${DEFAULT-VALUE}; 0 = none).")
	int warm;

	@Option(names = "--device", defaultValue = "cpu", paramLabel = "D", description = "cpu, gpu or auto (default ${DEFAULT-VALUE}).")
	String device;

	@Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "TensorFlow intra-op threads (0 = all cores).")
	int threads;

	@Option(names = "--java-option", paramLabel = "OPT", description = "An extra option for the cold JVMs, for example "
			+ "-Xshare:off (repeatable; they also get this JVM's own options).")
	List<String> javaOptions = new ArrayList<>();

	@Option(names = "--child", hidden = true, description = "Internal: run the phases once in this JVM and print them.")
	boolean child;

	@Override
	public Integer call() throws IOException, InterruptedException {
		long childStart = ManagementFactory.getRuntimeMXBean().getUptime();
		checkArguments();
		EngineOptions options = new EngineOptions(Device.parse(device, "--device"), threads, threads);
		PrintWriter out = spec.commandLine().getOut();
		if (child) {
			for (StartupProbe.Phase p : new StartupProbe(model, options).run(childStart >= 0))
				out.println(p.line());
			out.flush();
			return 0;
		}
		out.printf(Locale.ROOT, "model %s, device %s, threads %s; %d cores; java %s%n", model, device,
				threads == 0 ? "all" : threads, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
		out.flush();
		if (cold > 0) {
			List<String> command = childCommand();
			out.println("cold: fresh JVMs, " + String.join(" ", command.subList(0, command.indexOf("-cp")))
					+ " -cp (this class path) " + VolSegCli.class.getName() + " bench startup --child ...");
			List<List<StartupProbe.Phase>> runs = new ArrayList<>();
			for (int i = 0; i < cold; i++) {
				runs.add(runChild(command));
				out.println(row("cold " + (i + 1), runs.get(i)));
				out.flush();
			}
			out.println(medians("cold", runs, StartupProbe.FIRST, true));
		}
		if (warm > 0) {
			StartupProbe probe = new StartupProbe(model, options);
			List<StartupProbe.Phase> first = probe.run(false);
			out.println(row("in-process first load (not counted)", first));
			List<List<StartupProbe.Phase>> runs = new ArrayList<>();
			for (int i = 0; i < warm; i++) {
				runs.add(probe.runWarm());
				out.println(row("warm " + (i + 1), runs.get(i)));
				out.flush();
			}
			out.println(medians("warm", runs, StartupProbe.FIRST, false));
			out.printf(Locale.ROOT, "cached (a model kept loaded, as Fiji does): one patch, median %.3f s wall%n",
					median(runs.stream().mapToDouble(r -> phase(r, StartupProbe.SECOND, false)).toArray()));
		}
		out.flush();
		return 0;
	}

	/** @throws InvalidParameterException for negative counts or nothing to do */
	void checkArguments() {
		if (cold < 0)
			throw InvalidParameterException.of("--cold", cold, "0 or more fresh JVMs");
		if (warm < 0)
			throw InvalidParameterException.of("--warm", warm, "0 or more loads in this JVM");
		if (!child && cold == 0 && warm == 0)
			throw InvalidParameterException.of("--cold", 0, "at least one run: --cold N or --warm N above 0");
		if (threads < 0)
			throw InvalidParameterException.of("--threads", threads, "0 (all cores) or a positive number");
	}

	/** This JVM's java, its options, the extra options, its class path, and this command with {@code --child}. */
	List<String> childCommand() {
		String java = ProcessHandle.current().info().command()
				.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		List<String> c = new ArrayList<>();
		c.add(java);
		for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments())
			if (!a.startsWith("-agentlib:") && !a.startsWith("-javaagent:") && !a.startsWith("-XX:ArchiveClassesAtExit")
					&& !a.startsWith("-XX:DumpLoadedClassList"))
				c.add(a);
		c.addAll(javaOptions);
		c.add("-cp");
		c.add(System.getProperty("java.class.path"));
		c.add(VolSegCli.class.getName());
		c.addAll(List.of("bench", "startup", "--child", "--model", model.toString(), "--device", device, "--threads",
				Integer.toString(threads)));
		return c;
	}

	private List<StartupProbe.Phase> runChild(List<String> command) throws IOException, InterruptedException {
		long t0 = System.nanoTime();
		Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		List<String> lines = new ArrayList<>();
		try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line; (line = r.readLine()) != null;)
				lines.add(line);
		}
		int code = p.waitFor();
		double wall = (System.nanoTime() - t0) * 1e-9;
		if (code != 0)
			throw new VolSegException("the fresh JVM for the cold start-up failed (exit code " + code + "): "
					+ String.join(" | ", lines) + "; run it by hand to see its error: " + String.join(" ", command));
		List<StartupProbe.Phase> phases = parse(lines);
		phases.add(new StartupProbe.Phase("process", wall, Double.NaN));
		return phases;
	}

	/** The phase lines of a child's output (other lines are ignored). */
	static List<StartupProbe.Phase> parse(List<String> lines) {
		List<StartupProbe.Phase> phases = new ArrayList<>();
		for (String l : lines)
			if (l.startsWith("phase "))
				phases.add(StartupProbe.Phase.parse(l));
		if (phases.isEmpty())
			throw new VolSegException("the fresh JVM for the cold start-up printed no timings: " + String.join(" | ", lines));
		return phases;
	}

	/** One run as a line: each phase as {@code name wall (cpu)} seconds. */
	static String row(String label, List<StartupProbe.Phase> phases) {
		StringBuilder b = new StringBuilder(label).append(':');
		for (StartupProbe.Phase p : phases)
			b.append(String.format(Locale.ROOT, " %s %.3f", p.name(), p.wallSeconds()))
					.append(Double.isNaN(p.cpuSeconds()) ? "" : String.format(Locale.ROOT, " (cpu %.3f)", p.cpuSeconds()));
		return b.toString();
	}

	/**
	 * The medians over the runs of each phase, and of the start-up: the sum of the phases up to and
	 * including {@code last} (from the JVM's start in a cold run: its CPU counts the JVM's own start).
	 */
	static String medians(String label, List<List<StartupProbe.Phase>> runs, String last, boolean cold) {
		Map<String, List<StartupProbe.Phase>> byName = new LinkedHashMap<>();
		for (List<StartupProbe.Phase> run : runs)
			for (StartupProbe.Phase p : run)
				byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
		StringBuilder b = new StringBuilder(label).append(" medians of ").append(runs.size()).append(':');
		byName.forEach((name, v) -> {
			double cpu = median(v.stream().mapToDouble(StartupProbe.Phase::cpuSeconds).toArray());
			b.append(String.format(Locale.ROOT, " %s %.3f", name, median(v.stream().mapToDouble(StartupProbe.Phase::wallSeconds).toArray())))
					.append(Double.isNaN(cpu) ? "" : String.format(Locale.ROOT, " (cpu %.3f)", cpu));
		});
		b.append(String.format(Locale.ROOT, "%n%s start-up (%s to the end of the first patch): median %.3f s wall, %.3f s CPU",
				label, cold ? "JVM start" : "model load", median(runs.stream().mapToDouble(r -> upTo(r, last, false)).toArray()),
				median(runs.stream().mapToDouble(r -> upTo(r, last, true)).toArray())));
		return b.toString();
	}

	/** The sum of a run's phases up to and including {@code last}, wall or CPU seconds; NaN if it has no such phase. */
	static double upTo(List<StartupProbe.Phase> run, String last, boolean cpu) {
		double sum = 0;
		for (StartupProbe.Phase p : run) {
			sum += cpu ? p.cpuSeconds() : p.wallSeconds();
			if (p.name().equals(last))
				return sum;
		}
		return Double.NaN;
	}

	/** The value of one phase of a run, wall or CPU seconds; NaN if it has no such phase. */
	static double phase(List<StartupProbe.Phase> run, String name, boolean cpu) {
		for (StartupProbe.Phase p : run)
			if (p.name().equals(name))
				return cpu ? p.cpuSeconds() : p.wallSeconds();
		return Double.NaN;
	}

	/** The median of the values that are not NaN; NaN if none. */
	static double median(double[] values) {
		double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
		if (v.length == 0)
			return Double.NaN;
		return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
	}
}
