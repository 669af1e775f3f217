package org.volseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.VolSegException;
import org.volseg.VolumeFormatException;
import org.volseg.io.nifti.NiftiReader;
import org.volseg.io.nifti.NiftiWriter;
import org.volseg.CancelledException;
import org.volseg.volume.Geometry;
import org.volseg.volume.Orientation;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/** Segmenter with plain-Java predictors: placement on the input scan, cancellation, failures, bad input. */
class SegmenterTest {

	@TempDir
	Path dir;

	static final double[] BALL_CENTRE_LPS = { 4.0, -6.0, 10.0 };
	static final double BALL_RADIUS_MM = 9;

	/**
	 * An oblique scan (rotated 20 degrees about the patient's S axis, slices running towards I,
	 * anisotropic spacing) holding a ball of value 1 around {@link #BALL_CENTRE_LPS}, off the centre.
	 */
	static Volume obliqueBall() {
		double a = Math.toRadians(20), sx = 1.0, sy = 1.2, sz = 1.5;
		double[][] lps = { { Math.cos(a) * sx, -Math.sin(a) * sy, 0, -20 }, { Math.sin(a) * sx, Math.cos(a) * sy, 0, -30 },
				{ 0, 0, -sz, 40 }, { 0, 0, 0, 1 } };
		Volume v = Volume.allocate(Geometry.ofLps(lps), 40, 36, 30);
		fillBall(v);
		return v;
	}

	static void fillBall(Volume v) {
		Cursor<FloatType> c = Views.flatIterable(v.voxels()).localizingCursor();
		double[] voxel = new double[3], world = new double[3];
		while (c.hasNext()) {
			c.fwd();
			for (int d = 0; d < 3; d++)
				voxel[d] = c.getDoublePosition(d);
			v.geometry().voxelToWorld(voxel, world);
			double r2 = 0;
			for (int d = 0; d < 3; d++)
				r2 += (world[d] - BALL_CENTRE_LPS[d]) * (world[d] - BALL_CENTRE_LPS[d]);
			c.get().set(r2 <= BALL_RADIUS_MM * BALL_RADIUS_MM ? 1 : 0);
		}
	}

	private List<String> files() throws IOException {
		try (Stream<Path> s = Files.list(dir)) {
			return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
		}
	}

