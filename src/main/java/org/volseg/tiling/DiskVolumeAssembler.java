package org.volseg.tiling;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

import org.volseg.volume.FloatFile;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

/**
 * The {@link StitchOutput} that writes finished rows of float values (logits, probabilities) at
 * their place in a temporary {@link FloatFile} instead of keeping the whole volume in the Java heap:
 * a 512 x 512 x 400 scan with 14 classes is 5.9 GB of floats, which this holds on disk (and in the
 * operating system's page cache, which is not the process's resident memory). Layout (x, y, z,
 * channel) as {@link VolumeAssembler#floats}, so {@link #volume()} (a view reading planes on demand)
 * is voxel for voxel what {@code VolumeAssembler} gives.
 *
 * <p>Rows of one plane that arrive one after the other (the stitcher completes a window's rows plane
 * by plane, y ascending) are gathered, up to about 4 MiB, and written with one positional write per
 * channel. The file is removed by {@link #close()} (and never outlives the process, see
 * {@link FloatFile}); whoever creates this closes it, after the volume's last reader. Not
 * thread-safe: rows come from the stitching thread.</p>
 */
public final class DiskVolumeAssembler implements AssembledVolume, AutoCloseable {

	private static final long RUN_BYTES = 4L << 20;

	private final Finalizer finalizer;
	private final int width, height, depth, channels;
	private final Geometry geometry;
	private final FloatFile file;
	/** Per plane z: rows received. */
	private final int[] rowsReceived;
	/** The gathered run: rows {@code runY ..} of plane {@code runZ}, channel c of row r at {@code run[(c * runCapacity + r) * width]}. */
	private final float[] run;
	private final int runCapacity;
	private long runZ = -1, runY;
	private int runRows;

	private DiskVolumeAssembler(Finalizer finalizer, int channels, long[] dimensions, Geometry geometry, FloatFile file) {
		this.finalizer = finalizer;
		this.width = Math.toIntExact(dimensions[0]);
		this.height = Math.toIntExact(dimensions[1]);
		this.depth = Math.toIntExact(dimensions[2]);
		this.channels = channels;
		this.geometry = geometry;
		this.file = file;
		this.rowsReceived = new int[depth];
		this.runCapacity = (int) Math.max(1, Math.min(height, RUN_BYTES / (4L * width * channels)));
		this.run = new float[runCapacity * width * channels];
	}

	/**
	 * A whole float volume of the finaliser's output, kept in a new temporary file in {@code folder}.
	 *
	 * @param classes the network's output channels
	 * @param dimensions (x, y, z) of the volume the stitcher works on
	 * @param geometry placement of the output
	 * @throws IOException if the file cannot be created in that folder
	 */
	public static DiskVolumeAssembler floats(Finalizer finalizer, int classes, long[] dimensions, Geometry geometry,
			Path folder) throws IOException {
		Objects.requireNonNull(finalizer, "finalizer");
		int channels = finalizer.channels(classes);
		long[] dims = channels == 1 ? new long[] { dimensions[0], dimensions[1], dimensions[2] }
				: new long[] { dimensions[0], dimensions[1], dimensions[2], channels };
		return new DiskVolumeAssembler(finalizer, channels, dims, geometry, FloatFile.create(folder, dims));
	}

	@Override
	public Finalizer finalizer() {
		return finalizer;
	}

	/** The temporary file (for messages). */
	public Path path() {
		return file.path();
	}

	@Override
	public void acceptRow(long y, long z, float[] values) {
		if (runRows > 0 && (z != runZ || y != runY + runRows || runRows == runCapacity))
			flush();
		if (runRows == 0) {
			runZ = z;
			runY = y;
		}
		for (int c = 0; c < channels; c++)
			System.arraycopy(values, c * width, run, (c * runCapacity + runRows) * width, width);
		runRows++;
		rowsReceived[(int) z]++;
	}

	private void flush() {
		for (int c = 0; c < channels; c++) {
			long index = ((c * (long) depth + runZ) * height + runY) * width;
			file.write(index, run, c * runCapacity * width, runRows * width);
		}
		runRows = 0;
	}

	/**
	 * The assembled volume, read from the file on demand (read-only); valid until {@link #close()}.
	 *
	 * @throws IllegalStateException unless every row of every plane was received once
	 */
	@Override
	public Volume volume() {
		if (runRows > 0)
			flush();
		for (int z = 0; z < depth; z++)
			if (rowsReceived[z] != height)
				throw new IllegalStateException("plane " + z + ": received " + rowsReceived[z] + " of " + height + " rows");
		return file.volume(geometry);
	}

	/** Deletes the file. */
	@Override
	public void close() {
		file.close();
	}
}
