package org.volseg.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.volseg.InvalidParameterException;

import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

class ReorientTest {

	static Volume randomVolume(Geometry g, long... dims) {
		Volume v = Volume.allocate(g, dims);
		Random r = new Random(42);
		for (FloatType t : Views.flatIterable(v.voxels()))
			t.set(r.nextInt(10000) - 5000);
		return v;
	}

	/** An oblique, slightly sheared geometry whose code is LPS. */
	static Geometry oblique() {
		return Geometry.ofLps(new double[][] { { 0.8, 0.05, 0.1, -101.3 }, { -0.04, 0.75, 0.12, 33.7 },
				{ 0.03, -0.1, 2.4, -60.25 }, { 0, 0, 0, 1 } });
	}

	@ParameterizedTest
	@ValueSource(strings = { "RAS", "PSL", "LPS", "SAR", "IRP", "ALI" })
	void everyVoxelKeepsItsWorldPosition(String code) {
		Volume v = randomVolume(oblique(), 7, 5, 4, 2);
		Volume r = Reorient.to(v, code);
		assertEquals(code, Orientation.of(r.geometry()).code());
		assertEquals(2, r.channels());
		// world position of each voxel of r -> the voxel of v there has the same value, in each channel
		Cursor<FloatType> c = Views.flatIterable(r.voxels()).localizingCursor();
		RandomAccess<FloatType> src = v.voxels().randomAccess();
		double[] world = new double[3], back = new double[3];
		long[] pos = new long[4];
		while (c.hasNext()) {
			float value = c.next().get();
			c.localize(pos);
			r.geometry().voxelToWorld(new double[] { pos[0], pos[1], pos[2] }, world);
			v.geometry().worldToVoxel(world, back);
			long[] p = { Math.round(back[0]), Math.round(back[1]), Math.round(back[2]), pos[3] };
			for (int d = 0; d < 3; d++)
				assertEquals(p[d], back[d], 1e-9, "lands on a voxel centre");
			src.setPosition(p);
			assertEquals(src.get().get(), value, 0);
		}
	}

	@Test
	void roundTripToPslAndBackIsExact() {
		Volume v = randomVolume(oblique(), 9, 6, 5);
		Volume psl = Reorient.to(v, "PSL");
		assertArrayEquals(new long[] { 6, 5, 9 }, psl.dimensions());
		Volume back = Reorient.to(psl, "LPS");
		assertArrayEquals(v.dimensions(), back.dimensions());
		assertEquals(v.geometry(), back.geometry());
		Cursor<FloatType> a = Views.flatIterable(v.voxels()).cursor(), b = Views.flatIterable(back.voxels()).cursor();
		while (a.hasNext())
			assertEquals(a.next().get(), b.next().get(), 0);
	}

	@Test
	void sameOrientationIsANoOp() {
		Volume v = randomVolume(oblique(), 3, 3, 3);
		assertSame(v, Reorient.to(v, "LPS"));
	}

	@Test
	void flipsAndPermutesAsExpected() {
		// LPS axial -> RAS flips x and y: voxel (0,0,z) of RAS is voxel (nx-1, ny-1, z) of LPS, at LPS (3, 4, z)
		Volume v = randomVolume(Geometry.ofSpacing(1, 2, 3), 4, 3, 2);
		Volume ras = Reorient.to(v, "RAS");
		RandomAccess<FloatType> a = v.voxels().randomAccess(), b = ras.voxels().randomAccess();
		a.setPosition(new long[] { 3, 2, 1 });
		b.setPosition(new long[] { 0, 0, 1 });
		assertEquals(a.get().get(), b.get().get(), 0);
		assertArrayEquals(new double[] { 3, 4, 0 }, new double[] { ras.geometry().affineLps()[0][3],
				ras.geometry().affineLps()[1][3], ras.geometry().affineLps()[2][3] }, 0);
		assertThrows(InvalidParameterException.class, () -> Reorient.to(v, "RAR"));
	}
}
