package org.volseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.volseg.InvalidParameterException;
import org.volseg.VolSegException;
import org.volseg.runtime.Device;
import org.volseg.io.nifti.NiftiDatatype;
import org.volseg.io.nifti.NiftiWriter;
import org.volseg.model.ModelDescriptor;
import org.volseg.model.ModelPackage;
import org.volseg.runtime.PatchPredictor;
import org.volseg.pipeline.SegmentationResult;
import org.volseg.pipeline.SegmentationSettings;
import org.volseg.pipeline.Segmenter;
import org.volseg.volume.FloatStorage;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code volseg bench pipeline}: a developer benchmark of the whole segmentation path. Writes a
 * synthetic CT-like volume of the given size as NIfTI, then segments the file with
 * {@link Segmenter} exactly as {@code volseg segment} does (reading, preprocessing, inference,
 * postprocessing, writing the labels), and reports end-to-end seconds, seconds inside the engine,
 * their ratio (pipeline overhead), voxels per second and the process's peak resident memory
 * ({@code VmHWM} of {@code /proc/self/status}) after loading the model and at the end.
 */
@Command(name = "bench-pipeline", hidden = true, mixinStandardHelpOptions = true,
		description = "Benchmark volseg segment end to end on a synthetic volume (developer tool).")
public final class BenchPipelineCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Option(names = "--model", required = true, paramLabel = "DIR", description = "Model package.")
	Path model;

	@Option(names = "--dims", defaultValue = "256,256,200", paramLabel = "X,Y,Z", description = "Volume size (default ${DEFAULT-VALUE}).")
	String dims;

	@Option(names = "--spacing", defaultValue = "0.8,0.8,1.5", paramLabel = "X,Y,Z", description = "Voxel spacing in mm (default ${DEFAULT-VALUE}).")
	String spacing;

	@Option(names = "--overlap", paramLabel = "F", description = "Window overlap (default: the model's).")
	Double overlap;

	@Option(names = "--batch", defaultValue = "1", paramLabel = "N", description = "Windows per engine call (default ${DEFAULT-VALUE}).")
	int batch;

	@Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "TensorFlow intra-op threads (0 = all cores).")
	int threads;

	@Option(names = "--device", defaultValue = "cpu", paramLabel = "D", description = "cpu, gpu or auto (default ${DEFAULT-VALUE}).")
	String device;

	@Option(names = "--no-network", description = "Replace the network by a predictor that returns zeros at once (same "
			+ "channels as the model): measures the pipeline around the engine (reading, stitching, writing) alone.")
	boolean noNetwork;

	@Option(names = "--input", paramLabel = "FILE", description = "Segment this volume instead of a synthetic one "
			+ "(so that making the synthetic volume does not count in this process's peak memory).")
	Path input;

	@Option(names = "--generate-only", description = "Only write the synthetic volume (to --work-dir) and stop.")
	boolean generateOnly;

	@Option(names = "--save-probabilities", description = "Also write the class probabilities, as `volseg segment "
			+ "--save-probabilities` does (bench-probabilities.nii.gz in the work folder; large ones pass through a "
			+ "temporary file there, docs/segmentation.md \"Memory\").")
	boolean saveProbabilities;

	@Option(names = "--work-dir", paramLabel = "DIR", description = "Where the input and labels files go (default: a temporary folder, deleted).")
	Path workDir;

	@Override
	public Integer call() throws IOException {
		PrintWriter out = spec.commandLine().getOut();
		long[] size = longs("--dims", dims);
		double[] sp = Arrays.stream(spacing.split(",")).mapToDouble(Double::parseDouble).toArray();
		boolean temporary = workDir == null;
		if (generateOnly && temporary)
			throw InvalidParameterException.of("--generate-only", true, "used with --work-dir DIR");
		Path dir = temporary ? Files.createTempDirectory("volseg-bench-pipeline") : Files.createDirectories(workDir);
		try {
			Path in = input;
			if (in == null) {
				in = dir.resolve("bench-input.nii");
				NiftiWriter.write(syntheticCt(size, sp), in, NiftiWriter.Options.of(NiftiDatatype.INT16));
				System.gc();
				out.printf(Locale.ROOT, "wrote %s: %d x %d x %d voxels, %.3g x %.3g x %.3g mm%n", in, size[0], size[1],
						size[2], sp[0], sp[1], sp[2]);
				if (generateOnly)
					return 0;
			} else
				out.printf(Locale.ROOT, "input %s%n", in);
			SegmentationSettings settings = SegmentationSettings.builder().overlap(overlap).batch(batch).threads(threads)
					.device(Device.parse(device, "--device")).labelsOutput(dir.resolve("bench-labels.nii.gz"))
					.probabilitiesOutput(saveProbabilities ? dir.resolve("bench-probabilities.nii.gz") : null).build();
			long t0 = System.nanoTime();
			try (Segmenter segmenter = noNetwork ? zeros(model) : Segmenter.load(model, settings.engineOptions())) {
				double load = (System.nanoTime() - t0) * 1e-9;
				long hwmLoaded = statusKiB("VmHWM");
				out.printf(Locale.ROOT, "model loaded in %.2f s on %s; VmHWM after loading %.0f MiB%n", load,
						segmenter.device(), hwmLoaded / 1024.0);
				out.flush();
				SegmentationResult r = segmenter.segment(in, settings, new ProgressPrinter(spec.commandLine().getErr(),
						ProgressPrinter.Mode.LINES), () -> false);
				long hwm = statusKiB("VmHWM");
				out.printf(Locale.ROOT, "windows %d (%d batches of %d), model grid %s%n", r.windows(), r.batches(), batch,
						Arrays.toString(r.modelGrid()));
				StringBuilder stages = new StringBuilder();
				for (Map.Entry<String, Double> e : r.seconds().entrySet())
					stages.append(String.format(Locale.ROOT, " %s %.2f", e.getKey(), e.getValue()));
				out.printf(Locale.ROOT, "stages (s):%s%n", stages);
				out.printf(Locale.ROOT, "end-to-end %.2f s, inside the engine %.2f s, overhead (end-to-end / engine) %.4f%n",
						r.secondsTotal(), r.secondsEngine(), r.overhead());
				out.print(SegmentCommand.startupLine(load, r.secondsFirstBatch(), r.secondsPerBatchAfterFirst()));
				out.printf(Locale.ROOT, "voxels/s %.0f (end to end), %.0f (engine time only)%n", r.voxelsPerSecond(),
						r.labels().spatialVoxelCount() / r.secondsEngine());
				out.printf(Locale.ROOT, "peak resident memory VmHWM %.0f MiB (%.2f GiB); Java max heap %.0f MiB%n",
						hwm / 1024.0, hwm / 1024.0 / 1024.0, Runtime.getRuntime().maxMemory() / 1048576.0);
			}
			return 0;
		} finally {
			if (temporary)
				deleteTree(dir);
		}
	}

	/** A segmenter whose "network" returns zeros with the model's channel counts, at once. */
	private static Segmenter zeros(Path model) {
		try (ModelPackage pkg = ModelPackage.open(model)) {
			ModelDescriptor d = pkg.descriptor();
			int in = d.input().channels(), out = d.output().channels();
			return Segmenter.of(d, new PatchPredictor() {
				@Override
				public int inputChannels() {
					return in;
				}

				@Override
				public int outputChannels() {
					return out;
				}

				@Override
				public float[] predict(float[] patches, int batch, int[] size) {
					return new float[batch * size[0] * size[1] * size[2] * out];
				}

				@Override
				public float[] predict(float[] patches, int batch, int[] size, float[] reuse) { // as the engine does
					if (reuse == null || reuse.length != batch * size[0] * size[1] * size[2] * out)
						return predict(patches, batch, size);
					Arrays.fill(reuse, 0f);
					return reuse;
				}
			}, "none (--no-network: zeros)");
		}
	}

	/** A smooth CT-like volume (air, soft tissue, bone values) that is cheap to make. */
	static Volume syntheticCt(long[] size, double[] spacing) {
		Volume v = Volume.allocate(Geometry.ofSpacing(spacing[0], spacing[1], spacing[2]), size);
		List<float[]> planes = FloatStorage.arraysInFlatOrder(v.voxels());
		int nx = (int) size[0], ny = (int) size[1];
		java.util.stream.IntStream.range(0, planes.size()).parallel().forEach(z -> {
			float[] p = planes.get(z);
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++) {
					double dx = (x - nx / 2.0) / (nx / 2.5), dy = (y - ny / 2.0) / (ny / 3.0);
					double r = dx * dx + dy * dy;
					double value = r > 1 ? -1000 : 40 + 60 * Math.sin(x * 0.07) * Math.cos(y * 0.05 + z * 0.03);
					if (r < 0.05)
						value = 700;
					p[y * nx + x] = (float) Math.rint(value);
				}
		});
		return v;
	}

	private static long[] longs(String flag, String text) {
		try {
			long[] v = Arrays.stream(text.split(",")).mapToLong(s -> Long.parseLong(s.trim())).toArray();
			if (v.length == 3 && Arrays.stream(v).allMatch(x -> x > 0))
				return v;
		} catch (NumberFormatException e) {
			// below
		}
		throw InvalidParameterException.of(flag, text, "three positive sizes X,Y,Z");
	}

	/** A {@code kB} field of {@code /proc/self/status}, or -1 where there is none. */
	static long statusKiB(String field) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status")))
				if (line.startsWith(field + ":"))
					return Long.parseLong(line.replaceAll("[^0-9]", ""));
		} catch (IOException | NumberFormatException e) {
			return -1;
		}
		return -1;
	}

	private static void deleteTree(Path dir) {
		try (Stream<Path> s = Files.walk(dir)) {
			s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
				try {
					Files.deleteIfExists(p);
				} catch (IOException ignored) {
					// temporary folder
				}
			});
		} catch (IOException e) {
			throw new VolSegException(dir + ": cannot clean up: " + e.getMessage(), e);
		}
	}
}
