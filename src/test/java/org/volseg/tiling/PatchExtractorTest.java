package org.volseg.tiling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import net.imglib2.Cursor;
import net.imglib2.blocks.PrimitiveBlocks;
import net.imglib2.blocks.PrimitiveBlocks.OnFallback;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.cell.CellImgFactory;
import net.imglib2.type.numeric.real.FloatType;

import org.junit.jupiter.api.Test;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

class PatchExtractorTest {

	private static Volume row(float... values) {
		return new Volume(ArrayImgs.floats(values, values.length, 1, 1), Geometry.identity());
	}

	private static float[] extractOnly(Volume v, int[] roi, Padding padding) {
		TilePlan plan = TilePlan.of(v.dimensions(), SlidingWindowSettings.builder(roi).build());
		assertEquals(1, plan.windowCount());
		PatchExtractor e = new PatchExtractor(v, plan, padding);
		return e.extractBatch(0, 1);
	}

	/** Expected rows from numpy.pad with the same pad widths (MONAI's split: the extra voxel after). */
	@Test
	void paddingModesMatchNumpy() {
		Volume v = row(1, 2, 3);
		// pad 2 before, 2 after
		assertArrayEquals(new float[] { 3, 2, 1, 2, 3, 2, 1 }, extractOnly(v, new int[] { 7, 1, 1 }, Padding.reflect()));
		assertArrayEquals(new float[] { 1, 1, 1, 2, 3, 3, 3 }, extractOnly(v, new int[] { 7, 1, 1 }, Padding.edge()));
		assertArrayEquals(new float[] { 5, 5, 1, 2, 3, 5, 5 }, extractOnly(v, new int[] { 7, 1, 1 }, Padding.constant(5)));
		// pad 1 before, 2 after
		assertArrayEquals(new float[] { 2, 1, 2, 3, 2, 1 }, extractOnly(v, new int[] { 6, 1, 1 }, Padding.reflect()));
		// wider than the volume: np.pad([1, 2], (3, 4), 'reflect'), np.pad([1, 2, 3, 4], (5, 6), 'reflect')
		assertArrayEquals(new float[] { 2, 1, 2, 1, 2, 1, 2, 1, 2 }, extractOnly(row(1, 2), new int[] { 9, 1, 1 }, Padding.reflect()));
		assertArrayEquals(new float[] { 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4 },
				extractOnly(row(1, 2, 3, 4), new int[] { 15, 1, 1 }, Padding.reflect()));
		// one voxel reflects to itself
		assertArrayEquals(new float[] { 7, 7, 7 }, extractOnly(row(7), new int[] { 3, 1, 1 }, Padding.reflect()));
	}

	@Test
	void reflectOnEveryAxisOfATinyVolume() {
		// 1 x 2 x 1 volume, window 3 x 3 x 3: y pads 0 before, 1 after ([a b] -> [a b a])
		Volume v = new Volume(ArrayImgs.floats(new float[] { 4, 6 }, 1, 2, 1), Geometry.identity());
		float[] p = extractOnly(v, new int[] { 3, 3, 3 }, Padding.reflect());
		for (int x = 0; x < 3; x++)
			for (int y = 0; y < 3; y++)
				for (int z = 0; z < 3; z++)
					assertEquals(y == 1 ? 6 : 4, p[(x * 3 + y) * 3 + z], 0f);
	}

	/** Array and cell images take PrimitiveBlocks' bulk-copy path (no per-voxel fallback) for every padding. */
	@Test
	void bulkCopyPathForArrayAndCellImages() {
		for (long[] dims : new long[][] { { 11, 9, 7 }, { 11, 9, 7, 2 } })
			for (Img<FloatType> img : List.of(ArrayImgs.floats(dims),
					new CellImgFactory<>(new FloatType(), 4, 3, 2, 2).create(dims))) {
				Volume v = new Volume(img, Geometry.identity());
				TilePlan plan = TilePlan.of(v.dimensions(), SlidingWindowSettings.builder(16, 4, 8).build());
				for (Padding pad : new Padding[] { Padding.constant(2), Padding.edge(), Padding.reflect() })
					assertDoesNotThrow(() -> PrimitiveBlocks.of(PatchExtractor.orderedView(v, plan, pad), OnFallback.FAIL),
							() -> img.getClass().getSimpleName() + " " + pad);
			}
	}

	private static float value(long x, long y, long z, long c) {
		return x + 100 * y + 10000 * z + 0.5f * c;
	}

	@Test
	void layoutIsBatchXYZChannelWithChannelFastest() {
		for (boolean cells : new boolean[] { false, true }) {
			long[] dims = { 11, 9, 7, 2 };
			Img<FloatType> img = cells ? new CellImgFactory<>(new FloatType(), 4, 3, 2, 1).create(dims)
					: ArrayImgs.floats(dims);
			Cursor<FloatType> c = img.localizingCursor();
			while (c.hasNext()) {
				c.fwd();
				c.get().set(value(c.getLongPosition(0), c.getLongPosition(1), c.getLongPosition(2), c.getLongPosition(3)));
			}
			Volume v = new Volume(img, Geometry.identity());
			TilePlan plan = TilePlan.of(v.dimensions(), SlidingWindowSettings.builder(4, 5, 3).overlap(0.5).batch(3).build());
			PatchExtractor e = new PatchExtractor(v, plan, Padding.constant(0));
			assertEquals(4 * 5 * 3 * 2, e.patchLength());
			for (int b = 0; b < plan.batchCount(); b++) {
				float[] batch = e.extractBatch(plan.batchStart(b), plan.batchEnd(b));
				int i = 0;
				for (int w = plan.batchStart(b); w < plan.batchEnd(b); w++) {
					long[] s = plan.windowStart(w);
					for (int x = 0; x < 4; x++)
						for (int y = 0; y < 5; y++)
							for (int z = 0; z < 3; z++)
								for (int ch = 0; ch < 2; ch++)
									assertEquals(value(s[0] + x, s[1] + y, s[2] + z, ch), batch[i++], 0f);
				}
				assertEquals(batch.length, i);
			}
		}
	}
}
