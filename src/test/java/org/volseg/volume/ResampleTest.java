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
	void toSpacingUsesMonaiSpacingGridFromTheFirstVoxelCentre() {
		Geometry g = Geometry.ofLps(new double[][] { { 0.8, 0, 0, -50 }, { 0, 0.8, 0, 20 }, { 0, 0, 2.5, 10 }, { 0, 0, 0, 1 } });
		Volume v = linearVolume(g, 40, 30, 12);
		Volume r = Resample.toSpacing(v, new double[] { 1.6, 1.0, 1.25 }, Interpolation.LINEAR);
		// MONAI compute_shape_offset: n' = rint((n - 1) * s / s' + 1): 20.5 -> 20 (half to even), 24.2 -> 24, 23
		assertArrayEquals(new long[] { 20, 24, 23 }, r.dimensions());
		assertArrayEquals(new double[] { 1.6, 1.0, 1.25 }, r.geometry().spacing(), 1e-12);
		// voxel 0 of the new grid is voxel 0 of the old one
		assertArrayEquals(g.origin(), r.geometry().origin(), 1e-12);
		// trilinear reproduces the linear function inside, and clamps at the border outside
		RandomAccess<FloatType> ra = r.voxels().randomAccess();
		double[] w = new double[3], src = new double[3];
		for (long[] p : new long[][] { { 0, 0, 0 }, { 19, 23, 22 }, { 7, 11, 5 }, { 19, 0, 22 } }) {
			ra.setPosition(p);
			r.geometry().voxelToWorld(new double[] { p[0], p[1], p[2] }, w);
			g.worldToVoxel(w, src);
			for (int d = 0; d < 3; d++)
				src[d] = Math.min(Math.max(src[d], 0), v.dimensions()[d] - 1);
			double[] clamped = new double[3];
			g.voxelToWorld(src, clamped);
			assertEquals(linear(clamped), ra.get().get(), 1e-3 * Math.abs(linear(clamped)), java.util.Arrays.toString(p));
		}
	}

	@Test
	void monaiSpacingGridShapesOfTheIssueAndTheBundleFixtures() {
		// issue 15: 108 slices at 1.4999 mm to 4 mm: MONAI makes 41 planes (107 * 1.4999 / 4 + 1 = 41.12), not 40
		Geometry ct = Geometry.ofLps(new double[][] { { 0.7, 0, 0, 0 }, { 0, 0.7, 0, 0 }, { 0, 0, 1.4999, 0 }, { 0, 0, 0, 1 } });
		assertArrayEquals(new long[] { 255, 255, 41 },
				Resample.monaiSpacingGrid(new long[] { 255, 255, 108 }, ct, new double[] { 0.7, 0.7, 4 }).dims());
		// e2e fixtures (case.json network_grid_shape): the volume after Orientationd RAS, pixdim 1.5, 1.5, 2
		// spleen_ct_segmentation_prs: 72 x 64 x 40 at 0.9, 0.7, 5 mm (float32 spacings) -> 44, 30, 98 (98.5 to even)
		Geometry prs = Geometry.ofRas(new double[][] { { 0.89999998, 0, 0, -61.95 }, { 0, 0.69999999, 0, -6.55 },
				{ 0, 0, 5, -217.5 }, { 0, 0, 0, 1 } });
		assertArrayEquals(new long[] { 44, 30, 98 },
				Resample.monaiSpacingGrid(new long[] { 72, 64, 40 }, prs, new double[] { 1.5, 1.5, 2 }).dims());
		// swin_unetr_btcv_segmentation_lpi: 56 x 48 x 32 at 0.8, 0.8, 2.5 mm -> 30, 26, 40
		Geometry lpi = Geometry.ofRas(new double[][] { { 0.80000001, 0, 0, -9.5 }, { 0, 0.80000001, 0, -39.05 },
				{ 0, 0, 2.5, 46.25 }, { 0, 0, 0, 1 } });
		Resample.Grid grid = Resample.monaiSpacingGrid(new long[] { 56, 48, 32 }, lpi, new double[] { 1.5, 1.5, 2 });
		assertArrayEquals(new long[] { 30, 26, 40 }, grid.dims());
		// case.json network_grid_affine (RAS): origin = the first voxel centre
		assertArrayEquals(new double[] { -9.5, -39.05, 46.25 },
				new double[] { grid.geometry().affineRas()[0][3], grid.geometry().affineRas()[1][3], grid.geometry().affineRas()[2][3] }, 1e-6);
	}

	@Test
	void borderPaddingLabelsEveryVoxelWithOddSizesAndSpacingsOnEveryAxis() {
		long[][] sizes = { { 255, 17, 108 }, { 13, 254, 31 }, { 33, 35, 7 } };
		double[][] spacings = { { 0.7031, 1.2999, 1.4999 }, { 3.3, 0.449, 2.51 }, { 1.11, 0.77, 5.0 } };
		double[][] targets = { { 1.5, 1.5, 4.0 }, { 1.5, 1.0, 2.0 }, { 0.8, 1.7, 1.25 } };
		for (int t = 0; t < sizes.length; t++) {
			double[] sp = spacings[t];
			Geometry g = Geometry.ofLps(new double[][] { { sp[0], 0, 0, 3 }, { 0, sp[1], 0, -7 }, { 0, 0, sp[2], 11 }, { 0, 0, 0, 1 } });
			Volume scan = Volume.allocate(g, sizes[t]);
			Volume model = Resample.toSpacing(scan, targets[t], Interpolation.LINEAR);
			// a "network" that labels every voxel of its grid
			for (FloatType v : Views.flatIterable(model.voxels()))
				v.set(1);
			for (Interpolation i : Interpolation.values()) {
				Volume back = Resample.onto(model, sizes[t], g, i, Resample.Padding.BORDER, 0f);
				long unlabelled = 0;
				for (FloatType v : Views.flatIterable(back.voxels()))
					if (v.get() != 1)
						unlabelled++;
				assertEquals(0, unlabelled, "case " + t + " " + i);
			}
		}
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
		// MONAI's grid: (n - 1) * s / s' + 1 voxels from the first centre
		assertArrayEquals(new long[] { 59, 39, 22 }, fine.dimensions());
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

	/**
	 * Integers kept as stored (the scan) or as bytes (a label map) are read a whole plane at a time: the
	 * values are exactly those of their float copies, on grids where a target slice reads a few source
	 * planes and on an oblique one where it does not, for every interpolation and padding, 3D and 4D.
	 */
	@Test
	void storedAndIntegerVoxelsResampleExactlyLikeTheirFloatCopies() {
		java.util.Random random = new java.util.Random(19);
		Geometry g = Geometry.ofLps(new double[][] { { 0.7, 0, 0, -5 }, { 0, -0.8, 0, 3 }, { 0, 0, 2.5, 1 }, { 0, 0, 0, 1 } });
		long[] size = { 23, 19, 11 }, size4 = { 23, 19, 11, 2 };
		net.imglib2.img.planar.PlanarImg<net.imglib2.type.numeric.integer.UnsignedByteType, ?> bytes = net.imglib2.img.planar.PlanarImgs
				.unsignedBytes(size);
		bytes.forEach(t -> t.set(random.nextInt(10)));
		net.imglib2.img.planar.PlanarImg<net.imglib2.type.numeric.integer.ShortType, ?> shorts = net.imglib2.img.planar.PlanarImgs
				.shorts(size4);
		shorts.forEach(t -> t.set((short) (random.nextInt(3000) - 1000)));
		Volume labels = new Volume(IntegerVoxels.of(bytes), g);
		Volume scan = new Volume(StoredVoxels.of(shorts, true, 0.5, -1024), g);
		Volume writable = new Volume(net.imglib2.converter.Converters.convert(
				(net.imglib2.RandomAccessibleInterval<net.imglib2.type.numeric.integer.UnsignedByteType>) bytes,
				new net.imglib2.converter.readwrite.RealFloatSamplerConverter<net.imglib2.type.numeric.integer.UnsignedByteType>()), g);
		assertTrue(Resample.readsPlanesInBulk(labels.voxels()));
		assertTrue(Resample.readsPlanesInBulk(scan.voxels()));
		assertTrue(!Resample.readsPlanesInBulk(writable.voxels()), "a sampler-converted view has no bulk copy");
		Geometry aligned = Geometry.ofLps(new double[][] { { 0.5, 0, 0, -4.1 }, { 0, -0.6, 0, 2.9 }, { 0, 0, 1.7, 1.3 }, { 0, 0, 0, 1 } });
		Geometry oblique = Geometry.ofLps(new double[][] { { 0.7, 0.2, 0, -3.1 }, { 0.1, 0.8, 0, 2.3 }, { 0, 0.1, 1.3, 2.7 }, { 0, 0, 0, 1 } });
		long[] dims = { 31, 27, 17 };
		for (Volume source : new Volume[] { labels, scan, writable }) {
			Volume copy = Volume.allocate(source.geometry(), source.voxels().dimensionsAsLongArray());
			Cursor<FloatType> from = Views.flatIterable(source.voxels()).cursor();
			for (FloatType t : Views.flatIterable(copy.voxels()))
				t.set(from.next().get());
			for (Geometry target : new Geometry[] { aligned, oblique })
				for (Interpolation i : Interpolation.values())
					for (Resample.Padding padding : Resample.Padding.values()) {
						Volume a = Resample.onto(copy, dims, target, i, padding, -7), b = Resample.onto(source, dims, target, i, padding, -7);
						Cursor<FloatType> ca = Views.flatIterable(a.voxels()).cursor(), cb = Views.flatIterable(b.voxels()).cursor();
						while (ca.hasNext())
							assertEquals(ca.next().get(), cb.next().get(), 0f);
					}
		}
	}

	@Test
	void labelsKeptAsBytesResampleNearestToBytesExactlyLikeTheirFloatCopies() {
		java.util.Random random = new java.util.Random(23);
		Geometry g = Geometry.ofLps(new double[][] { { 0.7, 0, 0, -5 }, { 0, -0.8, 0, 3 }, { 0, 0, 2.5, 1 }, { 0, 0, 0, 1 } });
		IntegerVoxels<net.imglib2.type.numeric.integer.UnsignedByteType> bytes = IntegerVoxels.allocateUnsignedBytes(23, 19, 11);
		bytes.stored().forEach(t -> t.set(random.nextInt(256)));
		Volume labels = new Volume(bytes, g);
		Volume copy = Volume.allocate(g, 23, 19, 11);
		Cursor<FloatType> from = Views.flatIterable(labels.voxels()).cursor();
		for (FloatType t : Views.flatIterable(copy.voxels()))
			t.set(from.next().get());
		// axis-aligned (each target axis on one source axis: the index tables), flipped and partly outside, oblique
		Geometry aligned = Geometry.ofLps(new double[][] { { 0.5, 0, 0, -4.1 }, { 0, -0.6, 0, 2.9 }, { 0, 0, 1.7, 1.3 }, { 0, 0, 0, 1 } });
		Geometry flipped = Geometry.ofLps(new double[][] { { -0.9, 0, 0, 14 }, { 0, 0.45, 0, -16 }, { 0, 0, -3, 30 }, { 0, 0, 0, 1 } });
		Geometry oblique = Geometry.ofLps(new double[][] { { 0.7, 0.2, 0, -3.1 }, { 0.1, 0.8, 0, 2.3 }, { 0, 0.1, 1.3, 2.7 }, { 0, 0, 0, 1 } });
		long[] dims = { 31, 27, 17 };
		for (Geometry target : new Geometry[] { aligned, flipped, oblique })
			for (Resample.Padding padding : Resample.Padding.values())
				for (float fill : new float[] { 0, 3, 255, -7, 2.5f, 256 }) {
					Volume a = Resample.onto(copy, dims, target, Interpolation.NEAREST, padding, fill);
					Volume b = Resample.onto(labels, dims, target, Interpolation.NEAREST, padding, fill);
					boolean byteFill = padding == Resample.Padding.BORDER || fill == 0 || fill == 3 || fill == 255;
					assertEquals(byteFill, IntegerVoxels.unsignedBytesInFlatOrder(b.voxels()) != null,
							"bytes stay bytes unless the fill is no byte's value: " + padding + " " + fill);
					assertEquals(target, b.geometry());
					org.junit.jupiter.api.Assertions.assertArrayEquals(dims, b.dimensions());
					Cursor<FloatType> ca = Views.flatIterable(a.voxels()).cursor(), cb = Views.flatIterable(b.voxels()).cursor();
					long outside = 0;
					while (ca.hasNext()) {
						float expected = ca.next().get();
						assertEquals(expected, cb.next().get(), 0f);
						outside += expected == fill ? 1 : 0;
					}
					if (padding == Resample.Padding.FILL && target != oblique)
						assertTrue(outside > 0, "the target reaches outside the source");
				}
	}

	@Test
	void aReorientedViewResamplesLikeTheOriginal() {
		// views have no direct storage: this exercises the RandomAccess path against the array path
		Geometry g = Geometry.ofLps(new double[][] { { 0.9, 0.1, 0, -5 }, { -0.1, 0.9, 0.05, 3 }, { 0, 0, 2, 1 }, { 0, 0, 0, 1 } });
		Volume v = ReorientTest.randomVolume(g, 12, 10, 6, 2);
		Volume view = Reorient.to(v, "SRA");
		Geometry target = Geometry.ofLps(new double[][] { { 0.7, 0.2, 0, -3.1 }, { 0.1, 0.8, 0, 2.3 }, { 0, 0.1, 1.3, 2.7 }, { 0, 0, 0, 1 } });
		long[] dims = { 9, 8, 7 };
		for (Interpolation i : Interpolation.values()) {
			Volume a = Resample.onto(v, dims, target, i, -1), b = Resample.onto(view, dims, target, i, -1);
			Cursor<FloatType> ca = Views.flatIterable(a.voxels()).cursor(), cb = Views.flatIterable(b.voxels()).cursor();
			while (ca.hasNext())
				assertEquals(ca.next().get(), cb.next().get(), i == Interpolation.NEAREST ? 0 : 1e-2);
		}
	}
}
