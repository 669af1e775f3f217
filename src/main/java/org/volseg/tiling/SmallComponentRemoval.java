package org.volseg.tiling;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntToLongFunction;

import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.blocks.PrimitiveBlocks;
import net.imglib2.type.numeric.real.FloatType;

import org.volseg.InvalidParameterException;
import org.volseg.VolSegException;

/**
 * Removes connected components smaller than a given number of voxels from a label image, class by
 * class (MONAI's {@code RemoveSmallObjects} applied per label): a component is a maximal set of
 * voxels with the same non-zero label, connected through neighbours of the chosen
 * {@link Connectivity}; voxels of a removed component become 0 (background). Label 0 is never
 * touched. Labels are integers stored as floats.
 *
 * <p>Memory: a float copy of the labels, one bit per voxel and one int per voxel of the largest
 * component. The image is modified in place; not thread-safe with respect to other users of it.</p>
 */
public final class SmallComponentRemoval {

	/** Which neighbours connect a voxel to its component. */
	public enum Connectivity {
		/** The 6 face neighbours. */
		FACES_6,
		/** The 26 neighbours sharing a face, an edge or a corner (scipy/skimage {@code connectivity=3}). */
		FULL_26
	}

	/**
	 * What was removed.
	 *
	 * @param componentsByLabel removed components per label (labels with none are absent)
	 * @param voxelsByLabel removed voxels per label
	 */
	public record Summary(Map<Integer, Integer> componentsByLabel, Map<Integer, Long> voxelsByLabel) {

		public long voxels() {
			return voxelsByLabel.values().stream().mapToLong(Long::longValue).sum();
		}
	}

	private SmallComponentRemoval() {
	}

	/**
	 * Removes, for every label, the components with fewer than {@code minVoxels} voxels.
	 *
	 * @param labels (x, y, z) label image, modified in place
	 * @param minVoxels components smaller than this are removed; 0 or 1 removes nothing
	 */
	public static Summary removeSmallComponents(RandomAccessibleInterval<FloatType> labels, long minVoxels,
			Connectivity connectivity) {
		if (minVoxels < 0)
			throw InvalidParameterException.of("minimum component size", minVoxels, "a number of voxels >= 0");
		return remove(labels, label -> minVoxels, connectivity);
	}

	/**
	 * Removes, for each label in the map, the components with fewer voxels than its value; labels
	 * not in the map are kept whole.
	 */
	public static Summary removeSmallComponents(RandomAccessibleInterval<FloatType> labels,
			Map<Integer, Long> minVoxelsByLabel, Connectivity connectivity) {
		for (Map.Entry<Integer, Long> e : minVoxelsByLabel.entrySet())
			if (e.getValue() == null || e.getValue() < 0)
				throw InvalidParameterException.of("minimum component size of label " + e.getKey(), e.getValue(),
						"a number of voxels >= 0");
		return remove(labels, label -> minVoxelsByLabel.getOrDefault(label, 0L), connectivity);
	}

	private static Summary remove(RandomAccessibleInterval<FloatType> labels, IntToLongFunction minVoxels,
			Connectivity connectivity) {
		if (labels.numDimensions() != 3)
			throw new IllegalArgumentException("a label image has 3 dimensions (x, y, z), got " + labels.numDimensions());
		long count = labels.size();
		if (count > Integer.MAX_VALUE - 8)
			throw new VolSegException("label image of " + count + " voxels is too large to remove small components "
					+ "(at most " + (Integer.MAX_VALUE - 8) + ")");
		int nx = (int) labels.dimension(0), ny = (int) labels.dimension(1), nz = (int) labels.dimension(2);
		float[] values = new float[(int) count];
		PrimitiveBlocks.of(labels, PrimitiveBlocks.OnFallback.ACCEPT).copy(labels.minAsLongArray(), values,
				new int[] { nx, ny, nz });
		int[][] offsets = neighbourOffsets(connectivity);
		BitSet visited = new BitSet(values.length);
		int[] members = new int[1024];
		Map<Integer, Integer> components = new TreeMap<>();
		Map<Integer, Long> voxels = new TreeMap<>();
		RandomAccess<FloatType> access = labels.randomAccess();
		long[] min = labels.minAsLongArray();
		for (int seed = 0; seed < values.length; seed++) {
			float value = values[seed];
			if (value == 0 || visited.get(seed))
				continue;
			int label = (int) value;
			long minSize = minVoxels.applyAsLong(label);
			if (minSize <= 1) {
				visited.set(seed);
				continue;
			}
			// breadth-first search; members doubles as the queue
			int size = 0, head = 0;
			members[size++] = seed;
			visited.set(seed);
			while (head < size) {
				int v = members[head++];
				int x = v % nx, y = (v / nx) % ny, z = v / (nx * ny);
				for (int[] o : offsets) {
					int xx = x + o[0], yy = y + o[1], zz = z + o[2];
					if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz)
						continue;
					int u = (zz * ny + yy) * nx + xx;
					if (values[u] != value || visited.get(u))
						continue;
					visited.set(u);
					if (size == members.length)
						members = Arrays.copyOf(members, (int) Math.min((long) size * 2, Integer.MAX_VALUE - 8));
					members[size++] = u;
				}
			}
			if (size >= minSize)
				continue;
			for (int i = 0; i < size; i++) {
				int v = members[i];
				access.setPosition(new long[] { min[0] + v % nx, min[1] + (v / nx) % ny, min[2] + v / (nx * ny) });
				access.get().set(0f);
			}
			components.merge(label, 1, Integer::sum);
			voxels.merge(label, (long) size, Long::sum);
		}
		return new Summary(Collections.unmodifiableMap(components), Collections.unmodifiableMap(voxels));
	}

	private static int[][] neighbourOffsets(Connectivity connectivity) {
		if (connectivity == Connectivity.FACES_6)
			return new int[][] { { -1, 0, 0 }, { 1, 0, 0 }, { 0, -1, 0 }, { 0, 1, 0 }, { 0, 0, -1 }, { 0, 0, 1 } };
		int[][] o = new int[26][];
		int i = 0;
		for (int dz = -1; dz <= 1; dz++)
			for (int dy = -1; dy <= 1; dy++)
				for (int dx = -1; dx <= 1; dx++)
					if (dx != 0 || dy != 0 || dz != 0)
						o[i++] = new int[] { dx, dy, dz };
		return o;
	}
}
