package org.volseg.tiling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.volseg.volume.Geometry;
import org.volseg.volume.Reorient;
import org.volseg.volume.StoredVoxels;
import org.volseg.volume.Volume;

import net.imglib2.blocks.PrimitiveBlocks;
import net.imglib2.blocks.PrimitiveBlocks.OnFallback;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;

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
		for (Padding p : List.of(Padding.constant(-1024), Padding.constant(0.25), Padding.edge(), Padding.reflect())) {
			assertArrayEquals(allWindows(floats, p), allWindows(compact, p), p.toString());
			// reoriented (flips and a permutation of the stored integers, still stored voxels)
			Volume reoriented = Reorient.to(compact, "SAR");
			assertTrue(reoriented.voxels() instanceof StoredVoxels, "reoriented integers stay stored voxels");
			assertArrayEquals(allWindows(Reorient.to(floats, "SAR"), p), allWindows(reoriented, p), p + ", reoriented");
		}
	}

	@Test
	void windowsOfSeveralChannelsEqualThoseOfTheFloatCopy() {
		PlanarImg<UnsignedByteType, ?> img = PlanarImgs.unsignedBytes(11, 8, 6, 3);
		Random random = new Random(3);
		img.forEach(t -> t.set(random.nextInt(256)));
		StoredVoxels<UnsignedByteType> stored = StoredVoxels.of(img, false, 1, 0);
		Volume compact = new Volume(stored, Geometry.identity());
		Volume floats = Volume.allocate(Geometry.identity(), new long[] { 11, 8, 6, 3 });
		LoopBuilder.setImages(stored, floats.voxels()).forEachPixel((s, f) -> f.set(s));
		for (Padding p : List.of(Padding.constant(0), Padding.edge(), Padding.reflect()))
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