	@Test
	void labelsOfAnObliqueScanSitOnTheScanThroughModelSpacingAndOrientation() throws IOException {
		Volume scan = obliqueBall();
		Path in = dir.resolve("scan.nii.gz");
		NiftiWriter.writeFloat32(scan, in);
		Volume written = NiftiReader.read(in).volume();
		Path labels = dir.resolve("labels.nii.gz"), logits = dir.resolve("logits.nii");
		SegmentationSettings s = SegmentationSettings.builder().labelsOutput(labels).logitsOutput(logits).batch(3).build();
		SegmentationResult r;
		try (Segmenter seg = Segmenter.of(FakeModels.descriptor(1, 16, new double[] { 2, 2, 2 }, "RAS"),
				new FakeModels.Threshold(1, 0.5f), "test")) {
			r = seg.segment(in, s, SegmentationListener.none(), () -> false);
		}
		// the network saw a RAS grid of 2 mm voxels
		assertEquals("RAS", r.modelOrientation());
		assertArrayEquals(new double[] { 2, 2, 2 }, r.modelSpacingMm(), 1e-9);
		assertNotEquals(Orientation.of(scan.geometry()).code(), "RAS");
		assertEquals(2, r.preprocessing().size(), r.preprocessing().toString());

		Volume out = NiftiReader.read(labels).volume();
		assertArrayEquals(written.dimensions(), out.dimensions());
		assertTrue(out.geometry().equalsWithin(written.geometry(), 1e-5), out.geometry() + " vs " + written.geometry());
		Volume lg = NiftiReader.read(logits).volume();
		assertArrayEquals(new long[] { 40, 36, 30, 2 }, lg.dimensions());
		assertTrue(lg.geometry().equalsWithin(written.geometry(), 1e-5));

		// the labels are the ball, in place: overlap (Dice) and centroid in world coordinates
		long both = 0, inLabels = 0, inBall = 0;
		double[] centroid = new double[3];
		RandomAccess<FloatType> l = out.voxels().randomAccess();
		Cursor<FloatType> c = Views.flatIterable(written.voxels()).localizingCursor();
		double[] voxel = new double[3], world = new double[3];
		while (c.hasNext()) {
			c.fwd();
			boolean ball = c.get().get() > 0.5;
			l.setPosition(c);
			boolean label = l.get().get() == 1;
			inBall += ball ? 1 : 0;
			inLabels += label ? 1 : 0;
			both += ball && label ? 1 : 0;
			if (label) {
				c.localize(voxel);
				written.geometry().voxelToWorld(voxel, world);
				for (int d = 0; d < 3; d++)
					centroid[d] += world[d];
			}
		}
		double dice = 2.0 * both / (inBall + inLabels);
		assertTrue(dice > 0.9, "Dice " + dice);
		for (int d = 0; d < 3; d++)
			assertEquals(BALL_CENTRE_LPS[d], centroid[d] / inLabels, 0.5, "centroid axis " + d);
		assertEquals(1, r.rows().size());
		assertEquals("ball", r.rows().get(0).name());
		assertEquals(inLabels, r.rows().get(0).voxels());
		assertEquals(inLabels * 1.0 * 1.2 * 1.5 / 1000, r.rows().get(0).volumeMl(), 1e-6);
		assertEquals(List.of("labels.nii.gz", "logits.nii", "scan.nii.gz"), files());
	}

