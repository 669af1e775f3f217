package org.volseg.nets.segformer;

import java.util.Arrays;
import java.util.Random;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.volseg.nets.FloatTensor;
import org.volseg.nets.Init;
import org.volseg.nets.Layers;
import org.volseg.nets.Network;
import org.volseg.nets.NetworkGraph;
import org.volseg.nets.ParameterSource;
import org.volseg.nets.RandomParameters;

/**
 * Forward-time benchmark of SegFormer3D (not a unit test): random weights, batch 1, the
 * {@code segformer3d-brats} configuration at 128^3 unless arguments say otherwise, plus a large matmul
 * for the machine's peak. Run after {@code mvn -DskipTests package test-compile}:
 * {@code java -cp "target/classes:target/test-classes:target/lib/*" org.volseg.nets.segformer.SegFormer3dBenchmark [size] [runs]}.
 */
public final class SegFormer3dBenchmark {

	public static void main(String[] args) {
		int size = args.length > 0 ? Integer.parseInt(args[0]) : 128;
		int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
		double[] peak = matmulPeak();
		System.out.printf("matmul peak (4096 x 4096 x 4096, float32): %.1f GFLOP/s wall, %.1f GFLOP per CPU-second%n",
				peak[0], peak[1]);
		SegFormer3d arch = new SegFormer3d();
		Network net = arch.configure(arch.presets().get(SegFormer3d.PRESET_BRATS));
		SegFormer3dConfig config = ((SegFormer3dNetwork) net).configuration();
		double flops = SegFormer3dFlops.forward(config, new long[] { size, size, size });
		double executed = SegFormer3dFlops.executed(config, new long[] { size, size, size });
		FloatTensor input = FloatTensor.zeros(1, size, size, size, config.inChannels());
		Random random = new Random(1);
		float[] d = input.data();
		for (int i = 0; i < d.length; i++) {
			d[i] = (float) random.nextGaussian();
		}
		try (NetworkGraph g = NetworkGraph.build(net, new TrainedLikeParameters(new RandomParameters(1), 2),
				storage())) {
			System.out.printf("weights as %s%n", storage());
			long t0 = System.nanoTime();
			FloatTensor out = g.run(input);
			System.out.printf("first run (graph optimisation included): %.2f s, output %s%n", (System.nanoTime() - t0) / 1e9,
					Arrays.toString(out.shape()));
			double[] seconds = new double[runs];
			long cpu0 = cpuNanos();
			for (int r = 0; r < runs; r++) {
				long t = System.nanoTime();
				g.run(input);
				seconds[r] = (System.nanoTime() - t) / 1e9;
			}
			double cpuPerRun = (cpuNanos() - cpu0) / 1e9 / runs;
			Arrays.sort(seconds);
			double median = seconds[runs / 2];
			System.out.printf("SegFormer3D segformer3d-brats %d^3 batch 1: median %.3f s (min %.3f, max %.3f) over %d runs, "
					+ "%.1f GFLOP per forward, %.1f GFLOP/s%n", size, median, seconds[0], seconds[runs - 1], runs,
					flops / 1e9, flops / 1e9 / median);
			System.out.printf("CPU time %.2f CPU-s per forward: %.1f GFLOP per CPU-second%n", cpuPerRun, flops / 1e9 / cpuPerRun);
			double[] after = matmulPeak();
			double matmulPerCpu = Math.max(peak[1], after[1]);
			System.out.printf("matmul after: %.1f GFLOP/s wall, %.1f GFLOP per CPU-second%n", after[0], after[1]);
			System.out.printf("SegFormer3D per CPU-second: %.0f%% of the matmul's (best of before/after, %.1f)%n",
					100 * flops / 1e9 / cpuPerRun / matmulPerCpu, matmulPerCpu);
			System.out.printf("multiply-adds the graph executes: %.1f GFLOP, %.1f GFLOP per CPU-second = %.0f%% of the matmul's%n",
					executed / 1e9, executed / 1e9 / cpuPerRun, 100 * executed / 1e9 / cpuPerRun / matmulPerCpu);
			System.out.printf("load average: %s%n", loadAverage());
			if (Boolean.getBoolean("profile")) {
				OpProfile.print(g, input, Integer.getInteger("profile.top", 30));
			}
		}
	}

	/**
	 * {@code -Dstorage=variables} builds the graph as an exported model package holds it (weights as
	 * variables, as {@code NetworkExport} writes them); the default is constants.
	 */
	private static Layers.WeightStorage storage() {
		return Layers.WeightStorage.valueOf(System.getProperty("storage", "constants").toUpperCase(java.util.Locale.ROOT));
	}

	/**
	 * Random parameters with the constant initialisations (norm scales of 1, biases of 0) spread by
	 * N(0, 0.02), as training leaves them: with exact ones and zeros TensorFlow's graph optimiser
	 * removes multiplications by 1 and additions of 0, which a trained model does not allow.
	 */
	private static final class TrainedLikeParameters implements ParameterSource {

		private final ParameterSource random;
		private final Random noise;

		TrainedLikeParameters(ParameterSource random, long seed) {
			this.random = random;
			this.noise = new Random(seed);
		}

		@Override
		public FloatTensor take(String key, long[] shape, Init init) {
			FloatTensor t = random.take(key, shape, init);
			float[] d = t.data();
			boolean constant = true;
			for (int i = 1; i < d.length && constant; i++) constant = d[i] == d[0];
			if (constant) {
				for (int i = 0; i < d.length; i++) d[i] += (float) (0.02 * noise.nextGaussian());
			}
			return t;
		}

		@Override
		public void acceptIfPresent(String key) {
			random.acceptIfPresent(key);
		}

		@Override
		public void finish() {
			random.finish();
		}
	}

	/** The 1, 5 and 15 minute load averages (Linux), or "unknown". */
	static String loadAverage() {
		try {
			String[] f = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).split(" ");
			return f[0] + " " + f[1] + " " + f[2];
		} catch (java.io.IOException | RuntimeException ex) {
			return "unknown";
		}
	}

	/** CPU time of this process (all threads, Java and native), from /proc/self/stat (Linux); 0 elsewhere. */
	static long cpuNanos() {
		try {
			String[] f = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/self/stat")))
					.replaceFirst("^.*\\) ", "").split(" ");
			return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // utime + stime, USER_HZ = 100
		} catch (java.io.IOException | RuntimeException ex) {
			return 0;
		}
	}

	/** Best wall-clock GFLOP/s of a 4096^3 float32 matmul, and its GFLOP per CPU-second (4 runs). */
	private static double[] matmulPeak() {
		int n = 4096;
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			Operand<TFloat32> a = tf.variable(tf.random.randomStandardNormal(tf.constant(new long[] { n, n }), TFloat32.class));
			Operand<TFloat32> b = tf.variable(tf.random.randomStandardNormal(tf.constant(new long[] { n, n }), TFloat32.class));
			Operand<TFloat32> c = tf.sum(tf.linalg.matMul(a, b), tf.constant(new int[] { 0, 1 }));
			s.initialize();
			double best = 0;
			s.runner().fetch(c).run().close();
			long cpu0 = cpuNanos();
			for (int r = 0; r < 4; r++) {
				long t0 = System.nanoTime();
				try (Result res = s.runner().fetch(c).run()) {
					double sec = (System.nanoTime() - t0) / 1e9;
					best = Math.max(best, 2.0 * n * n * n / sec / 1e9);
				}
			}
			return new double[] { best, 4 * 2.0 * n * n * n / 1e9 / ((cpuNanos() - cpu0) / 1e9) };
		}
	}
}
