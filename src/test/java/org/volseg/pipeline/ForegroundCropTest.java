package org.volseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.volseg.model.ModelDescriptor;
import org.volseg.model.OutputActivation;
import org.volseg.model.Preprocessing;
import org.volseg.runtime.PatchPredictor;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * MONAI's CropForeground on the model grid: the box (worked out by hand from MONAI's
 * generate_spatial_bounding_box / compute_bounding_box), the crop and the way back, and a whole
 * segmentation with a crop step against running on the pre-cropped volume and padding back.
 */
class ForegroundCropTest {

	/** 30 x 26 x 20 voxels of -5 (not foreground: select is x > 0) with a block of 2 at x 7..16, y 3..11, z 12..19. */
	static Volume scan() {
		Volume v = Volume.allocate(Geometry.ofLps(new double[][] { { 0.8, 0, 0, -12 }, { 0, 0.9, 0, 7 }, { 0, 0, 2, 30 },
				{ 0, 0, 0, 1 } }), 30, 26, 20);
		Cursor<FloatType> c = Views.flatIterable(v.voxels()).localizingCursor();
		while (c.hasNext()) {
			c.fwd();
			long x = c.getLongPosition(0), y = c.getLongPosition(1), z = c.getLongPosition(2);
			boolean in = x >= 7 && x <= 16 && y >= 3 && y <= 11 && z >= 12 && z <= 19;
			// a varying foreground, so that windows differ
			c.get().set(in ? 2 + 0.1f * ((x * 7 + y * 3 + z) % 11) : -5);
		}
		return v;
	}

	private static Preprocessing.CropForeground step(int[] margin, int[] k, boolean allowSmaller) {
		return new Preprocessing.CropForeground(List.of(margin[0], margin[1], margin[2]), List.of(k[0], k[1], k[2]), allowSmaller);
	}

	@Test
	void boxFollowsMonaiMarginDivisibilityAndClamping() {
		Volume v = scan();
		// foreground x 7..16, y 3..11, z 12..19; margin (2, 4, 1):
		// x [5, 19) n 14, k 4 -> 16, start 5 - 1 = 4; y [-1, 16) clamped to [0, 16) n 16 -> 16; z [11, 21) clamped to [11, 20)
		// n 9, k 4 -> 12, start 11 - 1 = 10 (end 22 > 20: two zero planes)
		ForegroundCrop c = ForegroundCrop.of(v, step(new int[] { 2, 4, 1 }, new int[] { 4, 4, 4 }, true));
		assertArrayEquals(new long[] { 4, 0, 10 }, c.start());
		assertArrayEquals(new long[] { 16, 16, 12 }, c.size());
		// allow_smaller false: y [-1, 16) n 17 -> k 1 unchanged, start -1; z [11, 21)
		ForegroundCrop d = ForegroundCrop.of(v, step(new int[] { 2, 4, 1 }, new int[] { 1, 1, 1 }, false));
		assertArrayEquals(new long[] { 5, -1, 11 }, d.start());
		assertArrayEquals(new long[] { 14, 17, 10 }, d.size());
		// k_divisible 0 (no rounding) and odd growth: x n 10, k 3 -> 12, start 7 - 1 = 6
		ForegroundCrop e = ForegroundCrop.of(v, step(new int[] { 0, 0, 0 }, new int[] { 3, 0, 5 }, true));
		assertArrayEquals(new long[] { 6, 3, 11 }, e.start());
		assertArrayEquals(new long[] { 12, 9, 10 }, e.size());

		Volume box = d.crop(v);
		assertArrayEquals(new long[] { 14, 17, 10 }, box.dimensions());
		// box voxel (0, 0, 0) is full voxel (5, -1, 11): outside, zero; box (2, 4, 1) = full (7, 3, 12)
		assertEquals(0f, at(box, 0, 0, 0));
		assertEquals(at(v, 7, 3, 12), at(box, 2, 4, 1));
		assertEquals(at(v, 18, 15, 20 - 1), at(box, 13, 16, 8));
		assertEquals(0f, at(box, 13, 16, 9)); // z 20: beyond the scan
		// the box's geometry puts its voxels where the scan's are
		double[] w1 = new double[3], w2 = new double[3];
		box.geometry().voxelToWorld(new double[] { 2, 4, 1 }, w1);
		v.geometry().voxelToWorld(new double[] { 7, 3, 12 }, w2);
		assertArrayEquals(w2, w1, 1e-9);
		// back on the full grid: the scan inside the box, zeros outside it
		Volume back = d.padBack(box);
		assertTrue(back.geometry().equals(v.geometry()));
		Cursor<FloatType> a = Views.flatIterable(v.voxels()).localizingCursor();
		Cursor<FloatType> b = Views.flatIterable(back.voxels()).cursor();
		while (a.hasNext()) {
			float s = a.next().get(), t = b.next().get();
			long x = a.getLongPosition(0), z = a.getLongPosition(2);
			boolean inside = x >= 5 && x < 19 && z >= 11; // y: the box covers 0..15, the scan 0..25
			inside &= a.getLongPosition(1) < 16;
			assertEquals(inside ? s : 0f, t);
		}
	}

