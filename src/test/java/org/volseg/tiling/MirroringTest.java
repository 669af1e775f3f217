package org.volseg.tiling;

import org.volseg.runtime.PatchPredictor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.volseg.tiling.TilingTestSupport.maxDifference;
import static org.volseg.tiling.TilingTestSupport.randomVolume;

import java.util.Random;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.junit.jupiter.api.Test;
import org.volseg.InvalidParameterException;
import org.volseg.volume.Volume;

/**
 * Mirroring test-time augmentation: the sliding window with {@code tta=flips} must equal the average
 * of the flipped whole-volume runs done by hand (each input volume flipped, segmented without
 * augmentation, its raw output flipped back), averaged before the activation.
 */
class MirroringTest {

	/** A window plan that is its own mirror image: 8^3 windows at interval 4 over 16 x 20 x 12. */
	private static final long[] SYMMETRIC_DIMS = { 16, 20, 12 };

	private static SlidingWindowSettings.Builder settings() {
		return SlidingWindowSettings.builder(8, 8, 8).overlap(0.5).blend(BlendMode.GAUSSIAN).batch(3);
	}

	@Test
	void theSlidingWindowWithFlipsEqualsTheAverageOfTheEightFlippedRunsDoneByHand() {
		Volume input = randomVolume(11, SYMMETRIC_DIMS);
		PatchPredictor network = FakePredictors.windowDependent();
		SlidingWindowSettings plain = settings().build();

		Img<FloatType> byHand = averageOfFlippedRuns(input, network, plain, Mirroring.ALL_AXES);
		Volume tta = TilingTestSupport.run(new SlidingWindowInference(settings().mirroring(Mirroring.ALL_AXES).build()), input, network,
				Finalizer.raw());
		Volume none = TilingTestSupport.run(new SlidingWindowInference(plain), input, network, Finalizer.raw());

		assertTrue(maxDifference(tta.voxels(), byHand) < 1e-5, "tta vs by hand: " + maxDifference(tta.voxels(), byHand));
		// the network is not mirror-symmetric, so the augmentation must change the result
		assertTrue(maxDifference(none.voxels(), byHand) > 1e-2, "augmentation had no effect");
	}

	@Test
	void labelsAreTheArgmaxOfTheAveragedLogitsNotAVoteOfFlippedLabels() {
		Volume input = randomVolume(12, SYMMETRIC_DIMS);
		PatchPredictor network = FakePredictors.windowDependent();
		Img<FloatType> averaged = averageOfFlippedRuns(input, network, settings().build(), Mirroring.ALL_AXES);
		Volume labels = TilingTestSupport.run(new SlidingWindowInference(settings().mirroring(Mirroring.ALL_AXES).build()), input, network,
				Finalizer.argmax());
		long[] pos = new long[4];
		var averagedAccess = averaged.randomAccess();
		var labelAccess = labels.voxels().randomAccess();
		int compared = 0;
		for (pos[0] = 0; pos[0] < SYMMETRIC_DIMS[0]; pos[0]++)
			for (pos[1] = 0; pos[1] < SYMMETRIC_DIMS[1]; pos[1]++)
				for (pos[2] = 0; pos[2] < SYMMETRIC_DIMS[2]; pos[2]++) {
					int best = 0;
					float bestValue = Float.NEGATIVE_INFINITY, second = Float.NEGATIVE_INFINITY;
					for (pos[3] = 0; pos[3] < 3; pos[3]++) {
						averagedAccess.setPosition(pos);
						float v = averagedAccess.get().get();
						if (v > bestValue) {
							second = bestValue;
							bestValue = v;
							best = (int) pos[3];
						} else
							second = Math.max(second, v);
					}
					if (bestValue - second < 1e-4)
						continue; // a near-tie: float rounding may decide either way
					labelAccess.setPosition(new long[] { pos[0], pos[1], pos[2] });
					assertEquals(best, labelAccess.get().get(), 0f, "label at " + pos[0] + "," + pos[1] + "," + pos[2]);
					compared++;
				}
		assertTrue(compared > 0.99 * SYMMETRIC_DIMS[0] * SYMMETRIC_DIMS[1] * SYMMETRIC_DIMS[2], "compared " + compared);
	}

	@Test
	void chosenAxesOnlyAverageTheirFlips() {
		Volume input = randomVolume(13, SYMMETRIC_DIMS);
		PatchPredictor network = FakePredictors.windowDependent();
		Mirroring xz = Mirroring.parse("flips", "z, x", "--tta", "--tta-axes");
		assertEquals(4, xz.runs());
		Img<FloatType> byHand = averageOfFlippedRuns(input, network, settings().build(), xz);
		Volume tta = TilingTestSupport.run(new SlidingWindowInference(settings().mirroring(xz).build()), input, network,
				Finalizer.raw());
		assertTrue(maxDifference(tta.voxels(), byHand) < 1e-5);
		Img<FloatType> allAxes = averageOfFlippedRuns(input, network, settings().build(), Mirroring.ALL_AXES);
		assertTrue(maxDifference(tta.voxels(), allAxes) > 1e-3, "x,z must differ from x,y,z");
	}

