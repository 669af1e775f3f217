package org.volseg.volume;

import java.util.ArrayList;
import java.util.List;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.cell.AbstractCellImg;
import net.imglib2.img.cell.Cell;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Direct access to the Java arrays behind an image, for code that streams voxels in file order
 * (x fastest, then y, z, channel) without going through a cursor: readers and writers.
 */
public final class FloatStorage {

	private FloatStorage() {}

	/**
	 * The arrays holding an image's voxels, in flat iteration order (x fastest), if the image is a
	 * float {@code ArrayImg}, a float {@code PlanarImg} (as {@link Volume#allocateFloats} makes them:
	 * one array per xy plane) or a {@code CellImg} whose cells are whole xy planes; otherwise null. The arrays are the image's own
	 * storage: writing them writes the image. A {@code LazyCellImg} (such as a {@link FloatFile} view, whose planes
	 * are read on demand) gives null: collecting its planes would load the whole image.
	 */
	@SuppressWarnings("unchecked")
	public static List<float[]> arraysInFlatOrder(RandomAccessibleInterval<FloatType> image) {
		if (image instanceof ArrayImg) {
			Object data = ((ArrayImg<FloatType, ?>) image).update(null);
			if (data instanceof FloatArray)
				return List.of(((FloatArray) data).getCurrentStorageArray());
			return null;
		}
		if (image instanceof PlanarImg) {
			PlanarImg<?, ?> planar = (PlanarImg<?, ?>) image;
			List<float[]> arrays = new ArrayList<>(planar.numSlices());
			for (int i = 0; i < planar.numSlices(); i++) {
				Object data = planar.getPlane(i);
				if (!(data instanceof FloatArray))
					return null;
				arrays.add(((FloatArray) data).getCurrentStorageArray());
			}
			return arrays;
		}
		if (image instanceof net.imglib2.img.cell.LazyCellImg)
			return null;
		if (image instanceof AbstractCellImg) {
			AbstractCellImg<FloatType, ?, ?, ?> cellImg = (AbstractCellImg<FloatType, ?, ?, ?>) image;
			int[] cellDims = new int[image.numDimensions()];
			cellImg.getCellGrid().cellDimensions(cellDims);
			if (cellDims[0] != image.dimension(0) || cellDims[1] != image.dimension(1))
				return null;
			for (int d = 2; d < cellDims.length; d++)
				if (cellDims[d] != 1)
					return null;
			List<float[]> arrays = new ArrayList<>();
			Cursor<?> cells = Views.flatIterable((RandomAccessibleInterval<?>) cellImg.getCells()).cursor();
			while (cells.hasNext()) {
				Object data = ((Cell<?>) cells.next()).getData();
				if (!(data instanceof FloatArray))
					return null;
				arrays.add(((FloatArray) data).getCurrentStorageArray());
			}
			return arrays;
		}
		return null;
	}
}
