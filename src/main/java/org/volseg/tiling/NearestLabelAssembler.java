package org.volseg.tiling;

import java.util.Objects;

import org.volseg.volume.Geometry;
import org.volseg.volume.IntegerVoxels;
import org.volseg.volume.Resample;
import org.volseg.volume.Volume;

import net.imglib2.type.numeric.integer.UnsignedByteType;

/**
 * The {@link StitchOutput} that assembles a label map straight onto another grid whose axes map one to
 * one onto the stitched volume's ({@link Resample#nearestAlongAxes}: a scan's grid and the model grid made
 * from it): each finished row of the stitched volume is written into every target row that takes its
 * labels from it by nearest neighbour. The result equals a label map assembled on the stitched grid
 * ({@link VolumeAssembler#labels}) and then resampled with {@link Resample#onto} (nearest, border padding),
 * without that second pass after the last window: the work is done row by row while the windows are
 * stitched. Labels 0 to 255, kept as unsigned bytes (one array per target plane, allocated up front:
 * the whole target map is held while the inference runs). Not thread-safe.
 */
public final class NearestLabelAssembler implements AssembledVolume {

	private final Finalizer finalizer;
	private final int[] targetX;
	/** For each source row y and plane z: the target rows and planes that take it. */
	private final int[][] targetRowsOf, targetPlanesOf;
	private final Geometry geometry;
	private final long[] targetDims;
	private final IntegerVoxels<UnsignedByteType> voxels;
	private final byte[][] planes;
	private final int width;
	private long rowsWritten;

	/**
	 * @param finalizer writes one channel: labels from 0 to 255
	 * @param classes the network's output channels
	 * @param sourceDims (x, y, z) of the volume the stitcher works on
	 * @param along per target axis, the source index of every target index, as
	 *        {@link Resample#nearestAlongAxes} gives them (each from 0 to the source size - 1)
	 * @param geometry the target grid's geometry
	 * @throws IllegalArgumentException if the finaliser writes more than one channel or an index is outside the source
	 */
	public NearestLabelAssembler(Finalizer finalizer, int classes, long[] sourceDims, int[][] along, Geometry geometry) {
		this.finalizer = Objects.requireNonNull(finalizer, "finalizer");
		if (finalizer.channels(classes) != 1)
			throw new IllegalArgumentException("a label map takes one channel, " + finalizer + " writes "
					+ finalizer.channels(classes));
		this.targetX = along[0].clone();
		this.targetRowsOf = inverse(along[1], sourceDims[1], "y");
		this.targetPlanesOf = inverse(along[2], sourceDims[2], "z");
		requireWithin(targetX, sourceDims[0], "x");
		this.geometry = Objects.requireNonNull(geometry, "geometry");
		this.targetDims = new long[] { along[0].length, along[1].length, along[2].length };
		this.width = along[0].length;
		this.voxels = IntegerVoxels.allocateUnsignedBytes(targetDims);
		this.planes = IntegerVoxels.unsignedBytesInFlatOrder(voxels).toArray(new byte[0][]);
	}

	/** For each source index, the target indices mapped onto it, in increasing order. */
	private static int[][] inverse(int[] sourceOf, long sources, String axis) {
		requireWithin(sourceOf, sources, axis);
		int[] count = new int[Math.toIntExact(sources)];
		for (int source : sourceOf)
			count[source]++;
		int[][] inverse = new int[count.length][];
		for (int s = 0; s < count.length; s++)
			inverse[s] = new int[count[s]];
		int[] filled = new int[count.length];
		for (int t = 0; t < sourceOf.length; t++)
			inverse[sourceOf[t]][filled[sourceOf[t]]++] = t;
		return inverse;
	}

	/** @throws IllegalArgumentException if a target index maps outside the source's {@code sources} indices */
	private static void requireWithin(int[] sourceOf, long sources, String axis) {
		for (int t = 0; t < sourceOf.length; t++)
			if (sourceOf[t] < 0 || sourceOf[t] >= sources)
				throw new IllegalArgumentException("target " + axis + " " + t + " maps to source index " + sourceOf[t]
						+ ", outside 0.." + (sources - 1));
	}

	@Override
	public Finalizer finalizer() {
		return finalizer;
	}

	@Override
	public void acceptRow(long y, long z, float[] values) {
		int[] rows = targetRowsOf[(int) y], planesOfRow = targetPlanesOf[(int) z];
		if (rows.length == 0 || planesOfRow.length == 0)
			return; // no target voxel takes its labels from this row
		byte[] first = planes[planesOfRow[0]];
		int at = rows[0] * width;
		writeRow(values, first, at);
		for (int p = 0; p < planesOfRow.length; p++)
			for (int r = 0; r < rows.length; r++)
				if (p > 0 || r > 0)
					System.arraycopy(first, at, planes[planesOfRow[p]], rows[r] * width, width);
		rowsWritten += (long) rows.length * planesOfRow.length;
	}

	/** The target row from the source row's labels (a method per row: compiled early in a fresh JVM). */
	private void writeRow(float[] labels, byte[] plane, int at) {
		for (int x = 0; x < width; x++)
			plane[at + x] = (byte) (int) labels[targetX[x]];
	}

	/**
	 * The label map on the target grid, (x, y, z), its voxels a float view of the byte planes.
	 *
	 * @throws IllegalStateException unless every target row was written (every source row received)
	 */
	@Override
	public Volume volume() {
		long rows = targetDims[1] * targetDims[2];
		if (rowsWritten != rows)
			throw new IllegalStateException("received rows for " + rowsWritten + " of " + rows + " target rows");
		return new Volume(voxels, geometry);
	}
}
