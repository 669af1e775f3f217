package org.volseg.tiling;

import org.volseg.runtime.PatchPredictor;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

/**
 * Micro-benchmark of the streaming stitcher (not a test): a 512x512x400 volume, 14 classes, 96^3
 * windows, overlap 0.5, gaussian blend; every window gets the same precomputed output (a trivial
 * fake predictor), and the argmax labels and the raw logits (or, with {@code labels}, the labels only)
 * are finalised row by row, as the segmenter takes them, and dropped. Then the
 * whole {@link SlidingWindowInference} (extraction, pipelining, stitching) with a predictor that
 * returns a ready-made array. Prints windows/s and peak heap.
 *
 * <pre>
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx4g -cp target/test-classes:target/classes:$(cat target/cp.txt) org.volseg.tiling.StitcherBenchmark [stitcher|inference|both] [labels|logits]
 * </pre>
 */
public final class StitcherBenchmark {

	private static final int CLASSES = 14;

	public static void main(String[] args) {
		String what = args.length > 0 ? args[0] : "both";
		boolean logitsToo = args.length < 2 || !args[1].equals("labels");
		SlidingWindowSettings s = SlidingWindowSettings.builder(96, 96, 96).overlap(0.5).blend(BlendMode.GAUSSIAN)
				.batch(2).build();
		long[] size = { 512, 512, 400 };
		float[] window = new float[96 * 96 * 96 * CLASSES];
		Random r = new Random(1);
		for (int i = 0; i < window.length; i++)
			window[i] = (float) r.nextGaussian();
		long[] labelSum = { 0 };
		StitchOutput labels = TilingTestSupport.output(Finalizer.argmax(), (y, z, values) -> { // as the segmenter's label map
			for (int x = 0; x < size[0]; x++)
				labelSum[0] += (long) values[x];
		});
		StitchOutput logits = TilingTestSupport.output(Finalizer.raw(), (y, z, values) -> labelSum[0]++);
		List<StitchOutput> outputs = logitsToo ? List.of(labels, logits) : List.of(labels);
		TilePlan plan = TilePlanner.plan(size, s, CLASSES, outputs);
		System.out.println(plan);
		System.out.println(logitsToo ? "outputs: labels + raw logits" : "outputs: labels");
		if (!what.equals("inference")) {
			resetPeaks();
			Stitcher st = new Stitcher(plan, CLASSES, ImportanceMap.of(s), outputs);
			long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
			long t0 = System.nanoTime();
			for (int w = 0; w < plan.windowCount(); w++)
				st.add(w, window, 0);
			st.finish();
			double sec = (System.nanoTime() - t0) * 1e-9;
			double cpu = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0) * 1e-9;
			report("stitcher alone (one thread)", plan.windowCount(), sec, size);
			System.out.printf(Locale.ROOT, "  thread CPU time %.1f s = %.1f windows per CPU-second; accumulator %.2f GB%n",
					cpu, plan.windowCount() / cpu, st.accumulatorBytes() / 1e9);
		}
		if (!what.equals("stitcher")) {
			Volume input = Volume.allocate(Geometry.identity(), size);
			float[] batchOut = new float[window.length * s.batch()];
			for (int b = 0; b < s.batch(); b++)
				System.arraycopy(window, 0, batchOut, b * window.length, window.length);
			PatchPredictor trivial = new PatchPredictor() {
				@Override
				public int inputChannels() {
					return 1;
				}

				@Override
				public int outputChannels() {
					return CLASSES;
				}

				@Override
				public float[] predict(float[] patches, int batch, int[] patchSize) {
					return batch == s.batch() ? batchOut : java.util.Arrays.copyOf(batchOut, batch * window.length);
				}
			};
			resetPeaks();
			long cpu0 = processCpuNanos();
			long t0 = System.nanoTime();
			InferenceStats stats = new SlidingWindowInference(s).run(input, plan, trivial, outputs);
			double sec = (System.nanoTime() - t0) * 1e-9;
			report("whole inference (extraction + trivial predictor + stitcher, pipelined)", stats.windows(), sec, size);
			System.out.printf(Locale.ROOT, "  process CPU time %.1f s%n", (processCpuNanos() - cpu0) * 1e-9);
		}
		System.out.println("checksum " + labelSum[0]);
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
	}

	private static void resetPeaks() {
		System.gc();
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
			pool.resetPeakUsage();
	}

	private static void report(String what, int windows, double seconds, long[] size) {
		long peak = 0;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
			if (pool.getType() == MemoryType.HEAP)
				peak += pool.getPeakUsage().getUsed();
		double voxels = (double) size[0] * size[1] * size[2];
		System.out.printf(Locale.ROOT, "%s: %d windows in %.1f s = %.1f windows/s, %.2f Mvoxel/s, peak heap %.2f GB%n",
				what, windows, seconds, windows / seconds, voxels / seconds / 1e6, peak / 1e9);
	}
}