	@Test
	void anyChannelAboveZeroIsForegroundAndNoneGivesTheEmptyBox() {
		Volume two = Volume.allocate(Geometry.identity(), 6, 5, 4, 2);
		set(two, 1, 1, 1, 0, -3);
		set(two, 4, 2, 3, 1, 0.5f);
		set(two, 0, 4, 0, 0, 0); // zero is not foreground
		ForegroundCrop c = ForegroundCrop.of(two, step(new int[3], new int[] { 1, 1, 1 }, true));
		assertArrayEquals(new long[] { 4, 2, 3 }, c.start());
		assertArrayEquals(new long[] { 1, 1, 1 }, c.size());
		assertEquals(2, c.crop(two).channels());
		ForegroundCrop none = ForegroundCrop.of(Volume.allocate(Geometry.identity(), 6, 5, 4),
				step(new int[] { 3, 3, 3 }, new int[] { 16, 16, 16 }, true));
		assertTrue(none.empty());
		assertArrayEquals(new long[3], none.size());
		Volume zeros = none.padBack(Volume.allocate(Geometry.identity(), 1, 1, 1, 3));
		assertArrayEquals(new long[] { 6, 5, 4, 3 }, zeros.dimensions());
	}

	/** Two classes: logits (0, v + mean of the window's voxels - 1.35), so that labels depend on the windows. */
	static final class WindowMean implements PatchPredictor {
		int calls;

		@Override
		public int inputChannels() {
			return 1;
		}

		@Override
		public int outputChannels() {
			return 2;
		}

		@Override
		public float[] predict(float[] patches, int batch, int[] size) {
			calls++;
			int n = size[0] * size[1] * size[2];
			float[] out = new float[batch * n * 2];
			for (int b = 0; b < batch; b++) {
				double mean = 0;
				for (int i = 0; i < n; i++)
					mean += patches[b * n + i];
				mean /= n;
				for (int i = 0; i < n; i++)
					out[2 * (b * n + i) + 1] = (float) (patches[b * n + i] + mean - 1.35);
			}
			return out;
		}
	}

	private static ModelDescriptor model(Preprocessing... steps) {
		ModelDescriptor.Builder b = ModelDescriptor.builder().name("window mean").inputChannels(1).patchSize(8, 8, 8)
				.overlap(0.5).outputActivation(OutputActivation.SOFTMAX).addClass(0, "background", 0, 0, 0)
				.addClass(1, "block", 255, 0, 0);
		for (Preprocessing p : steps)
			b.preprocessing(p);
		return b.build();
	}

