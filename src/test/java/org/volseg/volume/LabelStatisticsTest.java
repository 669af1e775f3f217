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

	/**
	 * Counts only: read straight from the image's arrays when it has them; the same rows as through a
	 * view (the cursor path), for labels past the first 16, rounding (0.5 -> 1, -0.4 -> 0) and negatives.
	 */
	@Test
	void countsFromTheArraysEqualCountsThroughAView() {
		java.util.Random random = new java.util.Random(3);
		Geometry g = Geometry.ofSpacing(0.5, 0.7, 1.2);
		for (long[] dims : new long[][] { { 13, 11, 7 }, { 300, 300, 3 } }) { // a PlanarImg, an ArrayImg or planes
			Volume planar = Volume.allocate(g, dims);
			float[] pick = { 0, 0.5f, -0.4f, 1, 2.49f, 3, 17, 40, -2 };
			for (FloatType v : net.imglib2.view.Views.flatIterable(planar.voxels()))
				v.set(pick[random.nextInt(pick.length)]);
			assertEquals(true, FloatStorage.arraysInFlatOrder(planar.channel(0)) != null);
			Volume view = new Volume(net.imglib2.view.Views.interval(net.imglib2.view.Views.extendZero(planar.voxels()),
					planar.voxels()), g);
			assertEquals(null, FloatStorage.arraysInFlatOrder(view.channel(0)));
			List<LabelStatistics.Row> fast = LabelStatistics.of(planar), slow = LabelStatistics.of(view);
			assertEquals(slow, fast);
			assertEquals(List.of(1, 2, 3, 17, 40), fast.stream().map(LabelStatistics.Row::label).toList());
		}
	}
	/** A label map kept as bytes is counted from its byte planes: the same rows as its float copy, labels up to 255. */
	@Test
	void countsOfLabelsKeptAsBytesEqualThoseOfTheirFloatCopy() {
		java.util.Random random = new java.util.Random(5);
		Geometry g = Geometry.ofSpacing(0.5, 0.7, 1.2);
		IntegerVoxels<net.imglib2.type.numeric.integer.UnsignedByteType> bytes = IntegerVoxels.allocateUnsignedBytes(13, 11, 7);
		Volume copy = Volume.allocate(g, 13, 11, 7);
		var c = net.imglib2.view.Views.flatIterable(copy.voxels()).cursor();
		for (var b : net.imglib2.view.Views.flatIterable(bytes.stored())) {
			int label = random.nextInt(4) == 0 ? 255 - random.nextInt(3) : random.nextInt(20);
			b.set(label);
			c.next().set(label);
		}
		Volume kept = new Volume(bytes, g);
		assertEquals(true, IntegerVoxels.unsignedBytesInFlatOrder(kept.channel(0)) != null);
		List<LabelStatistics.Row> rows = LabelStatistics.of(kept);
		assertEquals(LabelStatistics.of(copy), rows);
		assertEquals(255, rows.get(rows.size() - 1).label());
		assertEquals(13 * 11 * 7 - countZeros(copy), rows.stream().mapToLong(LabelStatistics.Row::voxels).sum(),
				"every voxel above 0 counted once");
	}

	private static long countZeros(Volume v) {
		long n = 0;
		for (FloatType t : net.imglib2.view.Views.flatIterable(v.voxels()))
			n += t.get() == 0 ? 1 : 0;
		return n;
	}
}
