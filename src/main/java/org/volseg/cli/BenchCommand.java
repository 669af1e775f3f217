package org.volseg.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code volseg bench ...}: the developers' benchmarks under one command, hidden from the main help
 * ({@code volseg bench --help} lists them). Each sub-command is also reachable under its former
 * top-level name ({@code bench-io}, {@code bench-engine}, {@code bench-pipeline}), hidden, so that
 * scripts written against those keep working.
 */
@Command(name = "bench", hidden = true, mixinStandardHelpOptions = true,
		description = "Benchmarks for developers: io (NIfTI write/read), engine (patches through TensorFlow, "
				+ "resident memory), pipeline (a whole segmentation: overhead, voxels/s, peak memory), "
				+ "startup (a model's load and first patch, cold and warm), "
				+ "forward (a network's forward pass against a matmul in the same process). "
				+ "Results and how to compare them with the reference tools: docs/benchmarks.md.")
final class BenchCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	/** Adds the benchmarks as sub-commands of {@code bench} in the given {@code volseg} command line. */
	static void register(CommandLine volseg) {
		CommandLine bench = volseg.getSubcommands().get("bench");
		add(bench, "io", new BenchIoCommand());
		add(bench, "engine", new BenchEngineCommand());
		add(bench, "pipeline", new BenchPipelineCommand());
		add(bench, "startup", new BenchStartupCommand());
		add(bench, "forward", new BenchForwardCommand());
	}

	/** The annotations hide each benchmark's former top-level name; under {@code bench} it is listed. */
	private static void add(CommandLine bench, String name, Object command) {
		CommandLine sub = new CommandLine(command);
		sub.getCommandSpec().usageMessage().hidden(false);
		bench.addSubcommand(name, sub);
	}

	@Override
	public Integer call() {
		spec.commandLine().usage(spec.commandLine().getErr());
		return 2;
	}
}
