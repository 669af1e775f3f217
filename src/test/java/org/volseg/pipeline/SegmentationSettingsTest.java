package org.volseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.volseg.InvalidParameterException;
import org.volseg.runtime.Device;
import org.volseg.tiling.BlendMode;
import org.volseg.tiling.Padding;
import org.volseg.tiling.SlidingWindowSettings;

/** Defaults, validation messages naming the flag, and resolution of the model's defaults. */
class SegmentationSettingsTest {

	@Test
	void defaults() {
		SegmentationSettings s = SegmentationSettings.defaults();
		assertNull(s.roi());
		assertNull(s.overlap());
		assertNull(s.blend());
		assertNull(s.sigmaScale());
		assertEquals(1, s.batch());
		assertEquals(Padding.constant(0), s.padding());
		assertEquals(Device.AUTO, s.device());
		assertEquals(0, s.threads());
		assertTrue(s.reorient() && s.resample() && s.normalize());
		assertEquals(0, s.minComponentSize());
		assertEquals(0.5f, s.threshold());
		assertNull(s.labelsOutput());
		assertNull(s.seriesNumber());
	}

	@Test
	void engineOptionsCarryDeviceThreadsTrustAndInterOpThreads() {
		var options = SegmentationSettings.builder().device(Device.CPU).threads(3).trustModel(true).build().engineOptions();
		assertEquals(Device.CPU, options.device());
		assertEquals(3, options.intraOpThreads());
		assertEquals(2, options.interOpThreads(), "VolSeg's choice: 2");
		assertTrue(options.trustModel());
		assertEquals(0, SegmentationSettings.defaults().engineOptions().intraOpThreads(), "0 = all cores");
		assertEquals(1, SegmentationSettings.builder().threads(1).build().engineOptions().interOpThreads(), "1 with --threads 1");
		SegmentationSettings one = SegmentationSettings.builder().interOpThreads(1).build();
		assertEquals(1, one.engineOptions().interOpThreads());
		assertEquals(1, one.toBuilder().build().interOpThreads(), "kept by toBuilder");
		assertEquals(4, SegmentationSettings.builder().threads(1).interOpThreads(4).build().engineOptions().interOpThreads());
	}

	@Test
	void badValuesNameTheirFlag() {
		assertFlag("--roi", () -> SegmentationSettings.builder().roi(96, 0, 96));
		assertFlag("--overlap", () -> SegmentationSettings.builder().overlap(1.0));
		assertFlag("--sigma-scale", () -> SegmentationSettings.builder().sigmaScale(-0.1));
		assertFlag("--batch", () -> SegmentationSettings.builder().batch(0));
		assertFlag("--threads", () -> SegmentationSettings.builder().threads(-1));
		assertFlag("--inter-op-threads", () -> SegmentationSettings.builder().interOpThreads(-1));
		assertFlag("--min-component-size", () -> SegmentationSettings.builder().minComponentSize(-5));
		assertFlag("--threshold", () -> SegmentationSettings.builder().threshold(1.5f));
		assertFlag("--output", () -> SegmentationSettings.builder().labelsOutput(Path.of("labels.tif")));
		assertFlag("--save-logits", () -> SegmentationSettings.builder().logitsOutput(Path.of("l.nii.zip")));
	}

	private static void assertFlag(String flag, Runnable r) {
		InvalidParameterException e = assertThrows(InvalidParameterException.class, r::run);
		assertTrue(e.getMessage().startsWith(flag), e.getMessage());
	}

	@Test
	void windowSettingsComeFromTheModelUnlessGiven() {
		// the fake descriptor declares patch 16, overlap 0.5, gaussian, sigma 0.125 (builder defaults)
		Segmenter seg = Segmenter.of(FakeModels.descriptor(1, 16, null, null), new FakeModels.Threshold(1, 0.5f), "test");
		assertEquals(BlendMode.GAUSSIAN, seg.descriptor().volseg().blendMode());
		SlidingWindowSettings model = seg.windowSettings(SegmentationSettings.defaults());
		assertArrayEquals(new int[] { 16, 16, 16 }, model.roi());
		assertArrayEquals(new double[] { 0.5, 0.5, 0.5 }, model.overlap());
		assertEquals(org.volseg.tiling.BlendMode.GAUSSIAN, model.blend());
		assertArrayEquals(new double[] { 0.125, 0.125, 0.125 }, model.sigmaScale());
		SlidingWindowSettings mine = seg.windowSettings(SegmentationSettings.builder().overlap(0.25)
				.blend(org.volseg.tiling.BlendMode.CONSTANT).sigmaScale(0.2).batch(4).padding(Padding.edge()).build());
		assertArrayEquals(new double[] { 0.25, 0.25, 0.25 }, mine.overlap());
		assertEquals(org.volseg.tiling.BlendMode.CONSTANT, mine.blend());
		assertEquals(4, mine.batch());
		assertEquals(Padding.edge(), mine.padding());
		assertArrayEquals(new double[] { 0.2, 0.2, 0.2 }, mine.sigmaScale());
	}

	@Test
	void toBuilderKeepsEverything() {
		SegmentationSettings s = SegmentationSettings.builder().roi(8, 8, 8).overlap(0.1).batch(3).threads(2)
				.labelsOutput(Path.of("a.nii.gz")).seriesNumber(4).noPreprocessing().minComponentSize(7).build();
		assertEquals(s.toString(), s.toBuilder().build().toString());
		assertEquals(Path.of("b.nii"), s.toBuilder().labelsOutput(Path.of("b.nii")).build().labelsOutput());
		assertEquals(4, s.toBuilder().build().seriesNumber());
	}
}
