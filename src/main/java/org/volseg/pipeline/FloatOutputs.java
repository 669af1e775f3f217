package org.volseg.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.volseg.VolSegException;
import org.volseg.tiling.AssembledVolume;
import org.volseg.tiling.DiskVolumeAssembler;
import org.volseg.tiling.Finalizer;
import org.volseg.tiling.TilePlan;
import org.volseg.tiling.VolumeAssembler;
import org.volseg.volume.FloatFile;
import org.volseg.volume.FloatStorage;
import org.volseg.volume.Geometry;
import org.volseg.volume.PlaneReader;
import org.volseg.volume.Resample;
import org.volseg.volume.StoredVoxels;
import org.volseg.volume.Volume;

/**
 * Where a segmentation keeps its whole-volume float outputs (logits, probabilities): in the Java
 * heap ({@link VolumeAssembler}) when they are small, else in temporary files
 * ({@link DiskVolumeAssembler}, {@link FloatFile}) so that they never sit whole in memory: 14 classes
 * of a 512 x 512 x 400 scan are 5.9 GB. The choice: on disk when one output's floats
 * ({@code 4 x channels x voxels} bytes) exceed {@value #DEFAULT_THRESHOLD_MIB} MiB, or the number of
 * bytes in the system property {@value #THRESHOLD_PROPERTY} (0: always on disk). The files written
 * from either are the same byte for byte.
 *
 * <p>Temporary files go into the folder of an output (that of the logits or probabilities first; so
 * they are on the disk the outputs go to) that exists and has room for them, else into
 * {@code java.io.tmpdir}; they are hidden
 * ({@code .volseg-floats-*.tmp}), unlinked as soon as they are opened where the system allows it, and
 * deleted by {@link #close()}, which the segmenter calls after writing, also after a failure or a
 * cancellation. Carrying a disk-backed output back onto the input grid ({@link #onInputGrid}), or
 * one that only becomes large there, works channel by channel into another temporary file: only one
 * channel on the model grid and one on the input grid are in memory at a time. Not thread-safe; one per segmentation.</p>
 */
final class FloatOutputs implements AutoCloseable {

	/** System property: bytes above which an output is kept on disk. */
	static final String THRESHOLD_PROPERTY = "volseg.floatOutputsOnDiskAbove";
	static final long DEFAULT_THRESHOLD_MIB = 128;

	private final List<OutputSink> sinks;
	private final List<AutoCloseable> files = new ArrayList<>();

	/** @param sinks the segmentation's outputs (their folders hold the temporary files) */
	FloatOutputs(List<OutputSink> sinks) {
		this.sinks = sinks;
	}

	/** The size above which an output goes to disk, in bytes. */
	static long thresholdBytes() {
		return Long.getLong(THRESHOLD_PROPERTY, DEFAULT_THRESHOLD_MIB << 20);
	}

	/**
	 * A whole-volume output of the finaliser's floats on a grid of that size and placement.
	 *
	 * @throws VolSegException if a temporary file cannot be created
	 */
	AssembledVolume create(Finalizer finalizer, int classes, long[] dimensions, Geometry geometry) {
		long bytes = 4L * finalizer.channels(classes) * dimensions[0] * dimensions[1] * dimensions[2];
		if (bytes <= thresholdBytes())
			return VolumeAssembler.floats(finalizer, classes, dimensions, geometry);
		Path folder = folder(bytes);
		try {
			DiskVolumeAssembler a = DiskVolumeAssembler.floats(finalizer, classes, dimensions, geometry, folder);
			files.add(a);
			return a;
		} catch (IOException e) {
			throw cannotCreate(folder, bytes, e);
		}
	}

