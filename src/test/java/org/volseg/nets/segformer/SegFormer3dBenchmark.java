package org.volseg.nets.segformer;

import org.volseg.nets.FloatTensor;
import org.volseg.nets.ForwardBenchmark;
import org.volseg.nets.Layers;
import org.volseg.nets.Network;
import org.volseg.nets.NetworkGraph;

/**
 * {@code volseg bench forward} for SegFormer3D with what developers also want (not a unit test):
 * the multiply-adds VolSeg's graph executes ({@link SegFormer3dFlops#executed}) next to the
 * reference count, and with {@code -Dprofile=true} one traced pass ({@link OpProfile}; top
 * {@code -Dprofile.top} nodes, default 30). Weights as constants unless {@code -Dstorage=variables}
 * (as model packages hold them). Run after {@code mvn -DskipTests package test-compile}:
 * {@code java -cp "target/classes:target/test-classes:target/lib/*" org.volseg.nets.segformer.SegFormer3dBenchmark [size] [runs]}
 * (default 128, 5).
 */
public final class SegFormer3dBenchmark {

	public static void main(String[] args) {
		int size = args.length > 0 ? Integer.parseInt(args[0]) : 128;
		int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
		Layers.WeightStorage storage = Layers.WeightStorage.valueOf(
				System.getProperty("storage", "constants").toUpperCase(java.util.Locale.ROOT));
		SegFormer3d arch = new SegFormer3d();
		Network net = arch.configure(arch.presets().get(SegFormer3d.PRESET_BRATS));
		SegFormer3dConfig config = ((SegFormer3dNetwork) net).configuration();
		long[] spatial = { size, size, size };
		System.out.printf("weights as %s%n", storage);
		ForwardBenchmark.Report r = ForwardBenchmark.run(net, spatial, storage, runs, ForwardBenchmark.MATMUL_SIZE);
		System.out.printf("matmul peak (4096 x 4096 x 4096, float32): %.1f GFLOP/s wall, %.1f GFLOP per CPU-second%n",
				r.before().wallGflops(), r.before().gflopPerCpuSecond());
		System.out.printf("kernels: %s%n", r.kernels());
		System.out.printf("weights frozen into constants: %s%n", r.weightsFrozen());
		System.out.printf("first run (graph optimisation included): %.2f s%n", r.firstSeconds());
		double[] seconds = r.seconds();
		System.out.printf("SegFormer3D segformer3d-brats %d^3 batch 1: median %.3f s (min %.3f, max %.3f) over %d runs, "
				+ "%.1f GFLOP per forward, %.1f GFLOP/s%n", size, r.medianSeconds(), seconds[0], seconds[runs - 1], runs,
				r.flops() / 1e9, r.flops() / 1e9 / r.medianSeconds());
		System.out.printf("CPU time %.2f CPU-s per forward: %.1f GFLOP per CPU-second%n", r.cpuSecondsPerForward(),
				r.gflopPerCpuSecond());
		System.out.printf("matmul after: %.1f GFLOP/s wall, %.1f GFLOP per CPU-second%n", r.after().wallGflops(),
				r.after().gflopPerCpuSecond());
		System.out.printf("SegFormer3D per CPU-second: %.0f%% of the matmul's (best of before/after, %.1f)%n",
				r.percentOfMatmul(), r.matmulGflopPerCpuSecond());
		double executed = SegFormer3dFlops.executed(config, spatial, org.volseg.engine.kernels.FusedKernels.available());
		System.out.printf("multiply-adds the graph executes: %.1f GFLOP, %.1f GFLOP per CPU-second = %.0f%% of the matmul's%n",
				executed / 1e9, executed / 1e9 / r.cpuSecondsPerForward(),
				100 * executed / 1e9 / r.cpuSecondsPerForward() / r.matmulGflopPerCpuSecond());
		System.out.printf("load average: %s%n", ForwardBenchmark.loadAverage());
		if (Boolean.getBoolean("profile")) {
			FloatTensor input = ForwardBenchmark.input(net, spatial);
			try (NetworkGraph g = ForwardBenchmark.graph(net, storage)) {
				g.run(input);
				OpProfile.print(g, input, Integer.getInteger("profile.top", 30));
			}
		}
	}
}
