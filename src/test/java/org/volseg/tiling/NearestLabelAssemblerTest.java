package org.volseg.tiling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.volseg.volume.Geometry;
import org.volseg.volume.IntegerVoxels;
import org.volseg.volume.Resample;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

class NearestLabelAssemblerTest {

	private static final long[] SOURCE = { 23, 19, 11 };

	/**
	 * Rows of a random label map on a model grid, handed over in a random order, give on the scan's grid
	 * exactly what assembling on the model grid and then resampling gives: through the byte path of
	 * {@link Resample#onto} and through its per-voxel path on a float copy (which maps every voxel with
	 * the whole affine). Grids finer and coarser than the model's, shifted, and flipped along x.
	 */
	@Test
	void givesTheLabelsOfAssemblingThenResampling() {
		Geometry model = Geometry.ofLps(new double[][] { { 3, 0, 0, -20 }, { 0, 3, 0, 7 }, { 0, 0, 4, 11 }, { 0, 0, 0, 1 } });
		Object[][] targets = {
				{ new long[] { 30, 25, 17 }, affine(2.3, 2.1, 2.7, -21, 6, 10) }, // finer
				{ new long[] { 12, 10, 6 }, affine(5.5, 6.1, 7.9, -19, 8, 12) }, // coarser
				{ new long[] { 26, 21, 13 }, affine(-2.6, 2.9, 3.3, 50, 5, 9) }, // x flipped
		};
		Random random = new Random(5);
		for (Object[] target : targets) {
			long[] dims = (long[]) target[0];
			Geometry geometry = (Geometry) target[1];
			Volume onModel = new Volume(IntegerVoxels.allocateUnsignedBytes(SOURCE), model);
			for (FloatType v : Views.flatIterable(onModel.voxels()))
				v.set(random.nextInt(14));
			int[][] along = Resample.nearestAlongAxes(model, SOURCE, geometry, dims);
			assertNotNull(along, "axes map one to one");
			NearestLabelAssembler assembler = new NearestLabelAssembler(Finalizer.argmax(new int[] { 0, 1 }), 2, SOURCE,
					along, geometry);
			for (long[] row : shuffledRows(random))
				assembler.acceptRow(row[0], row[1], rowOf(onModel, row[0], row[1]));
			Volume streamed = assembler.volume();

			Volume bytes = Resample.onto(onModel, dims, geometry, Resample.Interpolation.NEAREST, Resample.Padding.BORDER, 0f);
			Volume floats = Resample.onto(floatCopy(onModel), dims, geometry, Resample.Interpolation.NEAREST,
					Resample.Padding.BORDER, 0f);
			assertArrayEquals(values(bytes), values(streamed));
			assertArrayEquals(values(floats), values(streamed));
		}
	}

	@Test
	void refusesToGiveAMapWithRowsMissing() {
		Geometry model = Geometry.ofSpacing(3, 3, 4);
		long[] dims = { 30, 25, 17 };
		Geometry scan = Geometry.ofSpacing(2.3, 2.1, 2.7);
		NearestLabelAssembler assembler = new NearestLabelAssembler(Finalizer.argmax(new int[] { 0, 1 }), 2, SOURCE,
				Resample.nearestAlongAxes(model, SOURCE, scan, dims), scan);
		List<long[]> rows = shuffledRows(new Random(1));
		for (long[] row : rows.subList(1, rows.size()))
			assembler.acceptRow(row[0], row[1], new float[(int) SOURCE[0]]);
		assertThrows(IllegalStateException.class, assembler::volume);
	}

	@Test
	void obliqueGridsHaveNoAxisMap() {
		double c = Math.cos(0.3), s = Math.sin(0.3);
		Geometry rotated = Geometry.ofLps(new double[][] { { c, -s, 0, 0 }, { s, c, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 0, 1 } });
		assertNull(Resample.nearestAlongAxes(Geometry.ofSpacing(1, 1, 1), SOURCE, rotated, SOURCE));
	}

	private static Geometry affine(double sx, double sy, double sz, double ox, double oy, double oz) {
		return Geometry.ofLps(new double[][] { { sx, 0, 0, ox }, { 0, sy, 0, oy }, { 0, 0, sz, oz }, { 0, 0, 0, 1 } });
	}

	private static List<long[]> shuffledRows(Random random) {
		List<long[]> rows = new ArrayList<>();
		for (long z = 0; z < SOURCE[2]; z++)
			for (long y = 0; y < SOURCE[1]; y++)
				rows.add(new long[] { y, z });
		Collections.shuffle(rows, random);
		return rows;
	}

	private static float[] rowOf(Volume v, long y, long z) {
		float[] row = new float[(int) SOURCE[0]];
		var a = v.voxels().randomAccess();
		for (int x = 0; x < row.length; x++) {
			a.setPosition(new long[] { x, y, z });
			row[x] = a.get().get();
		}
		return row;
	}

	private static Volume floatCopy(Volume v) {
		Volume copy = Volume.allocate(v.geometry(), SOURCE);
		Cursor<FloatType> from = Views.flatIterable(v.voxels()).cursor(), to = Views.flatIterable(copy.voxels()).cursor();
		while (from.hasNext())
			to.next().set(from.next().get());
		return copy;
	}

	private static float[] values(Volume v) {
		List<Float> all = new ArrayList<>();
		for (FloatType f : Views.flatIterable(v.voxels()))
			all.add(f.get());
		float[] out = new float[all.size()];
		for (int i = 0; i < out.length; i++)
			out[i] = all.get(i);
		return out;
	}
}
