package org.volseg.cli;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import org.volseg.VolSegException;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code volseg} command line. Each subcommand is a thin shell around the library; errors a
 * user can cause ({@link VolSegException}) are printed as one line without a stack trace.
 *
 * <p>Exit codes: 0 success, 1 failure of the work itself, 2 usage error.</p>
 */
@Command(name = "volseg", mixinStandardHelpOptions = true, versionProvider = VolSegCli.Version.class,
		description = "Segment 3D medical volumes (CT, MRI) with transformer networks.")
public final class VolSegCli implements Callable<Integer> {

	/**
	 * The subcommands, in the order the help lists them. {@link #run(java.io.PrintWriter, java.io.PrintWriter, String...)}
	 * registers only the one named by the first argument when there is one (picocli builds the model
	 * of every registered command from its annotations before parsing, which took about 0.8 CPU
	 * seconds for all of them in a fresh JVM; docs/benchmarks.md, "Model start-up"), else all.
	 */
	static final List<Class<?>> COMMANDS = List.of(
			CommandLine.HelpCommand.class,
			InfoCommand.class,
			ConvertVolumeCommand.class,
			BenchIoCommand.class,
			ModelCommand.class,
			BenchEngineCommand.class,
			ConvertCommand.class,
			ImportBundleCommand.class,
			ForwardCommand.class,
			EvaluateCommand.class,
			PhantomCommand.class,
			TrainCommand.class,
			SegmentCommand.class,
			BatchCommand.class,
			BenchPipelineCommand.class,
			BenchCommand.class);

	public static void main(String[] args) {
		System.exit(run(args));
	}

	/** Runs the command line and returns its exit code, without exiting the JVM (for tests). */
	public static int run(String... args) {
		return run(null, null, args);
	}

	/**
	 * Runs the command line with its standard output and error sent to the given writers (null: the
	 * process's own), and returns the exit code without exiting the JVM.
	 */
	public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
		CommandLine cli = new CommandLine(new VolSegCli());
		Class<?> only = args.length > 0 ? commandNamed(args[0]) : null;
		for (Class<?> c : COMMANDS)
			if (only == null || c == only)
				cli.addSubcommand(c);
		if (only == null || only == BenchCommand.class)
			BenchCommand.register(cli);
		if (out != null)
			cli.setOut(out);
		if (err != null)
			cli.setErr(err);
		cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
			if (ex instanceof VolSegException) {
				commandLine.getErr().println("volseg: error: " + ex.getMessage());
				return 1;
			}
			throw ex;
		});
		return cli.execute(args);
	}

	/** The subcommand class whose name or alias is {@code name}, or null (also for {@code help}, which needs all). */
	static Class<?> commandNamed(String name) {
		for (Class<?> c : COMMANDS) {
			Command a = c.getAnnotation(Command.class);
			if (c != CommandLine.HelpCommand.class && a != null
					&& (a.name().equals(name) || Arrays.asList(a.aliases()).contains(name)))
				return c;
		}
		return null;
	}

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		spec.commandLine().usage(spec.commandLine().getErr());
		return 2;
	}

	static final class Version implements CommandLine.IVersionProvider {
		@Override
		public String[] getVersion() {
			String v = VolSegCli.class.getPackage().getImplementationVersion();
			return new String[] { "volseg " + (v == null ? "(development build)" : v) };
		}
	}
}
