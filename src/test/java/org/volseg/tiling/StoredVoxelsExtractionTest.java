package org.volseg.tiling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.volseg.volume.Geometry;
import org.volseg.volume.StoredVoxels;
import org.volseg.volume.Volume;

import net.imglib2.blocks.PrimitiveBlocks;
import net.imglib2.blocks.PrimitiveBlocks.OnFallback;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.type.numeric.integer.ShortType;

/**
 * Windows cut from integers kept as stored ({@link StoredVoxels}) equal, bit for bit, the windows
 * cut from the same values held as floats, for every padding, and take ImgLib2's fast block copy.
 */
class StoredVoxelsExtractionTest {

	private static final long[] DIMS = { 13, 9, 7 };

	private static StoredVoxels<ShortType> stored() {
		PlanarImg<ShortType, ?> img = PlanarImgs.shorts(DIMS);
		Random random = new Random(7);
		img.forEach(t -> t.set((short) (random.nextInt(4096) - 2048)));
		return StoredVoxels.of(img, true, 0.5, -1024);
	}

	private static float[] allWindows(Volume v, Padding padding) {
		TilePlan plan = TilePlan.of(v.dimensions(), SlidingWindowSettings.builder(8, 6, 5).overlap(0.5).build());
		return new PatchExtractor(v, plan, padding).extractBatch(0, plan.windowCount());
	}

	@Test
	void windowsEqualThoseOfTheFloatCopyForEveryPadding() {
		StoredVoxels<ShortType> stored = stored();
		Volume compact = new Volume(stored, Geometry.identity());
		Volume floats = Volume.allocate(Geometry.identity(), DIMS);
		LoopBuilder.setImages(stored, floats.voxels()).forEachPixel((s, f) -> f.set(s));
		// -1024 is stored 0 (padded before the conversion); 0.25 is no stored value (padded after it)
		for (Padding p : List.of(Padding.constant(-1024), Padding.constant(0.25), Padding.edge(), Padding.reflect()))
			assertArrayEquals(allWindows(floats, p), allWindows(compact, p), p.toString());
	}

	@Test
	void storedIntegersTakeTheFastBlockCopy() {
		Volume compact = new Volume(stored(), Geometry.identity());
		TilePlan plan = TilePlan.of(compact.dimensions(), SlidingWindowSettings.builder(8, 6, 5).build());
		for (Padding p : List.of(Padding.constant(-1024), Padding.edge(), Padding.reflect()))
			assertDoesNotThrow(() -> PrimitiveBlocks.of(PatchExtractor.orderedView(compact, plan, p), OnFallback.FAIL), p.toString());
	}
}
