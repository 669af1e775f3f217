package org.volseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.volseg.VolSegException;
import org.volseg.io.nifti.NiftiDatatype;
import org.volseg.io.nifti.NiftiReader;
import org.volseg.io.nifti.NiftiWriter;
import org.volseg.volume.FloatStorage;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code volseg bench io}: writes and reads a synthetic CT-like int16 volume as {@code .nii.gz} and
 * reports throughput in MB/s of uncompressed voxel data (1 MB = 10^6 bytes), by wall-clock time and
 * by the CPU time the JVM spent (all threads), the fairer measure on a busy machine.
 */
@Command(name = "bench-io", hidden = true, mixinStandardHelpOptions = true,
		description = { "Benchmark NIfTI I/O: write and read a synthetic CT-like int16 volume (default 512x512x400) "
				+ "as .nii.gz in a temporary folder and print MB/s of uncompressed voxel data.",
				"Compare with gzip on the same file: run with --keep, then time 'gzip -dc FILE > /dev/null'; "
						+ "decompress it once to RAW and time 'gzip -1 -c RAW > /dev/null' (see docs/bench-io.md)." })
public final class BenchIoCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Option(names = "--size", split = ",", paramLabel = "X,Y,Z", defaultValue = "512,512,400",
			description = "Volume size. Default: ${DEFAULT-VALUE}.")
	List<Long> size;

	@Option(names = "--repeat", defaultValue = "2", description = "Runs of each; the best is reported. Default: ${DEFAULT-VALUE}.")
	int repeat;

	@Option(names = "--dir", paramLabel = "DIR", description = "Folder for the file (default: a new temporary folder).")
	Path dir;

	@Option(names = "--keep", description = "Keep the .nii.gz file and print its path.")
	boolean keep;

	@Override
	public Integer call() throws IOException {
		PrintWriter out = spec.commandLine().getOut();
		if (size.size() != 3 || size.stream().anyMatch(s -> s < 1))
			throw new VolSegException("--size: expected three positive sizes X,Y,Z, got " + size);
		Path folder = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("volseg-bench-io");
		Path file = folder.resolve("bench-int16.nii.gz");
		Volume v = phantom(size.get(0), size.get(1), size.get(2));
		double mb = v.spatialVoxelCount() * 2 / 1e6;
		out.printf(Locale.ROOT, "volume %dx%dx%d int16 = %.1f MB uncompressed, gzip level %d%n", size.get(0), size.get(1),
				size.get(2), mb, NiftiWriter.GZIP_LEVEL);
		double bestWrite = Double.MAX_VALUE, bestRead = Double.MAX_VALUE, bestWriteCpu = Double.MAX_VALUE,
				bestReadCpu = Double.MAX_VALUE;
		for (int r = 0; r < Math.max(1, repeat); r++) {
			long c0 = processCpuNanos(), t0 = System.nanoTime();
			NiftiWriter.write(v, file, NiftiWriter.Options.of(NiftiDatatype.INT16));
			double w = (System.nanoTime() - t0) / 1e9, wc = (processCpuNanos() - c0) / 1e9;
			long c1 = processCpuNanos(), t1 = System.nanoTime();
			Volume back = NiftiReader.read(file).volume();
			double rd = (System.nanoTime() - t1) / 1e9, rc = (processCpuNanos() - c1) / 1e9;
			if (back.spatialVoxelCount() != v.spatialVoxelCount())
				throw new IllegalStateException("read back a different volume");
			back = null;
			out.printf(Locale.ROOT, "run %d: write %.2f s wall, %.2f s CPU (%.0f MB/s wall, %.0f MB/s CPU); "
					+ "read %.2f s wall, %.2f s CPU (%.0f MB/s wall, %.0f MB/s CPU)%n", r + 1, w, wc, mb / w, mb / wc, rd, rc,
					mb / rd, mb / rc);
			out.flush();
			bestWrite = Math.min(bestWrite, w);
			bestRead = Math.min(bestRead, rd);
			bestWriteCpu = Math.min(bestWriteCpu, wc);
			bestReadCpu = Math.min(bestReadCpu, rc);
		}
		long bytes = Files.size(file);
		out.printf(Locale.ROOT, "file %.1f MB (ratio %.2f)%n", bytes / 1e6, mb * 1e6 / bytes);
		out.printf(Locale.ROOT, "best: write %.0f MB/s wall (%.2f s), %.0f MB/s CPU (%.2f s); read %.0f MB/s wall (%.2f s), "
				+ "%.0f MB/s CPU (%.2f s)%n", mb / bestWrite, bestWrite, mb / bestWriteCpu, bestWriteCpu, mb / bestRead, bestRead,
				mb / bestReadCpu, bestReadCpu);
		if (keep)
			out.println("kept " + file);
		else {
			Files.deleteIfExists(file);
			if (dir == null)
				Files.deleteIfExists(folder);
		}
		out.flush();
		return 0;
	}

	/** CPU time of the whole JVM (every thread: compression workers, but also GC and JIT), in ns. */
	private static long processCpuNanos() {
		java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
		if (os instanceof com.sun.management.OperatingSystemMXBean)
			return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
		return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
	}

	/**
	 * A CT-like phantom in HU: air (-1000) around an elliptic body (40 HU soft tissue) with a bone
	 * ring (700 HU), plus gaussian-like noise of about 20 HU, so that it compresses like a real scan.
	 */
	static Volume phantom(long nx, long ny, long nz) {
		Volume v = Volume.allocate(Geometry.ofSpacing(0.7, 0.7, 1.25), nx, ny, nz);
		List<float[]> arrays = FloatStorage.arraysInFlatOrder(v.voxels());
		long seed = 0x9E3779B97F4A7C15L;
		long index = 0;
		for (float[] a : arrays)
			for (int i = 0; i < a.length; i++, index++) {
				long x = index % nx, y = (index / nx) % ny, z = index / (nx * ny);
				double ex = (x - nx / 2.0) / (0.42 * nx), ey = (y - ny / 2.0) / (0.32 * ny);
				double r = ex * ex + ey * ey * (1 + 0.1 * Math.sin(z * 0.05));
				double base = r > 1 ? -1000 : r > 0.85 ? 700 : 40;
				seed ^= seed << 13;
				seed ^= seed >>> 7;
				seed ^= seed << 17;
				// sum of four uniform bytes: roughly gaussian, sd about 20
				double noise = ((seed & 0xff) + (seed >>> 8 & 0xff) + (seed >>> 16 & 0xff) + (seed >>> 24 & 0xff) - 510) * 0.27;
				a[i] = (float) Math.rint(base + (r > 1 ? noise * 0.25 : noise));
			}
		return v;
	}
}
