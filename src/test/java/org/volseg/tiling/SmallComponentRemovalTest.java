package org.volseg.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.volseg.tiling.TilingTestSupport.get;

import java.util.Map;

import net.imglib2.RandomAccess;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.junit.jupiter.api.Test;
import org.volseg.InvalidParameterException;
import org.volseg.tiling.SmallComponentRemoval.Connectivity;
import org.volseg.tiling.SmallComponentRemoval.Summary;

class SmallComponentRemovalTest {

	/**
	 * Label 1: a 3x3x3 cube (27 voxels) and a lone voxel; label 2: two voxels touching only at a
	 * corner (one component with 26 neighbours, two with 6) and a 2x2x1 square (4 voxels); label 3
	 * fills a 2-voxel bar touching the cube (other labels never join a component).
	 */
	private static Img<FloatType> labels() {
		Img<FloatType> img = ArrayImgs.floats(10, 9, 8);
		RandomAccess<FloatType> ra = img.randomAccess();
		for (int x = 1; x <= 3; x++)
			for (int y = 1; y <= 3; y++)
				for (int z = 1; z <= 3; z++)
					set(ra, 1, x, y, z);
		set(ra, 1, 8, 8, 7);
		set(ra, 2, 6, 6, 1);
		set(ra, 2, 7, 7, 2);
		for (int x = 5; x <= 6; x++)
			for (int y = 1; y <= 2; y++)
				set(ra, 2, x, y, 6);
		set(ra, 3, 4, 2, 2);
		set(ra, 3, 4, 3, 2);
		return img;
	}

	private static void set(RandomAccess<FloatType> ra, float label, int x, int y, int z) {
		ra.setPosition(new int[] { x, y, z });
		ra.get().set(label);
	}

	private static long count(Img<FloatType> img, float label) {
		long n = 0;
		for (FloatType t : img)
			if (t.get() == label)
				n++;
		return n;
	}

	@Test
	void removesComponentsBelowTheSizeWith26Neighbours() {
		Img<FloatType> img = labels();
		Summary s = SmallComponentRemoval.removeSmallComponents(img, 3, Connectivity.FULL_26);
		assertEquals(27, count(img, 1)); // the lone voxel is gone
		assertEquals(0, get(img, 8, 8, 7), 0f);
		assertEquals(4, count(img, 2)); // corner pair (2 voxels) removed, the square (4) kept
		assertEquals(0, get(img, 6, 6, 1), 0f);
		assertEquals(0, count(img, 3)); // 2 voxels, not joined to the cube of label 1
		assertEquals(Map.of(1, 1, 2, 1, 3, 1), s.componentsByLabel());
		assertEquals(Map.of(1, 1L, 2, 2L, 3, 2L), s.voxelsByLabel());
		assertEquals(5, s.voxels());
	}

	@Test
	void faceConnectivitySplitsCornerNeighbours() {
		Img<FloatType> img = labels();
		// with 6 neighbours the corner pair is two components of one voxel: both go at size 2
		Summary s = SmallComponentRemoval.removeSmallComponents(img, 2, Connectivity.FACES_6);
		assertEquals(Map.of(1, 1, 2, 2), s.componentsByLabel());
		assertEquals(4, count(img, 2));
		assertEquals(2, count(img, 3)); // size 2 is not below 2
		Img<FloatType> full = labels();
		Summary s26 = SmallComponentRemoval.removeSmallComponents(full, 2, Connectivity.FULL_26);
		assertEquals(Map.of(1, 1), s26.componentsByLabel()); // the corner pair is one component of 2
	}

	@Test
	void perLabelSizesAndOffsetIntervals() {
		Img<FloatType> img = labels();
		// labels without an entry are kept whole; works on a view whose interval does not start at 0
		Summary s = SmallComponentRemoval.removeSmallComponents(Views.translate(img, 5, -3, 2), Map.of(2, 5L),
				Connectivity.FULL_26);
		assertEquals(Map.of(2, 2), s.componentsByLabel());
		assertEquals(28, count(img, 1));
		assertEquals(0, count(img, 2));
		assertEquals(2, count(img, 3));
	}

	@Test
	void rejectsNegativeSizes() {
		InvalidParameterException e = assertThrows(InvalidParameterException.class,
				() -> SmallComponentRemoval.removeSmallComponents(labels(), -1, Connectivity.FULL_26));
		assertEquals("minimum component size: expected a number of voxels >= 0, got -1", e.getMessage());
	}
}
