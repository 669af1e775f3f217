package org.volseg.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.volseg.InvalidParameterException;
import org.volseg.volume.Resample.Interpolation;

import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

class ResampleTest {

	/** value = a linear function of the world position: trilinear interpolation reproduces it exactly. */
	static double linear(double[] w) {
		return 3 * w[0] - 2 * w[1] + 0.5 * w[2] + 7;
	}

	static Volume linearVolume(Geometry g, long... dims) {
		Volume v = Volume.allocate(g, dims);
		Cursor<FloatType> c = Views.flatIterable(v.voxels()).localizingCursor();
		double[] w = new double[3];
		while (c.hasNext()) {
			c.fwd();
			g.voxelToWorld(new double[] { c.getDoublePosition(0), c.getDoublePosition(1), c.getDoublePosition(2) }, w);
			c.get().set((float) linear(w));
		}
		return v;
	}

	@Test
	void toSpacingKeepsTheWorldExtentAndCentre() {
		Geometry g = Geometry.ofLps(new double[][] { { 0.8, 0, 0, -50 }, { 0, 0.8, 0, 20 }, { 0, 0, 2.5, 10 }, { 0, 0, 0, 1 } });
		Volume v = linearVolume(g, 40, 30, 12);
		Volume r = Resample.toSpacing(v, new double[] { 1.6, 1.0, 1.25 }, Interpolation.LINEAR);
		// n' = round(n * s / s')
		assertArrayEquals(new long[] { 20, 24, 24 }, r.dimensions());
		assertArrayEquals(new double[] { 1.6, 1.0, 1.25 }, r.geometry().spacing(), 1e-12);
		// extents equal here, so the outer faces coincide: first voxel corner = old first voxel corner
		double[] oldCorner = new double[3], newCorner = new double[3];
		g.voxelToWorld(new double[] { -0.5, -0.5, -0.5 }, oldCorner);
		r.geometry().voxelToWorld(new double[] { -0.5, -0.5, -0.5 }, newCorner);
		assertArrayEquals(oldCorner, newCorner, 1e-9);
		// centres of the two fields of view coincide
		double[] oldCentre = new double[3], newCentre = new double[3];
		g.voxelToWorld(new double[] { 19.5, 14.5, 5.5 }, oldCentre);
		r.geometry().voxelToWorld(new double[] { 9.5, 11.5, 11.5 }, newCentre);
		assertArrayEquals(oldCentre, newCentre, 1e-9);
	}

	@Test
	void trilinearReproducesALinearFunctionInsideTheGrid() {
		Geometry g = Geometry.ofLps(new double[][] { { 0.9, 0.1, 0, -5 }, { -0.1, 0.9, 0.05, 3 }, { 0, 0, 2, 1 }, { 0, 0, 0, 1 } });
		Volume v = linearVolume(g, 20, 18, 10);
		// an oblique target grid well inside the source
		Geometry target = Geometry.ofLps(new double[][] { { 0.5, 0.2, 0, -1 }, { 0.1, 0.6, 0, 5 }, { 0, 0.1, 1.1, 4 }, { 0, 0, 0, 1 } });
		Volume r = Resample.onto(v, new long[] { 12, 10, 8 }, target, Interpolation.LINEAR, Float.NaN);
		Cursor<FloatType> c = Views.flatIterable(r.voxels()).localizingCursor();
		double[] w = new double[3], s = new double[3];
		int checked = 0;
		while (c.hasNext()) {
			float value = c.next().get();
			target.voxelToWorld(new double[] { c.getDoublePosition(0), c.getDoublePosition(1), c.getDoublePosition(2) }, w);
			g.worldToVoxel(w, s);
			boolean inside = s[0] >= 0 && s[0] <= 19 && s[1] >= 0 && s[1] <= 17 && s[2] >= 0 && s[2] <= 9;
			if (inside) {
				assertEquals(linear(w), value, 1e-3 * Math.max(1, Math.abs(linear(w))));
				checked++;
			}
		}
		assertTrue(checked > 500, "most target voxels are inside: " + checked);
	}

	@Test
	void nearestKeepsLabelsAndRoundTripsOntoTheInputGrid() {
		Geometry g = Geometry.ofLps(new double[][] { { 0.7, 0, 0, 0 }, { 0, 0.7, 0, 0 }, { 0, 0, 3, 0 }, { 0, 0, 0, 1 } });
		Volume labels = Volume.allocate(g, 30, 20, 8);
		Cursor<FloatType> c = Views.flatIterable(labels.voxels()).localizingCursor();
		while (c.hasNext()) {
			c.fwd();
			c.get().set((c.getIntPosition(0) / 4 + 3 * (c.getIntPosition(1) / 5) + 7 * (c.getIntPosition(2) / 2)) % 9);
		}
		// to a finer grid (exact multiples) and back onto the input grid: labels unchanged
		Volume fine = Resample.toSpacing(labels, new double[] { 0.35, 0.35, 1.0 }, Interpolation.NEAREST);
		assertArrayEquals(new long[] { 60, 40, 24 }, fine.dimensions());
		Set<Float> values = new HashSet<>();
		for (FloatType t : Views.flatIterable(fine.voxels()))
			values.add(t.get());
		assertTrue(values.stream().allMatch(x -> x == Math.rint(x) && x >= 0 && x <= 8), "only source labels: " + values);
		Volume back = Resample.onto(fine, labels.dimensions(), labels.geometry(), Interpolation.NEAREST, -1);
		Cursor<FloatType> a = Views.flatIterable(labels.voxels()).cursor(), b = Views.flatIterable(back.voxels()).cursor();
		while (a.hasNext())
			assertEquals(a.next().get(), b.next().get(), 0);
	}

	@Test
	void outsideTheFieldOfViewGetsTheFillValueAndChannelsAreKept() {
		Volume v = Volume.allocate(Geometry.identity(), 4, 4, 4, 2);
		for (FloatType t : Views.flatIterable(Views.hyperSlice(v.voxels(), 3, 1)))
			t.set(5);
		Geometry shifted = Geometry.ofLps(new double[][] { { 1, 0, 0, 2 }, { 0, 1, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 0, 1 } });
		Volume r = Resample.onto(v, new long[] { 4, 4, 4 }, shifted, Interpolation.LINEAR, -7);
		assertEquals(2, r.channels());
		RandomAccess<FloatType> ra = r.voxels().randomAccess();
		ra.setPosition(new long[] { 1, 1, 1, 1 });
		assertEquals(5, ra.get().get(), 0); // world x 3: inside
		ra.setPosition(new long[] { 2, 1, 1, 1 });
		assertEquals(-7, ra.get().get(), 0); // world x 4: beyond the last centre by a whole voxel
		ra.setPosition(new long[] { 1, 1, 1, 0 });
		assertEquals(0, ra.get().get(), 0);
	}

	@Test
	void refusesBadSpacing() {
		Volume v = Volume.allocate(Geometry.identity(), 2, 2, 2);
		assertThrows(InvalidParameterException.class, () -> Resample.toSpacing(v, new double[] { 1, 0, 1 }, Interpolation.LINEAR));
		assertThrows(InvalidParameterException.class, () -> Resample.toSpacing(v, new double[] { 1, 1 }, Interpolation.LINEAR));
		assertThrows(InvalidParameterException.class,
				() -> Resample.toSpacing(v, new double[] { 1, Double.NaN, 1 }, Interpolation.NEAREST));
	}
}
