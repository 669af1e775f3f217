package org.volseg.volume;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Lossless reorientation: permutes and flips a volume's x, y, z axes so that its orientation code
 * (see {@link Orientation}) becomes a target code. No voxel is interpolated; the channel axis of a
 * 4D volume is left in place. The geometry is updated so that every voxel keeps its world position.
 *
 * <p>The result is a view: it shares the source's voxels (writes through) and costs no memory.
 * Copy it if a contiguous image is needed. Stateless and thread-safe.</p>
 */
public final class Reorient {

	private Reorient() {}

	/**
	 * @param target the wanted orientation, for example {@code Orientation.parse("RAS")}
	 * @return a volume whose {@code Orientation.of(geometry())} equals {@code target} (for oblique
	 *         or sheared geometries, the code of the closest axis-aligned orientation), or
	 *         {@code volume} itself if it already has that orientation
	 */
	public static Volume to(Volume volume, Orientation target) {
		Orientation source = Orientation.of(volume.geometry());
		if (source.equals(target))
			return volume;
		// newAxisOf[i]: the axis of the result that source axis i becomes; flip[i]: reversed or not
		int[] newAxisOf = new int[3];
		boolean[] flip = new boolean[3];
		for (int i = 0; i < 3; i++)
			for (int t = 0; t < 3; t++)
				if (target.worldAxis(t) == source.worldAxis(i)) {
					newAxisOf[i] = t;
					flip[i] = target.sign(t) != source.sign(i);
				}
		long[] dims = volume.dimensions();
		// stored integers are reoriented below their conversion to floats, so that they stay stored voxels
		// (read in bulk, StoredBlocks)
		RandomAccessibleInterval<FloatType> view = volume.voxels() instanceof StoredVoxels<?> stored
				? reoriented(stored, flip, newAxisOf)
				: reoriented(volume.voxels(), flip, newAxisOf);

		// new voxel v' -> old voxel v: v_i = flip_i ? dims_i - 1 - v'_{t_i} : v'_{t_i}
		double[][] map = new double[4][4];
		map[3][3] = 1;
		for (int i = 0; i < 3; i++) {
			map[i][newAxisOf[i]] = flip[i] ? -1 : 1;
			map[i][3] = flip[i] ? dims[i] - 1 : 0;
		}
		return new Volume(view, volume.geometry().compose(map));
	}

	/** {@link #to(Volume, Orientation)} with a code such as {@code "PSL"}. */
	public static Volume to(Volume volume, String targetCode) {
		return to(volume, Orientation.parse(targetCode));
	}

	private static <T extends RealType<T>> StoredVoxels<T> reoriented(StoredVoxels<T> voxels, boolean[] flip, int[] newAxisOf) {
		return voxels.withStored(reoriented(voxels.stored(), flip, newAxisOf));
	}

	/** Reverses the axes with {@code flip[i]}, then moves axis i to {@code newAxisOf[i]}. */
	private static <T> RandomAccessibleInterval<T> reoriented(RandomAccessibleInterval<T> voxels, boolean[] flip,
			int[] newAxisOf) {
		RandomAccessibleInterval<T> view = voxels;
		for (int i = 0; i < 3; i++)
			if (flip[i])
				view = Views.zeroMin(Views.invertAxis(view, i));
		return permute(view, newAxisOf);
	}

	/** Moves source axis i to position {@code newAxisOf[i]} (i < 3) by successive swaps. */
	private static <T> RandomAccessibleInterval<T> permute(RandomAccessibleInterval<T> view, int[] newAxisOf) {
		// position[t]: which source axis currently sits at result position t
		int[] position = { 0, 1, 2 };
		for (int t = 0; t < 3; t++) {
			int wanted = -1;
			for (int i = 0; i < 3; i++)
				if (newAxisOf[i] == t)
					wanted = i;
			int at = -1;
			for (int p = 0; p < 3; p++)
				if (position[p] == wanted)
					at = p;
			if (at != t) {
				view = Views.permute(view, at, t);
				int tmp = position[at];
				position[at] = position[t];
				position[t] = tmp;
			}
		}
		return view;
	}
}