	@Test
	void aBatchOfMultiChannelPatchesIsMirroredPatchByPatch() {
		int[] size = { 3, 4, 5 };
		int batch = 2, channels = 2;
		float[] patches = new float[batch * 60 * channels];
		Random r = new Random(5);
		for (int i = 0; i < patches.length; i++)
			patches[i] = (float) r.nextGaussian();
		PatchPredictor network = positionWeighted(channels);
		float[] expected = new float[patches.length];
		for (int mask = 0; mask < 8; mask++) {
			boolean[] flip = { (mask & 1) != 0, (mask & 2) != 0, (mask & 4) != 0 };
			float[] flipped = new float[patches.length];
			MirroringPredictor.flip(patches, flipped, batch, size, channels, flip, false);
			float[] out = network.predict(flipped, batch, size);
			MirroringPredictor.flip(out, expected, batch, size, channels, flip, true);
		}
		for (int i = 0; i < expected.length; i++)
			expected[i] /= 8;
		float[] before = patches.clone();
		float[] actual = new MirroringPredictor(network, Mirroring.ALL_AXES).predict(patches, batch, size);
		for (int i = 0; i < expected.length; i++)
			assertEquals(expected[i], actual[i], 1e-5f, "element " + i);
		assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(patches), "input modified");
		assertFalse(java.util.Arrays.equals(actual, network.predict(patches, batch, size)), "no effect");
	}

	@Test
	void settingsAreCheckedAndNamedAsTheCallerKnowsThem() {
		assertEquals(Mirroring.NONE, Mirroring.parse("none", null, "--tta", "--tta-axes"));
		assertEquals(Mirroring.ALL_AXES, Mirroring.parse("FLIPS", " ", "tta", "tta_axes"));
		assertEquals("x,z", Mirroring.parse("flips", "z,x", "tta", "tta_axes").axesText());
		assertEquals("--tta: expected none or flips, got mirror",
				assertThrows(InvalidParameterException.class, () -> Mirroring.parse("mirror", null, "--tta", "--tta-axes"))
						.getMessage());
		assertEquals("tta_axes: expected a comma-separated subset of x,y,z, each once, got x,x",
				assertThrows(InvalidParameterException.class, () -> Mirroring.parse("flips", "x,x", "tta", "tta_axes"))
						.getMessage());
		assertThrows(InvalidParameterException.class, () -> Mirroring.parse("flips", "w", "tta", "tta_axes"));
		assertEquals(Mirroring.NONE, settings().build().mirroring());
		assertTrue(settings().mirroring(Mirroring.ALL_AXES).build().toString().contains("tta=flips tta_axes=x,y,z"));
	}

	/** Each input flipped as a whole, segmented without augmentation, flipped back; the mean raw output. */
	private static Img<FloatType> averageOfFlippedRuns(Volume input, PatchPredictor network, SlidingWindowSettings plain,
			Mirroring axes) {
		long[] dims = input.dimensions();
		Img<FloatType> sum = ArrayImgs.floats(dims[0], dims[1], dims[2], network.outputChannels());
		for (int mask = 0; mask < 8; mask++) {
			boolean[] flip = { (mask & 1) != 0, (mask & 2) != 0, (mask & 4) != 0 };
			boolean allowed = true;
			for (int a = 0; a < 3; a++)
				allowed &= !flip[a] || axes.flips(a);
			if (!allowed)
				continue;
			Img<FloatType> flippedInput = ArrayImgs.floats(dims);
			LoopBuilder.setImages(flipped(input.voxels(), flip), flippedInput).forEachPixel((a, b) -> b.set(a));
			Volume out = TilingTestSupport.run(new SlidingWindowInference(plain), new Volume(flippedInput, input.geometry()), network,
					Finalizer.raw());
			LoopBuilder.setImages(flipped(out.voxels(), flip), sum).forEachPixel((a, b) -> b.set(b.get() + a.get()));
		}
		float runs = axes.runs();
		sum.forEach(t -> t.set(t.get() / runs));
		return sum;
	}

	private static RandomAccessibleInterval<FloatType> flipped(RandomAccessibleInterval<FloatType> img, boolean[] flip) {
		RandomAccessibleInterval<FloatType> v = img;
		for (int a = 0; a < 3; a++)
			if (flip[a])
				v = Views.zeroMin(Views.invertAxis(v, a));
		return v;
	}

	/** Output channel c = input times a weight that depends on the voxel's place and c: not mirror-symmetric. */
	private static PatchPredictor positionWeighted(int channels) {
		return new PatchPredictor() {
			@Override
			public int inputChannels() {
				return channels;
			}

			@Override
			public int outputChannels() {
				return channels;
			}

			@Override
			public float[] predict(float[] patches, int batch, int[] size) {
				float[] out = new float[patches.length];
				for (int i = 0; i < out.length; i++) {
					int voxel = i / channels;
					out[i] = patches[i] * (1 + voxel % 7) + (i % channels) * patches[(i + channels) % patches.length];
				}
				return out;
			}
		};
	}
}
