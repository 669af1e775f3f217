package org.volseg.runtime;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;


/**
 * Per-patch cost of keeping TensorFlow apart (docs/benchmarks.md): {@code direct} loads the model
 * with {@code org.volseg.engine.Engine} on a flat class path (in-process, as the command line);
 * {@code separated} loads it through {@link EngineRuntimes} from the private engine folder (child-first
 * class loader, {@link LoadedNetwork} boundary), as in Fiji. Prints one line with the wall-clock and
 * the process CPU seconds (all threads) of each timed patch. Run each variant in its own JVM (one TensorFlow per JVM), alternating ABAB.
 *
 * <pre>
 * java -cp "volseg.jar:volseg-engine.jar:lib/*:test-classes" org.volseg.runtime.SeparationBenchmark direct MODEL 1 4
 * java -Dvolseg.engine.dir=fiji/lib/volseg -cp "fiji/jars/*:test-classes" org.volseg.runtime.SeparationBenchmark separated MODEL 1 4
 * </pre>
 *
 * Arguments: variant, model package, warm-up patches, timed patches. Input: 96^3, one channel, random.
 */
public final class SeparationBenchmark {

	private SeparationBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		String variant = args[0];
		Path model = Path.of(args[1]);
		int warmup = Integer.parseInt(args[2]), timed = Integer.parseInt(args[3]);
		int[] size = { 96, 96, 96 };
		AutoCloseable closer;
		PatchPredictor p;
		if (variant.equals("separated")) {
			LoadedNetwork n = EngineRuntimes.get().load(model, "cpu", 0, 0);
			closer = n;
			p = n;
		} else {
			Direct d = new Direct(model);
			closer = d;
			p = d.predictor;
		}
		try (closer) {
			float[] in = new float[96 * 96 * 96 * p.inputChannels()];
			Random r = new Random(1);
			for (int i = 0; i < in.length; i++)
				in[i] = (float) r.nextGaussian();
			float[] out = null;
			for (int i = 0; i < warmup; i++)
				out = p.predict(in, 1, size, out);
			com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
					.getOperatingSystemMXBean();
			double[] s = new double[timed], cpu = new double[timed];
			for (int i = 0; i < timed; i++) {
				long t = System.nanoTime(), c = os.getProcessCpuTime();
				out = p.predict(in, 1, size, out);
				s[i] = (System.nanoTime() - t) / 1e9;
				cpu[i] = (os.getProcessCpuTime() - c) / 1e9;
			}
			System.out.println(String.format(Locale.ROOT, "%s seconds per patch %s mean %.3f; CPU seconds per patch %s mean %.3f; checksum %.4f",
					variant, Arrays.toString(s), Arrays.stream(s).average().orElse(0), Arrays.toString(cpu),
					Arrays.stream(cpu).average().orElse(0), out[12345]));
		}
	}

	/** The in-process engine, referenced only on the flat class path. */
	private static final class Direct implements AutoCloseable {
		final org.volseg.engine.Engine predictor;

		Direct(Path model) {
			predictor = org.volseg.engine.Engine.load(model, EngineOptions.cpu());
		}

		@Override
		public void close() {
			predictor.close();
		}
	}
}
