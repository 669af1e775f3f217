package org.volseg.nets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.volseg.InvalidParameterException;
import org.volseg.engine.FrozenWeights;
import org.volseg.engine.kernels.FusedKernels;
import org.volseg.util.ProcessCpu;

/**
 * How fast a network's forward pass runs on this machine, against a 4096^3 float32 matmul measured
 * in the same process before and after it ({@code volseg bench forward}; see docs/benchmarks.md).
 *
 * <p>The network is built with random weights whose constant initialisations (norm scales of 1,
 * biases of 0) are spread by N(0, 0.02), as training leaves them: with exact ones and zeros
 * TensorFlow's graph optimiser drops multiplications by 1 and additions of 0, which a trained
 * model's graph keeps. The input is one sample of N(0, 1) noise. One untimed forward pass (graph
 * optimisation included), then {@code runs} timed ones ({@link NetworkGraph#run(FloatTensor,
 * float[])}, with the Java to TensorFlow copies; the output is copied into one array kept for all
 * runs, as the engine recycles its patch buffers, so that the Java heap's handling of a fresh array
 * per forward does not count as the network's time). CPU time is the whole process's (all threads,
 * Java and native), so it includes TensorFlow's threads while they wait; the matmul is measured the
 * same way. The session uses TensorFlow's default threads (all cores, or {@code
 * TF_NUM_INTRAOP_THREADS} and {@code TF_NUM_INTEROP_THREADS}). Not thread-safe: one benchmark per
 * process at a time.</p>
 */
public final class ForwardBenchmark {

	/** Edge of the reference matmul's square matrices. */
	public static final int MATMUL_SIZE = 4096;

	private static final int MATMUL_RUNS = 4;

	private static final double MIN_MATMUL_CPU_SECONDS = 0.2;

	private ForwardBenchmark() {}

	/** A matmul measurement: best wall-clock GFLOP/s of the runs, and GFLOP per CPU-second over all of them. */
	public record Matmul(int size, double wallGflops, double gflopPerCpuSecond) {}

	/**
	 * A forward benchmark's figures.
	 *
	 * @param flops per forward: {@link Network#referenceFlops} if the network counts them, else twice the
	 *        multiply-adds its graph counts ({@code referenceCount} says which)
	 * @param seconds wall-clock time of each timed forward, ascending
	 * @param kernels which kernels ran: {@link FusedKernels#status()}
	 * @param weightsFrozen whether the weights ran frozen into constants ({@link NetworkGraph#frozen})
	 * @param cpuSecondsPerForward process CPU time over the timed forwards, divided by their number
	 * @param before the matmul measured before the network was built, {@code after} after its runs
	 */
	public record Report(String network, long[] spatialSize, Layers.WeightStorage weights, String kernels,
			boolean weightsFrozen, double flops,
			boolean referenceCount, double firstSeconds, double[] seconds, double cpuSecondsPerForward, Matmul before,
			Matmul after) {

		public double medianSeconds() {
			return seconds[seconds.length / 2];
		}

		public double gflopPerCpuSecond() {
			return flops / 1e9 / cpuSecondsPerForward;
		}

		/** The better of the two matmul measurements' GFLOP per CPU-second. */
		public double matmulGflopPerCpuSecond() {
			return Math.max(before.gflopPerCpuSecond(), after.gflopPerCpuSecond());
		}

		/** GFLOP per CPU-second of the forward as a percentage of the better matmul's. */
		public double percentOfMatmul() {
			return 100 * gflopPerCpuSecond() / matmulGflopPerCpuSecond();
		}
	}

