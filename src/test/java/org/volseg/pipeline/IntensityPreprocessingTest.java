package org.volseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.volseg.VolSegException;
import org.volseg.model.ModelDescriptor;
import org.volseg.model.NormalizationRegion;
import org.volseg.model.OutputActivation;
import org.volseg.model.Preprocessing;
import org.volseg.model.Preprocessing.Mode;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;

/** Intensity steps against values worked out by hand (numpy conventions), and the preprocessing switches. */
class IntensityPreprocessingTest {

	/** A 4x1x1 volume (or 4x1x1x2) with the given values, x fastest, then channel. */
	static Volume line(float... values) {
		int channels = values.length / 4;
		Volume v = channels == 1 ? Volume.allocate(Geometry.identity(), 4, 1, 1)
				: Volume.allocate(Geometry.identity(), 4, 1, 1, channels);
		RandomAccess<FloatType> a = v.voxels().randomAccess();
		for (int i = 0; i < values.length; i++) {
			a.setPosition(i % 4, 0);
			if (channels > 1)
				a.setPosition(i / 4, 3);
			a.get().set(values[i]);
		}
		return v;
	}

	static float[] values(Volume v) {
		float[] out = new float[(int) (v.spatialVoxelCount() * v.channels())];
		int i = 0;
		for (long c = 0; c < v.channels(); c++)
			for (FloatType t : net.imglib2.view.Views.flatIterable(v.channel(c)))
				out[i++] = t.get();
		return out;
	}

	static void assertValues(float[] expected, Volume v) {
		float[] got = values(v);
		for (int i = 0; i < expected.length; i++)
			assertEquals(expected[i], got[i], 1e-5, "value " + i);
	}

	@Test
	void clipThenScaleLinear() {
		Volume v = line(-2000, -100, 300, 3000);
		IntensityPreprocessing.apply(v, List.of(new Preprocessing.Clip(-1000, 1000),
				new Preprocessing.ScaleLinear(List.of(0.001), List.of(0.5), null)), NormalizationRegion.VOLUME);
		assertValues(new float[] { -0.5f, 0.4f, 0.8f, 1.5f }, v);
	}

	@Test
	void scaleLinearPerChannel() {
		Volume v = line(1, 2, 3, 4, 1, 2, 3, 4);
		IntensityPreprocessing.apply(v, List.of(new Preprocessing.ScaleLinear(List.of(1.0, 10.0), List.of(0.0, -1.0), "c")),
				NormalizationRegion.VOLUME);
		assertValues(new float[] { 1, 2, 3, 4, 9, 19, 29, 39 }, v);
	}

	@Test
	void zeroMeanUnitVariancePerSampleUsesThePopulationStd() {
		// mean 2.5, population std sqrt(1.25)
		Volume v = line(1, 2, 3, 4);
		IntensityPreprocessing.apply(v, List.of(new Preprocessing.ZeroMeanUnitVariance(Mode.PER_SAMPLE, List.of(), List.of(),
				List.of(), 1e-6)), NormalizationRegion.VOLUME);
		double s = Math.sqrt(1.25) + 1e-6;
		assertValues(new float[] { (float) (-1.5 / s), (float) (-0.5 / s), (float) (0.5 / s), (float) (1.5 / s) }, v);
	}

	@Test
	void zeroMeanUnitVarianceOverTheForegroundLeavesBackgroundAtZero() {
		// foreground 2, 4, 6: mean 4, population std sqrt(8/3)
		Volume v = line(0, 2, 4, 6);
		IntensityPreprocessing.apply(v, List.of(new Preprocessing.ZeroMeanUnitVariance(Mode.PER_DATASET, List.of(), List.of(),
				List.of(), 0)), NormalizationRegion.FOREGROUND);
		double s = Math.sqrt(8.0 / 3);
		assertValues(new float[] { 0, (float) (-2 / s), 0, (float) (2 / s) }, v);
	}

	@Test
	void zeroMeanUnitVarianceFixedPerChannel() {
		Volume v = line(1, 2, 3, 4, 10, 20, 30, 40);
		IntensityPreprocessing.apply(v, List.of(new Preprocessing.ZeroMeanUnitVariance(Mode.FIXED, List.of(),
				List.of(1.0, 10.0), List.of(2.0, 5.0), 0)), NormalizationRegion.VOLUME);
		assertValues(new float[] { 0, 0.5f, 1, 1.5f, 0, 2, 4, 6 }, v);
	}

	@Test
	void perChannelValuesMustMatchTheChannels() {
		Volume v = line(1, 2, 3, 4);
		VolSegException e = assertThrows(VolSegException.class, () -> IntensityPreprocessing.apply(v,
				List.of(new Preprocessing.ZeroMeanUnitVariance(Mode.FIXED, List.of(), List.of(1.0, 2.0), List.of(1.0, 1.0), 0)),
				NormalizationRegion.VOLUME));
		assertTrue(e.getMessage().contains("2 values but the volume has 1 channel"), e.getMessage());
	}