	@Test
	void segmentingWithACropEqualsThePreCroppedVolumePaddedBack() {
		Volume v = scan();
		Preprocessing.CropForeground crop = step(new int[] { 2, 4, 1 }, new int[] { 4, 4, 4 }, true);
		Preprocessing.ScaleIntensityRange scale = new Preprocessing.ScaleIntensityRange(-5, 3, 0, 1, true);
		SegmentationResult cropped;
		try (Segmenter s = Segmenter.of(model(scale, crop), new WindowMean(), "test")) {
			cropped = s.segment(v, SegmentationSettings.defaults(), SegmentationListener.none(), () -> false);
		}
		// the same by hand: scale, cut the box (x 4..19, y 0..15, z 10..21) with zeros beyond the scan, run, pad back
		Volume scaled = IntensityPreprocessing.copyOf(v);
		IntensityPreprocessing.apply(scaled, List.of(scale), org.volseg.model.NormalizationRegion.VOLUME);
		Volume box = Volume.allocate(Geometry.identity(), 16, 16, 12);
		RandomAccess<FloatType> src = scaled.voxels().randomAccess();
		Cursor<FloatType> bc = Views.flatIterable(box.voxels()).localizingCursor();
		while (bc.hasNext()) {
			bc.fwd();
			long x = bc.getLongPosition(0) + 4, y = bc.getLongPosition(1), z = bc.getLongPosition(2) + 10;
			if (z < 20) {
				src.setPosition(new long[] { x, y, z });
				bc.get().set(src.get().get());
			}
		}
		SegmentationResult byHand;
		try (Segmenter s = Segmenter.of(model(), new WindowMean(), "test")) {
			byHand = s.segment(box, SegmentationSettings.defaults(), SegmentationListener.none(), () -> false);
		}
		int differentFromFullRun = 0, ones = 0;
		Volume full;
		try (Segmenter s = Segmenter.of(model(scale), new WindowMean(), "test")) {
			full = s.segment(v, SegmentationSettings.defaults(), SegmentationListener.none(), () -> false).labels();
		}
		Cursor<FloatType> a = Views.flatIterable(cropped.labels().voxels()).localizingCursor();
		RandomAccess<FloatType> h = byHand.labels().voxels().randomAccess();
		Cursor<FloatType> f = Views.flatIterable(full.voxels()).cursor();
		while (a.hasNext()) {
			float got = a.next().get(), whole = f.next().get();
			long x = a.getLongPosition(0) - 4, y = a.getLongPosition(1), z = a.getLongPosition(2) - 10;
			float want = 0;
			if (x >= 0 && x < 16 && y >= 0 && y < 16 && z >= 0 && z < 12) {
				h.setPosition(new long[] { x, y, z });
				want = h.get().get();
			}
			assertEquals(want, got, "voxel " + a.getLongPosition(0) + "," + a.getLongPosition(1) + "," + a.getLongPosition(2));
			if (got != whole)
				differentFromFullRun++;
			if (got == 1)
				ones++;
		}
		assertTrue(ones > 100, "labels inside the box: " + ones);
		// the crop matters: windows over the box see other voxels than windows over the whole scan
		assertTrue(differentFromFullRun > 0 && differentFromFullRun < ones, differentFromFullRun + " of " + ones);
		assertArrayEquals(new long[] { 30, 26, 20 }, cropped.modelGrid());
		assertTrue(cropped.preprocessing().stream().anyMatch(l -> l.startsWith("crop_foreground: box from [4, 0, 10] size [16, 16, 12]")),
				cropped.preprocessing().toString());
	}

	@Test
	void nothingAboveZeroSegmentsNothingAndSaysSo() {
		Volume v = Volume.allocate(Geometry.identity(), 12, 10, 9);
		for (FloatType t : Views.flatIterable(v.voxels()))
			t.set(-1);
		WindowMean net = new WindowMean();
		List<String> warnings = new ArrayList<>();
		SegmentationResult r;
		try (Segmenter s = Segmenter.of(model(step(new int[3], new int[] { 1, 1, 1 }, true)), net, "test")) {
			r = s.segment(v, SegmentationSettings.defaults(), new SegmentationListener() {
				@Override
				public void warning(String message) {
					warnings.add(message);
				}
			}, () -> false);
		}
		assertEquals(0, net.calls);
		assertEquals(0, r.windows());
		assertEquals(1, warnings.size(), warnings.toString());
		assertTrue(warnings.get(0).contains("nothing segmented"), warnings.get(0));
		assertArrayEquals(new long[] { 12, 10, 9 }, r.labels().dimensions());
		for (FloatType t : Views.flatIterable(r.labels().voxels()))
			assertEquals(0f, t.get());
	}

	private static float at(Volume v, long x, long y, long z) {
		RandomAccess<FloatType> r = v.voxels().randomAccess();
		r.setPosition(new long[] { x, y, z });
		return r.get().get();
	}

	private static void set(Volume v, long x, long y, long z, long c, float value) {
		RandomAccess<FloatType> r = v.voxels().randomAccess();
		r.setPosition(new long[] { x, y, z, c });
		r.get().set(value);
	}
}