	/**
	 * Measures the matmul, builds and runs the network, measures the matmul again.
	 *
	 * @param spatialSize the input's d0, d1, d2 (the network must run on it)
	 * @param weights {@link Layers.WeightStorage#VARIABLES} as model packages hold them, or constants
	 * @param runs timed forward passes, at least 1
	 * @param matmulSize edge of the reference matmul ({@link #MATMUL_SIZE} unless a test needs it small)
	 * @throws InvalidParameterException for fewer than 1 run or a size the network cannot run on
	 */
	public static Report run(Network network, long[] spatialSize, Layers.WeightStorage weights, int runs, int matmulSize) {
		if (runs < 1) throw InvalidParameterException.of("--runs", runs, "at least 1");
		if (matmulSize < 1) throw InvalidParameterException.of("matmul size", matmulSize, "at least 1");
		network.outputSpatialShape(spatialSize);
		Matmul before = matmul(matmulSize);
		FloatTensor input = input(network, spatialSize);
		double[] seconds = new double[runs];
		double first;
		double cpu;
		double flops;
		boolean reference;
		boolean frozen;
		try (NetworkGraph g = graph(network, weights)) {
			frozen = g.weightsFrozen();
			double counted = network.referenceFlops(spatialSize);
			reference = !Double.isNaN(counted);
			flops = reference ? counted : 2 * g.multiplyAddsPerSample();
			long t0 = System.nanoTime();
			float[] output = g.run(input).data();
			first = (System.nanoTime() - t0) / 1e9;
			double cpu0 = ProcessCpu.seconds();
			for (int r = 0; r < runs; r++) {
				long t = System.nanoTime();
				g.run(input, output);
				seconds[r] = (System.nanoTime() - t) / 1e9;
			}
			cpu = (ProcessCpu.seconds() - cpu0) / runs;
		}
		Arrays.sort(seconds);
		return new Report(network.describe(), spatialSize.clone(), weights, FusedKernels.status(), frozen, flops, reference, first,
				seconds, cpu, before, matmul(matmulSize));
	}

	/**
	 * The network built as {@link #run} builds it (trained-like random weights), as a model package
	 * runs on the CPU: with VolSeg's fused CPU kernels where they are
	 * {@link FusedKernels#available() available}, and variables frozen into constants up to
	 * {@link FrozenWeights#maxBytesFor} the architecture, as the engine does (by default nothing:
	 * {@code -D}{@value FrozenWeights#PROPERTY}{@code =64} freezes them); the caller closes it.
	 */
	public static NetworkGraph graph(Network network, Layers.WeightStorage weights) {
		int threads = FusedKernels.available()
				? Math.min(Runtime.getRuntime().availableProcessors(), FusedKernels.MAX_THREADS) : 0;
		long maxFrozenBytes = FrozenWeights.maxBytesFor(network.architecture());
		NetworkGraph g = NetworkGraph.build(network, new TrainedLikeParameters(new RandomParameters(1), 2), weights, threads);
		return maxFrozenBytes > 0 ? g.frozen(maxFrozenBytes) : g;
	}

	/** The input {@link #run} feeds: one sample {@code [1, d0, d1, d2, C]} of N(0, 1) noise (seed 1). */
	public static FloatTensor input(Network network, long[] spatialSize) {
		FloatTensor input = FloatTensor.zeros(1, spatialSize[0], spatialSize[1], spatialSize[2], network.inputChannels());
		Random random = new Random(1);
		float[] d = input.data();
		for (int i = 0; i < d.length; i++) d[i] = (float) random.nextGaussian();
		return input;
	}

	/**
	 * A {@code size}^3 float32 matmul in a TensorFlow session: one untimed run, then timed runs, at
	 * least 4 and until they have taken 0.2 CPU-seconds (the process's CPU clock is coarse: a few
	 * small matmuls can take no measurable CPU time).
	 */
	public static Matmul matmul(int size) {
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			long[] shape = { size, size };
			Operand<TFloat32> a = tf.variable(tf.random.randomStandardNormal(tf.constant(shape), TFloat32.class));
			Operand<TFloat32> b = tf.variable(tf.random.randomStandardNormal(tf.constant(shape), TFloat32.class));
			Operand<TFloat32> c = tf.sum(tf.linalg.matMul(a, b), tf.constant(new int[] { 0, 1 }));
			s.initialize();
			s.runner().fetch(c).run().close();
			double flops = 2.0 * size * size * size;
			double best = 0;
			double cpu0 = ProcessCpu.seconds();
			int runs = 0;
			while (runs < MATMUL_RUNS || ProcessCpu.seconds() - cpu0 < MIN_MATMUL_CPU_SECONDS) {
				long t0 = System.nanoTime();
				try (Result res = s.runner().fetch(c).run()) {
					best = Math.max(best, flops / 1e9 / ((System.nanoTime() - t0) / 1e9));
				}
				runs++;
			}
			double cpu = ProcessCpu.seconds() - cpu0;
			return new Matmul(size, best, runs * flops / 1e9 / cpu);
		}
	}

	/** The 1, 5 and 15 minute load averages (Linux), or "unknown". */
	public static String loadAverage() {
		try {
			String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return f[0] + " " + f[1] + " " + f[2];
		} catch (java.io.IOException | RuntimeException ex) {
			return "unknown";
		}
	}

	/**
	 * Random parameters with the constant initialisations spread by N(0, 0.02) (see the class
	 * comment).
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
}