	@Test
	void scaleRangeUsesNumpyLinearPercentiles() {
		// numpy.percentile([10, 20, 30, 40], 25) = 17.5, 75 -> 32.5
		Volume v = line(40, 10, 30, 20);
		IntensityPreprocessing.apply(v, List.of(new Preprocessing.ScaleRange(Mode.PER_SAMPLE, List.of(), 25, 75, 0)),
				NormalizationRegion.VOLUME);
		assertValues(new float[] { 1.5f, -0.5f, 0.833333f, 0.166667f }, v);
	}

	@Test
	void preprocessorNeverModifiesTheInputAndHonoursTheSwitches() {
		Volume v = line(1, 2, 3, 4);
		ModelDescriptor d = ModelDescriptor.builder().name("t").inputChannels(1).patchSize(4, 1, 1)
				.outputActivation(OutputActivation.NONE).addClass(0, "a", 0, 0, 0)
				.preprocessing(new Preprocessing.ScaleLinear(List.of(2.0), List.of(0.0), null)).build();
		Preprocessor.Prepared p = Preprocessor.prepare(v, d, SegmentationSettings.defaults());
		assertValues(new float[] { 2, 4, 6, 8 }, p.volume());
		assertValues(new float[] { 1, 2, 3, 4 }, v);
		Preprocessor.Prepared off = Preprocessor.prepare(v, d, SegmentationSettings.builder().normalize(false).build());
		assertValues(new float[] { 1, 2, 3, 4 }, off.volume());
		assertSame(v.voxels(), off.volume().voxels(), "nothing to do: no copy");
	}

	/** 18 voxels along x, one channel per array (the numpy reference data of the removed model.IntensityPreprocessor test). */
	private static Volume row18(float[]... channels) {
		Volume v = channels.length == 1 ? Volume.allocate(Geometry.identity(), 18, 1, 1)
				: Volume.allocate(Geometry.identity(), 18, 1, 1, channels.length);
		RandomAccess<FloatType> r = v.voxels().randomAccess();
		for (int c = 0; c < channels.length; c++)
			for (int x = 0; x < 18; x++) {
				r.setPosition(x, 0);
				if (channels.length > 1)
					r.setPosition(c, 3);
				r.get().set(channels[c][x]);
			}
		return v;
	}

	private static final float[] A = { 0, 0, 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 0, 8, 9, 7, 9 };
	private static final float[] B = { 2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5, 9, 0, 4, 5, 2, 3 };

	/** numpy 2.4: (a - a.mean()) / (a.std() + 1e-6). */
	@Test
	void zeroMeanUnitVarianceMatchesNumpy() {
		Volume v = row18(A);
		IntensityPreprocessing.apply(v, List.of(new Preprocessing.ZeroMeanUnitVariance(Mode.PER_SAMPLE,
				List.of("x", "y", "z"), List.of(), List.of(), 1e-6)), NormalizationRegion.VOLUME);
		assertValues(new float[] { -1.3618187f, -1.3618187f, -0.406777f, -1.0434715f, -0.08842975f, -1.0434715f,
				0.22991748f, 1.5033064f, -0.7251242f, 0.5482647f, 0.22991748f, -0.406777f, 0.22991748f, -1.3618187f,
				1.1849592f, 1.5033064f, 0.866612f, 1.5033064f }, v);
	}

	/** With the channel among the axes the statistics are joint: numpy concatenate([a, b]) has mean 4.3333335, std 3.0092452. */
	@Test
	void jointStatisticsOverAllChannelsMatchNumpy() {
		Volume v = row18(A, B);
		IntensityPreprocessing.apply(v, List.of(new Preprocessing.ZeroMeanUnitVariance(Mode.PER_DATASET,
				List.of("channel", "x", "y", "z"), List.of(), List.of(), 1e-6)), NormalizationRegion.VOLUME);
		float[] got = values(v);
		assertEquals((0 - 4.3333335) / (3.0092452 + 1e-6), got[0], 1e-5);
		assertEquals((9 - 4.3333335) / (3.0092452 + 1e-6), got[18 + 12], 1e-5);
	}

	/** numpy: np.percentile(a, [10, 90]) = [0, 9]; (a - 0) / (9 - 0 + 1e-6). */
	@Test
	void scaleRangeMatchesNumpyPercentiles() {
		Volume v = row18(A);
		IntensityPreprocessing.apply(v, List.of(new Preprocessing.ScaleRange(Mode.PER_SAMPLE, List.of("x", "y", "z"), 10, 90,
				1e-6)), NormalizationRegion.VOLUME);
		assertValues(new float[] { 0f, 0f, 0.3333333f, 0.1111111f, 0.4444444f, 0.1111111f, 0.5555555f, 0.9999999f }, v);
	}
}