	/**
	 * A float output (x, y, z, class) from the model grid onto the input grid: the crop's box put back
	 * into the full model grid (zeros outside), then resampled trilinearly unless the grids agree, as
	 * the segmenter does for outputs in memory, with the same values. The result is kept on disk if
	 * the output was, or if it is above the threshold on the input grid (a coarse model grid, a fine
	 * scan); then the work goes channel by channel. Otherwise it goes through {@code inMemory}.
	 *
	 * @param onBox the output on the crop's box (the whole model grid without a crop); null if nothing
	 *        was run (all zeros)
	 * @param inMemory the segmenter's own path, for outputs kept in memory
	 */
	Volume onInputGrid(Volume onBox, ForegroundCrop crop, int classes, long[] inputDims,
			Geometry inputGeometry, java.util.function.UnaryOperator<Volume> inMemory) {
		long bytes = 4L * classes * inputDims[0] * inputDims[1] * inputDims[2];
		FloatFile in = onBox == null ? null : FloatFile.backing(onBox.voxels());
		List<float[]> inMemoryPlanes = onBox == null || in != null ? null : FloatStorage.arraysInFlatOrder(onBox.voxels());
		if (in == null && (bytes <= thresholdBytes() || onBox != null && inMemoryPlanes == null))
			return inMemory.apply(onBox);
		if (onBox != null && crop == null && Arrays.equals(Arrays.copyOf(onBox.dimensions(), 3), inputDims)
				&& onBox.geometry().equalsWithin(inputGeometry, 1e-9))
			return onBox.withGeometry(inputGeometry); // the same grid: nothing to carry
		// 4D unless the output has one channel (all-zero outputs of a run that had nothing to do are 4D, as in memory)
		long[] dims = onBox != null && onBox.voxels().numDimensions() == 3 ? inputDims.clone()
				: new long[] { inputDims[0], inputDims[1], inputDims[2], classes };
		FloatFile out = newFile(bytes, dims);
		if (onBox == null)
			return out.volume(inputGeometry); // never written: zeros
		long[] boxDims = Arrays.copyOf(onBox.dimensions(), 3);
		int planeVoxels = Math.toIntExact(boxDims[0] * boxDims[1]);
		for (int c = 0; c < classes; c++) {
			// one channel on the model's box, in memory
			Volume channel = Volume.allocate(onBox.geometry(), boxDims);
			List<float[]> planes = FloatStorage.arraysInFlatOrder(channel.voxels());
			for (int z = 0; z < planes.size(); z++) {
				long plane = c * boxDims[2] + z;
				if (in != null)
					in.read(plane * planeVoxels, planes.get(z), 0, planeVoxels);
				else
					System.arraycopy(inMemoryPlanes.get((int) plane), 0, planes.get(z), 0, planeVoxels);
			}
			Volume full = crop == null ? channel : crop.padBack(channel);
			Volume resampled = Segmenter.toInputGrid(full, inputDims, inputGeometry, Resample.Interpolation.LINEAR);
			List<float[]> result = FloatStorage.arraysInFlatOrder(resampled.voxels());
			if (result == null)
				throw new IllegalStateException("a resampled channel is not stored in Java arrays");
			long index = (long) c * inputDims[0] * inputDims[1] * inputDims[2];
			for (float[] plane : result) {
				out.write(index, plane, 0, plane.length);
				index += plane.length;
			}
		}
		return out.volume(inputGeometry);
	}

	/** Edge along y and z of the blocks in which a network input kept on disk is read back. */
	static final int INPUT_BLOCK = 16;