	/**
	 * A scan read from a file is not held while the windows run once preprocessing has made the
	 * model-grid volume from it: the live heap during the inference is about the scan's size smaller
	 * than when the caller holds the same scan in memory.
	 */
	@Test
	void aScanReadFromAFileIsFreedDuringTheInference() throws IOException {
		Volume scan = Volume.allocate(Geometry.ofSpacing(1, 1, 1), 256, 256, 192); // 48 MiB of floats
		fillBall(scan);
		Path in = dir.resolve("big.nii");
		NiftiWriter.writeFloat32(scan, in);
		long scanBytes = 4L * 256 * 256 * 192;
		scan = null;
		java.util.function.Function<java.util.function.Function<Segmenter, SegmentationResult>, Long> liveHeapDuringInference = run -> {
			long[] live = { -1 };
			FakeModels.Threshold threshold = new FakeModels.Threshold(1, 0.5f);
			org.volseg.runtime.PatchPredictor measuring = new org.volseg.runtime.PatchPredictor() {
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
					if (live[0] < 0) {
						System.gc();
						System.gc();
						live[0] = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
					}
					return threshold.predict(patches, batch, size);
				}
			};
			// 4 mm voxels: the model grid is 64 x 64 x 48, a 64th of the scan
			try (Segmenter seg = Segmenter.of(FakeModels.descriptor(1, 16, new double[] { 4, 4, 4 }, null), measuring, "test")) {
				run.apply(seg);
			}
			return live[0];
		};
		SegmentationSettings s = SegmentationSettings.builder().build();
		long fromFile = liveHeapDuringInference.apply(seg -> seg.segment(in, s, SegmentationListener.none(), () -> false));
		Volume held = NiftiReader.read(in).volume();
		long fromMemory = liveHeapDuringInference.apply(seg -> seg.segment(held, s, SegmentationListener.none(), () -> false));
		assertEquals(256, held.dimension(0)); // held until here
		assertTrue(fromMemory - fromFile > scanBytes / 2, "live heap during the inference: " + fromFile / 1048576
				+ " MiB from the file, " + fromMemory / 1048576 + " MiB with the scan held by the caller");
	}

	@Test
	void preprocessingSwitchedOffRunsOnTheScanGridItself() {
		Volume scan = obliqueBall();
		SegmentationSettings s = SegmentationSettings.builder().noPreprocessing().build();
		try (Segmenter seg = Segmenter.of(FakeModels.descriptor(1, 16, new double[] { 2, 2, 2 }, "RAS"),
				new FakeModels.Threshold(1, 0.5f), "test")) {
			SegmentationResult r = seg.segment(scan, s, SegmentationListener.none(), () -> false);
			assertArrayEquals(new long[] { 40, 36, 30 }, r.modelGrid());
			assertEquals(Orientation.of(scan.geometry()).code(), r.modelOrientation());
			// same grid: the labels are exactly the thresholded scan
			Cursor<FloatType> a = Views.flatIterable(scan.voxels()).cursor();
			Cursor<FloatType> b = Views.flatIterable(r.labels().voxels()).cursor();
			while (a.hasNext())
				assertEquals(a.next().get() > 0.5 ? 1f : 0f, b.next().get());
			assertTrue(r.labels().geometry().equals(scan.geometry()));
		}
	}

	@Test
	void cancellationBetweenBatchesLeavesNoFile() throws IOException {
		Path in = dir.resolve("scan.nii.gz");
		NiftiWriter.writeFloat32(obliqueBall(), in);
		AtomicInteger polls = new AtomicInteger();
		SegmentationSettings s = SegmentationSettings.builder().noPreprocessing().labelsOutput(dir.resolve("labels.nii.gz"))
				.logitsOutput(dir.resolve("logits.nii.gz")).build();
		FakeModels.Threshold predictor = new FakeModels.Threshold(1, 0.5f);
		try (Segmenter seg = Segmenter.of(FakeModels.descriptor(1, 16, null, null), predictor, "test")) {
			assertThrows(CancelledException.class,
					() -> seg.segment(in, s, SegmentationListener.none(), () -> polls.incrementAndGet() > 4));
		}
		assertTrue(predictor.calls > 0, "cancelled during the inference, after some batches");
		assertEquals(List.of("scan.nii.gz"), files());
	}

	@Test
	void cancellationWhileWritingLeavesNoFile() throws IOException {
		Path in = dir.resolve("scan.nii.gz");
		NiftiWriter.writeFloat32(obliqueBall(), in);
		AtomicBoolean writing = new AtomicBoolean();
		SegmentationListener listener = new SegmentationListener() {
			@Override
			public void stage(Stage stage) {
				if (stage == Stage.WRITING)
					writing.set(true);
			}
		};
		SegmentationSettings s = SegmentationSettings.builder().noPreprocessing().labelsOutput(dir.resolve("labels.nii.gz"))
				.probabilitiesOutput(dir.resolve("p.nii.gz")).build();
		try (Segmenter seg = Segmenter.of(FakeModels.descriptor(1, 16, null, null), new FakeModels.Threshold(1, 0.5f), "test")) {
			assertThrows(CancelledException.class, () -> seg.segment(in, s, listener, writing::get));
		}
		assertTrue(writing.get());
		assertEquals(List.of("scan.nii.gz"), files());
	}

	@Test
	void engineFailureLeavesNoFileAndAnExistingOutputUntouched() throws IOException {
		Path in = dir.resolve("scan.nii.gz");
		NiftiWriter.writeFloat32(obliqueBall(), in);
		Path labels = dir.resolve("labels.nii.gz");
		Files.writeString(labels, "previous result");
		FakeModels.Threshold predictor = new FakeModels.Threshold(1, 0.5f);
		predictor.failAtCall = 3;
		SegmentationSettings s = SegmentationSettings.builder().noPreprocessing().labelsOutput(labels).build();
		try (Segmenter seg = Segmenter.of(FakeModels.descriptor(1, 16, null, null), predictor, "test")) {
			VolSegException e = assertThrows(VolSegException.class,
					() -> seg.segment(in, s, SegmentationListener.none(), () -> false));
			assertTrue(e.getMessage().contains("simulated engine failure"), e.getMessage());
		}
		assertEquals(List.of("labels.nii.gz", "scan.nii.gz"), files());
		assertEquals("previous result", Files.readString(labels));
	}

	@Test
	void missingInputIsAClearError() {
		Path missing = dir.resolve("no-such-scan.nii.gz");
		try (Segmenter seg = Segmenter.of(FakeModels.descriptor(1, 16, null, null), new FakeModels.Threshold(1, 0.5f), "test")) {
			VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> seg.segment(missing,
					SegmentationSettings.defaults(), SegmentationListener.none(), () -> false));
			assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
		}
	}

	@Test
	void modelWithOtherInputChannelsIsAClearError() throws IOException {
		Path in = dir.resolve("scan.nii.gz");
		NiftiWriter.writeFloat32(obliqueBall(), in);
		try (Segmenter seg = Segmenter.of(FakeModels.descriptor(2, 16, null, null), new FakeModels.Threshold(2, 0.5f), "test")) {
			VolSegException e = assertThrows(VolSegException.class, () -> seg.segment(in,
					SegmentationSettings.defaults(), SegmentationListener.none(), () -> false));
			assertTrue(e.getMessage().contains(in.toString()) && e.getMessage().contains("has 1 channel(s)")
					&& e.getMessage().contains("expects 2 input channel(s) (channel0, channel1)"), e.getMessage());
		}
	}

	@Test
	void roiTheModelCannotRunIsRefusedBeforeReading() {
		try (Segmenter seg = Segmenter.of(FakeModels.descriptor(1, 16, null, null), new FakeModels.Threshold(1, 0.5f), "test")) {
			VolSegException e = assertThrows(VolSegException.class, () -> seg.segment(dir.resolve("missing.nii"),
					SegmentationSettings.builder().roi(32, 32, 32).build(), SegmentationListener.none(), () -> false));
			assertTrue(e.getMessage().startsWith("--roi"), e.getMessage());
		}
	}

	@Test
	void outputOverTheInputIsRefused() throws IOException {
		Path in = dir.resolve("scan.nii.gz");
		NiftiWriter.writeFloat32(obliqueBall(), in);
		try (Segmenter seg = Segmenter.of(FakeModels.descriptor(1, 16, null, null), new FakeModels.Threshold(1, 0.5f), "test")) {
			assertThrows(VolSegException.class, () -> seg.segment(in,
					SegmentationSettings.builder().labelsOutput(in).build(), SegmentationListener.none(), () -> false));
		}
		assertEquals(List.of("scan.nii.gz"), files());
	}

	@Test
	void smallComponentsAreRemovedOnTheInputGrid() {
		Volume scan = obliqueBall();
		RandomAccess<FloatType> a = scan.voxels().randomAccess();
		a.setPositionAndGet(1, 1, 1).set(1); // a stray voxel far from the ball
		try (Segmenter seg = Segmenter.of(FakeModels.descriptor(1, 16, null, null), new FakeModels.Threshold(1, 0.5f), "test")) {
			SegmentationResult keep = seg.segment(scan, SegmentationSettings.builder().noPreprocessing().build(),
					SegmentationListener.none(), () -> false);
			SegmentationResult clean = seg.segment(scan,
					SegmentationSettings.builder().noPreprocessing().minComponentSize(10).build(), SegmentationListener.none(),
					() -> false);
			assertEquals(keep.rows().get(0).voxels() - 1, clean.rows().get(0).voxels());
			assertEquals(1, clean.removed().voxels());
			assertEquals(0f, clean.labels().voxels().randomAccess().setPositionAndGet(1, 1, 1).get());
		}
	}
}
