package org.volseg.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;

class LabelStatisticsTest {

	@Test
	void countsVolumesAndIntensityMomentsPerLabel() {
		Geometry g = Geometry.ofSpacing(2, 2, 5); // 20 mm^3 per voxel
		Volume labels = Volume.allocate(g, 4, 3, 2);
		Volume scan = Volume.allocate(g, 4, 3, 2);
		RandomAccess<FloatType> l = labels.voxels().randomAccess(), s = scan.voxels().randomAccess();
		set(l, s, 0, 0, 0, 1, 10);
		set(l, s, 1, 0, 0, 1, 20);
		set(l, s, 3, 2, 1, 1, 30);
		set(l, s, 2, 2, 1, 17, -5);
		set(l, s, 0, 1, 1, 0, 1000);
		List<LabelStatistics.Row> rows = LabelStatistics.of(labels, scan);
		assertEquals(2, rows.size());
		LabelStatistics.Row one = rows.get(0), seventeen = rows.get(1);
		assertEquals(1, one.label());
		assertEquals(3, one.voxels());
		assertEquals(3 * 20 / 1000.0, one.volumeMl(), 1e-15);
		assertEquals(20, one.meanIntensity(), 1e-12);
		assertEquals(Math.sqrt(200.0 / 3), one.sdIntensity(), 1e-9);
		assertEquals(17, seventeen.label());
		assertEquals(-5, seventeen.meanIntensity(), 0);
		assertEquals(0, seventeen.sdIntensity(), 0);
	}

	@Test
	void shearedVoxelVolumeIsTheDeterminant() {
		Geometry g = Geometry.ofLps(new double[][] { { 1, 0.5, 0, 0 }, { 0, 2, 0, 0 }, { 0, 0, 3, 0 }, { 0, 0, 0, 1 } });
		assertEquals(6, LabelStatistics.voxelVolumeMm3(g), 1e-12);
	}

	@Test
	void mismatchedGridsAreRefused() {
		Volume labels = Volume.allocate(Geometry.identity(), 2, 2, 2);
		Volume scan = Volume.allocate(Geometry.identity(), 2, 2, 3);
		assertThrows(IllegalArgumentException.class, () -> LabelStatistics.of(labels, scan));
	}

	private static void set(RandomAccess<FloatType> l, RandomAccess<FloatType> s, int x, int y, int z, int label,
			float value) {
		l.setPosition(new long[] { x, y, z });
		l.get().set(label);
		s.setPosition(new long[] { x, y, z });
		s.get().set(value);
	}
}
