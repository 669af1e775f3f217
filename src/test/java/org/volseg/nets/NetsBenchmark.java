package org.volseg.nets;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Forward-pass benchmark (not a test; run by hand, see docs/bench-nets.md):
 * {@code java -cp target/classes:target/test-classes:target/lib/* org.volseg.nets.NetsBenchmark [arch preset runs]}.
 * Prints the machine's large-matmul peak and the network's forward time and achieved GFLOP/s.
 */
public final class NetsBenchmark {

	public static void main(String[] args) {
		String arch = args.length > 0 ? args[0] : "unetr";
		String preset = args.length > 1 ? args[1] : "monai-unetr-btcv";
		int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
		System.out.printf("cores: %d, TensorFlow %s%n", Runtime.getRuntime().availableProcessors(), org.tensorflow.TensorFlow.version());
		double[] mm = matmulPeak(4096, 5);
		double peak = mm[0];
		System.out.printf("matmul 4096x4096x4096 float32: best %.1f GFLOP/s wall, %.1f GFLOP per CPU-second%n", peak, mm[1]);
		Architecture a = Architectures.byName(arch);
		Map<String, Object> cfg = a.presets().get(preset);
		Network net = a.configure(cfg);
		long t0 = System.nanoTime();
		// -Dstorage=constants: weights as graph constants instead of variables (as packages hold them)
		Layers.WeightStorage storage = Layers.WeightStorage.valueOf(
				System.getProperty("storage", "variables").toUpperCase(java.util.Locale.ROOT));
		try (NetworkGraph g = NetworkGraph.build(net, new RandomParameters(0), storage)) {
			System.out.printf("%s %s: built in %.1f s, %.1f GFLOP per sample (2 x multiply-adds of convolutions, linear layers, attention)%n",
					arch, preset, (System.nanoTime() - t0) / 1e9, 2 * g.multiplyAddsPerSample() / 1e9);
			long[] s = net.inputSpatialShape();
			FloatTensor x = FloatTensor.zeros(1, s[0], s[1], s[2], net.inputChannels());
			Random r = new Random(1);
			for (int i = 0; i < x.data().length; i++) x.data()[i] = (float) r.nextGaussian();
			t0 = System.nanoTime();
			float[] output = g.run(x).data(); // recycled by the timed runs, as the engine recycles its patch outputs
			System.out.printf("first run (warm-up): %.2f s%n", (System.nanoTime() - t0) / 1e9);
			double[] times = new double[runs];
			long cpu0 = cpuNanos();
			for (int i = 0; i < runs; i++) {
				t0 = System.nanoTime();
				g.run(x, output);
				times[i] = (System.nanoTime() - t0) / 1e9;
			}
			double cpuPerRun = (cpuNanos() - cpu0) / 1e9 / runs;
			Arrays.sort(times);
			double median = times[runs / 2];
			double gflops = 2 * g.multiplyAddsPerSample() / 1e9 / median;
			System.out.printf("forward batch 1: median %.2f s of %d runs (min %.2f, max %.2f): %.1f GFLOP/s = %.0f%% of matmul peak%n",
					median, runs, times[0], times[runs - 1], gflops, 100 * gflops / peak);
			double perCpu = 2 * g.multiplyAddsPerSample() / 1e9 / cpuPerRun;
			System.out.printf("forward CPU time %.2f CPU-s per run: %.1f GFLOP per CPU-second = %.0f%% of matmul's%n",
					cpuPerRun, perCpu, 100 * perCpu / mm[1]);
			if (Boolean.getBoolean("profile")) profile(g, x);
		}
	}

	/** One traced run: time per op type (summed over nodes; ops on the two cores may overlap). */
	static void profile(NetworkGraph g, FloatTensor x) {
		org.tensorflow.proto.RunOptions options = org.tensorflow.proto.RunOptions.newBuilder()
				.setTraceLevel(org.tensorflow.proto.RunOptions.TraceLevel.FULL_TRACE).build();
		try (TFloat32 in = TFloat32.tensorOf(Shape.of(x.shape()), org.tensorflow.ndarray.buffer.DataBuffers.of(x.data(), true, false));
				Result r = g.session().runner().feed(g.input(), in).fetch(g.output()).setOptions(options).runAndFetchMetadata()) {
			Map<String, Double> byType = new java.util.TreeMap<>();
			for (org.tensorflow.proto.DeviceStepStats d : r.getMetadata().get().getStepStats().getDevStatsList()) {
				for (org.tensorflow.proto.NodeExecStats n : d.getNodeStatsList()) {
					String name = n.getNodeName().replaceFirst(":.*", "");
					String label = n.getTimelineLabel();
					String type = label.contains(" = ") ? label.replaceFirst("^.* = ([A-Za-z0-9_]+).*$", "$1") : name;
					byType.merge(type, n.getAllEndRelMicros() / 1e6, Double::sum);
				}
			}
			byType.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).limit(15)
					.forEach(e -> System.out.printf("  %-28s %.3f s%n", e.getKey(), e.getValue()));
		}
	}

	/** CPU time of this process (all threads, Java and native), from /proc/self/stat; 0 elsewhere. */
	static long cpuNanos() {
		try {
			String[] f = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/self/stat"))).replaceFirst("^.*\\) ", "").split(" ");
			long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
			return ticks * 10_000_000L; // USER_HZ = 100
		} catch (java.io.IOException | RuntimeException ex) {
			return 0;
		}
	}

	/** Best wall-clock GFLOP/s, and GFLOP per CPU-second, of n x n x n float32 matmuls in a TF Java session. */
	static double[] matmulPeak(int n, int runs) {
		try (Graph g = new Graph()) {
			Ops tf = Ops.create(g);
			Placeholder<TFloat32> a = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, n)));
			Placeholder<TFloat32> b = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, n)));
			Operand<TFloat32> c = tf.sum(tf.linalg.matMul(a, b), tf.constant(new int[] { 0, 1 }));
			try (Session s = new Session(g); TFloat32 x = TFloat32.tensorOf(Shape.of(n, n)); TFloat32 y = TFloat32.tensorOf(Shape.of(n, n))) {
				Random r = new Random(0);
				for (int i = 0; i < n; i++)
					for (int j = 0; j < n; j++) {
						x.setFloat((float) r.nextGaussian(), i, j);
						y.setFloat((float) r.nextGaussian(), i, j);
					}
				double best = 0;
				long cpu = 0;
				for (int i = 0; i < runs + 1; i++) {
					long t0 = System.nanoTime();
					long c0 = cpuNanos();
					try (Result res = s.runner().feed(a, x).feed(b, y).fetch(c).run()) {
						double t = (System.nanoTime() - t0) / 1e9;
						if (i > 0) {
							best = Math.max(best, 2.0 * n * n * (double) n / t / 1e9);
							cpu += cpuNanos() - c0;
						}
					}
				}
				return new double[] { best, 2.0 * n * n * (double) n * runs / (cpu / 1e9) / 1e9 };
			}
		}
	}
}