	/**
	 * The network's input on the model grid, moved out of the Java heap into a temporary file when it has
	 * one channel and its voxels take more than the {@linkplain #thresholdBytes() threshold} there (2
	 * bytes a voxel kept as stored integers, else 4; a 512 x 512 x 400 CT: 200 MiB); the sliding window
	 * then reads it back in blocks of x-rows ({@link FloatFile#blockVolume}) through a cache of
	 * {@link #inputCacheBytes} for the plan. The values are the same floats. Otherwise, or if the file
	 * cannot be created or written (a full disk), the input itself: it then stays in memory, as before.
	 * The caller must drop its own references to the input for the heap to be freed.
	 */
	Volume inputOnDisk(Volume input, TilePlan plan) {
		long[] dims = input.voxels().dimensionsAsLongArray();
		long voxels = dims.length == 3 ? dims[0] * dims[1] * dims[2] : 0;
		long heapBytes = (input.voxels() instanceof StoredVoxels<?> ? 2 : 4) * voxels;
		if (dims.length != 3 || heapBytes <= thresholdBytes() || FloatFile.backing(input.voxels()) != null)
			return input;
		Path folder = folder(4 * voxels);
		FloatFile file = null;
		try {
			file = FloatFile.create(folder, dims);
			PlaneReader planes = PlaneReader.of(input.voxels());
			int plane = planes.planeVoxels();
			float[] values = new float[plane];
			for (long z = 0; z < dims[2]; z++)
				file.write(z * plane, planes.read(z, values), 0, plane);
		} catch (IOException | VolSegException e) {
			if (file != null)
				file.close();
			return input;
		}
		files.add(file);
		return file.blockVolume(input.geometry(), INPUT_BLOCK, inputCacheBytes(plan));
	}

	/**
	 * Bytes of input blocks to keep for a plan: the blocks of two windows of the slow axis that are swept
	 * together, along one window of the middle axis, one block more on each side (all of x).
	 */
	static long inputCacheBytes(TilePlan plan) {
		int[] roi = plan.roi();
		boolean ySlowest = plan.order() == TilePlan.Order.Y_SLOWEST_LAST_PAIRED;
		long slow = ySlowest ? roi[1] : roi[2], middle = ySlowest ? roi[2] : roi[1];
		return 4L * plan.imageSize()[0] * (2 * slow + 2 * INPUT_BLOCK) * (middle + 2 * INPUT_BLOCK);
	}

	private FloatFile newFile(long bytes, long[] dims) {
		Path folder = folder(bytes);
		try {
			FloatFile f = FloatFile.create(folder, dims);
			files.add(f);
			return f;
		} catch (IOException e) {
			throw cannotCreate(folder, bytes, e);
		}
	}

	private static VolSegException cannotCreate(Path folder, long bytes, IOException e) {
		return new VolSegException(String.format(Locale.ROOT, "%s: cannot create a temporary file for %.1f GB of "
				+ "logits or probabilities (%s); make the output folder writable, or drop --save-logits / "
				+ "--save-probabilities", folder, bytes / 1e9, e.getMessage()), e);
	}

	/**
	 * Where a temporary file of that size goes: the folders of the outputs (those of logits and
	 * probabilities first) that exist and are writable, then {@code java.io.tmpdir}; the first of them
	 * with room for it, else the first of them (writing then fails with a message naming the disk).
	 */
	private Path folder(long bytes) {
		List<Path> candidates = new ArrayList<>();
		for (boolean floats : new boolean[] { true, false })
			for (OutputSink s : sinks)
				if ((s.needsLogits() || s.needsProbabilities()) == floats) {
					Path dir = s.target().toAbsolutePath().getParent();
					if (dir != null && Files.isDirectory(dir) && Files.isWritable(dir) && !candidates.contains(dir))
						candidates.add(dir);
				}
		candidates.add(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath());
		for (Path dir : candidates)
			try {
				if (Files.getFileStore(dir).getUsableSpace() >= bytes)
					return dir;
			} catch (IOException e) {
				// unknown: try the next
			}
		return candidates.get(0);
	}

	/** Deletes every temporary file. */
	@Override
	public void close() {
		RuntimeException first = null;
		for (AutoCloseable f : files)
			try {
				f.close();
			} catch (Exception e) {
				if (first == null)
					first = e instanceof RuntimeException r ? r : new UncheckedIOException(new IOException(e));
			}
		files.clear();
		if (first != null)
			throw first;
	}
}
