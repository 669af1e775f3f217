package org.volseg.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.volseg.InvalidParameterException;
import org.volseg.engine.FrozenWeights;
import org.volseg.nets.Architecture;
import org.volseg.nets.Architectures;
import org.volseg.nets.ForwardBenchmark;
import org.volseg.nets.Layers;
import org.volseg.nets.Network;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code volseg bench forward}: one network's forward pass against a matmul measured in the same
 * process ({@link ForwardBenchmark}). Hidden: a developer tool.
 */
@Command(name = "bench-forward", hidden = true, mixinStandardHelpOptions = true,
		description = { "Time a network's forward pass (random trained-like weights, batch 1) and compare its "
				+ "GFLOP per CPU-second with a 4096^3 float32 matmul measured before and after it in the same process.",
				"Default: SegFormer3D segformer3d-brats at 128^3, weights as variables (as model packages hold them). "
						+ "Results and method: docs/benchmarks.md, docs/bench-segformer.md." })
public final class BenchForwardCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Option(names = "--architecture", defaultValue = "segformer3d", paramLabel = "NAME",
			description = "Network architecture (as in model.json). Default: ${DEFAULT-VALUE}.")
	String architecture;

	@Option(names = "--preset", paramLabel = "NAME", description = "Configuration preset. Default: the architecture's "
			+ "first (segformer3d-brats, monai-unetr-btcv, ...).")
	String preset;

	@Option(names = "--size", split = ",", paramLabel = "D0,D1,D2",
			description = "Input size, or one value for a cube. Default: the network's patch size (128 for SegFormer3D).")
	List<Long> size;

	@Option(names = "--runs", defaultValue = "15", description = "Timed forward passes. Default: ${DEFAULT-VALUE}.")
	int runs;

	@Option(names = "--weights", defaultValue = "variables", paramLabel = "variables|constants",
			description = "Weights as variables (as model packages hold them and `segment` runs them) or as graph "
					+ "constants. Default: ${DEFAULT-VALUE}.")
	String weights;

	@Option(names = "--matmul-size", defaultValue = "4096", hidden = true,
			description = "Edge of the reference matmul (for tests).")
	int matmulSize;

	@Override
	public Integer call() {
		PrintWriter out = spec.commandLine().getOut();
		Architecture arch = Architectures.byName(architecture);
		Map<String, Map<String, Object>> presets = arch.presets();
		String name = preset != null ? preset : presets.keySet().iterator().next();
		if (!presets.containsKey(name)) {
			throw InvalidParameterException.of("--preset", name, "one of " + presets.keySet() + " for " + architecture);
		}
		Network network = arch.configure(presets.get(name));
		long[] spatial = spatialSize(network);
		Layers.WeightStorage storage = switch (weights.toLowerCase(Locale.ROOT)) {
			case "variables" -> Layers.WeightStorage.VARIABLES;
			case "constants" -> Layers.WeightStorage.CONSTANTS;
			default -> throw InvalidParameterException.of("--weights", weights, "variables or constants");
		};
		out.printf("%s %s, input %s, batch 1, weights as %s, %d cores%n", architecture, name, Arrays.toString(spatial),
				storage.name().toLowerCase(Locale.ROOT), Runtime.getRuntime().availableProcessors());
		out.flush();
		ForwardBenchmark.Report r = ForwardBenchmark.run(network, spatial, storage, runs, matmulSize);
		out.printf("matmul %d^3 float32 before: %.1f GFLOP/s wall, %.1f GFLOP per CPU-second%n", r.before().size(),
				r.before().wallGflops(), r.before().gflopPerCpuSecond());
		out.printf("kernels: %s%n", r.kernels());
		if (storage == Layers.WeightStorage.VARIABLES)
			out.printf("weights: %s%n", r.weightsFrozen()
					? "frozen into constants when loaded (-D" + FrozenWeights.PROPERTY + " above 0), as such packages then run on the CPU"
					: "variables, as model packages run (-D" + FrozenWeights.PROPERTY + "=64 freezes them into constants)");
		out.printf("first forward (graph optimisation included): %.2f s%n", r.firstSeconds());
		out.printf("forward: median %.3f s (min %.3f, max %.3f) over %d runs, %.1f GFLOP per forward (%s)%n",
				r.medianSeconds(), r.seconds()[0], r.seconds()[r.seconds().length - 1], r.seconds().length, r.flops() / 1e9,
				r.referenceCount() ? "the reference network's count" : "the graph's count");
		out.printf("CPU time %.3f CPU-s per forward: %.1f GFLOP per CPU-second%n", r.cpuSecondsPerForward(),
				r.gflopPerCpuSecond());
		out.printf("matmul %d^3 float32 after: %.1f GFLOP/s wall, %.1f GFLOP per CPU-second%n", r.after().size(),
				r.after().wallGflops(), r.after().gflopPerCpuSecond());
		out.printf("forward per CPU-second: %.0f%% of the matmul's (the better of before and after, %.1f)%n",
				r.percentOfMatmul(), r.matmulGflopPerCpuSecond());
		out.printf("load average: %s%n", ForwardBenchmark.loadAverage());
		out.flush();
		return 0;
	}

	private long[] spatialSize(Network network) {
		if (size == null) return network.inputSpatialShape();
		if (size.size() == 1) return new long[] { size.get(0), size.get(0), size.get(0) };
		if (size.size() != 3) {
			throw InvalidParameterException.of("--size", size.toString(), "three sizes D0,D1,D2 or one for a cube");
		}
		return new long[] { size.get(0), size.get(1), size.get(2) };
	}
}
