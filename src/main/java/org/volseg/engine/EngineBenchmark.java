package org.volseg.engine;

import org.volseg.runtime.EngineOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.volseg.util.AtomicFiles;
import org.volseg.model.ModelDescriptor;
import org.volseg.model.ModelPackage;
import org.volseg.model.OutputActivation;

/**
 * Runs many patches through an engine and samples the process's resident memory, to show that
 * native memory stays flat (every tensor is released). Used by {@code volseg bench engine}.
 */
public final class EngineBenchmark {

	private EngineBenchmark() {
	}

	/**
	 * One memory sample.
	 *
	 * @param patches patches run so far
	 * @param residentKiB process resident size (VmRSS), KiB
	 * @param heapUsedKiB Java heap in use, KiB
	 * @param heapCommittedKiB Java heap committed (reserved from the OS), KiB
	 * @param seconds time since the first patch
	 */
	public record Sample(int patches, long residentKiB, long heapUsedKiB, long heapCommittedKiB, double seconds) {

		/** Resident memory not committed to the Java heap (native buffers, TensorFlow, code), KiB. */
		public long outsideHeapKiB() {
			return residentKiB - heapCommittedKiB;
		}
	}

	/**
	 * @param model the model's name
	 * @param info where it ran
	 * @param patchSize (x, y, z)
	 * @param batch patches per batch
	 * @param samples memory samples, the first taken after the warm-up
	 */
	public record Report(String model, EngineInfo info, int[] patchSize, int batch, List<Sample> samples) {

		/** Resident size growth from the first to the last sample, KiB. */
		public long residentGrowthKiB() {
			return samples.get(samples.size() - 1).residentKiB() - samples.get(0).residentKiB();
		}

		/** Growth of the resident memory outside the committed Java heap, first to last sample, KiB. */
		public long outsideHeapGrowthKiB() {
			return samples.get(samples.size() - 1).outsideHeapKiB() - samples.get(0).outsideHeapKiB();
		}

		/** Largest resident size sampled, KiB. */
		public long residentMaxKiB() {
			return samples.stream().mapToLong(Sample::residentKiB).max().orElse(-1);
		}
	}

	/**
	 * @param pkgPath a model package, or {@code null} for a synthetic network (three 3x3x3
	 *        convolutions, 1 -> 16 -> 16 -> 2 channels, on 32^3 patches)
	 * @param patches patches to run after a warm-up of {@code warmup} patches
	 * @param batch patches per {@code predict}
	 * @param sampleEvery sample memory every this many patches
	 * @param progress receives each sample as it is taken
	 */
	public static Report run(Path pkgPath, int patches, int warmup, int batch, int sampleEvery, EngineOptions options,
			Consumer<Sample> progress) throws IOException {
		Path tmp = null;
		try {
			if (pkgPath == null) {
				tmp = Files.createTempDirectory("volseg-bench-");
				pkgPath = writeSyntheticModel(tmp.resolve("synthetic"), 32);
			}
			try (ModelPackage pkg = ModelPackage.open(pkgPath); Engine engine = Engine.load(pkg, options)) {
				int[] patch = pkg.descriptor().volseg().patchSizeArray();
				int n = batch * patch[0] * patch[1] * patch[2] * engine.inputChannels();
				float[][] inputs = new float[4][n];
				Random r = new Random(1);
				for (float[] in : inputs)
					for (int i = 0; i < n; i++)
						in[i] = (float) r.nextGaussian();
				for (int done = 0; done < warmup; done += batch)
					engine.predict(inputs[0], batch, patch);
				List<Sample> samples = new ArrayList<>();
				long t0 = System.nanoTime();
				samples.add(sample(0, t0, progress));
				for (int done = 0; done < patches;) {
					engine.predict(inputs[(done / batch) % inputs.length], batch, patch);
					done += batch;
					if (done % sampleEvery < batch || done >= patches)
						samples.add(sample(done, t0, progress));
				}
				return new Report(pkg.descriptor().name(), engine.info(), patch, batch, samples);
			}
		} finally {
			if (tmp != null)
				AtomicFiles.deleteRecursively(tmp);
		}
	}

	private static Sample sample(int done, long t0, Consumer<Sample> progress) {
		Runtime rt = Runtime.getRuntime();
		Sample s = new Sample(done, ProcessMemory.residentKiB(), (rt.totalMemory() - rt.freeMemory()) / 1024,
				rt.totalMemory() / 1024, (System.nanoTime() - t0) / 1e9);
		progress.accept(s);
		return s;
	}

	/** Writes the synthetic benchmark network as a model package. */
	static Path writeSyntheticModel(Path dir, int size) throws IOException {
		ModelDescriptor d = ModelDescriptor.builder().name("synthetic conv3d benchmark")
				.description("Three 3x3x3 convolutions with ReLU, 1 -> 16 -> 16 -> 2 channels, random weights")
				.inputChannels(1).patchSize(size, size, size).outputActivation(OutputActivation.SOFTMAX)
				.addClass(0, "background", 0, 0, 0).addClass(1, "foreground", 255, 0, 0).build();
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			Placeholder<TFloat32> in = tf.placeholder(TFloat32.class,
					Placeholder.shape(Shape.of(-1, size, size, size, 1)));
			Random r = new Random(42);
			Operand<TFloat32> x = in;
			int[] channels = { 1, 16, 16, 2 };
			for (int l = 0; l < 3; l++) {
				float[] w = new float[27 * channels[l] * channels[l + 1]];
				for (int i = 0; i < w.length; i++)
					w[i] = (float) (r.nextGaussian() / Math.sqrt(27.0 * channels[l]));
				Operand<TFloat32> kernel = tf.constant(Shape.of(3, 3, 3, channels[l], channels[l + 1]),
						DataBuffers.of(w, true, false));
				x = tf.nn.conv3d(x, kernel, List.of(1L, 1L, 1L, 1L, 1L), "SAME");
				if (l < 2)
					x = tf.nn.relu(x);
			}
			return ModelPackageWriter.write(d, s, in, x, dir, false);
		}
	}
}
