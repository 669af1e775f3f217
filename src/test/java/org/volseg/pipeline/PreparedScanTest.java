package org.volseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.VolSegException;
import org.volseg.io.nifti.NiftiWriter;
import org.volseg.model.ModelDescriptor;
import org.volseg.volume.Volume;

/**
 * {@link Segmenter#prepare} then {@link Segmenter#segment(PreparedScan, SegmentationListener, java.util.function.BooleanSupplier)}:
 * the same labels as one {@code segment(Path ...)} call; the clock of a scan prepared before the model was
 * ready starts when it was ready, and the overlap is reported; a prepared scan is used once and only
 * with the model it was prepared for.
 */
class PreparedScanTest {

	@TempDir
	Path dir;

	@Test
	void aScanPreparedBeforeTheModelWasReadySegmentsAlikeAndCountsFromTheLoad() throws Exception {
		Path in = dir.resolve("ball.nii.gz");
		NiftiWriter.writeFloat32(SegmenterTest.obliqueBall(), in);
		ModelDescriptor d = FakeModels.descriptor(1, 16, new double[] { 2, 2, 2 }, "RAS");
		SegmentationSettings s = SegmentationSettings.builder().build();
		long before = System.nanoTime();
		PreparedScan scan = Segmenter.prepare(in, d, "fake", s, SegmentationListener.none(), () -> false);
		Thread.sleep(300); // the model "loads"
		SegmentationResult overlapped;
		try (Segmenter later = Segmenter.of(d, new FakeModels.Threshold(1, 0.5f), "test")) {
			long ready = System.nanoTime();
			overlapped = later.segment(scan, SegmentationListener.none(), () -> false);
			long end = System.nanoTime();
			double prepared = scan.readSeconds() + scan.preprocessSeconds();
			assertEquals(prepared, overlapped.secondsOverlappedWithLoad(), 0.01, "the whole preparation overlapped");
			assertTrue(overlapped.secondsTotal() <= (end - ready) * 1e-9 + 1e-6, "total " + overlapped.secondsTotal()
					+ " s counts from the model being ready, " + (end - ready) * 1e-9 + " s before the end");
			assertTrue((end - before) * 1e-9 - overlapped.secondsTotal() >= 0.3, "the load's 0.3 s is not in the total");
			assertEquals(prepared, overlapped.seconds().get("read") + overlapped.seconds().get("preprocess"), 1e-9);
			assertThrows(IllegalArgumentException.class, () -> later.segment(scan, SegmentationListener.none(), () -> false));
		}
		SegmentationResult oneStep;
		try (Segmenter first = Segmenter.of(d, new FakeModels.Threshold(1, 0.5f), "test")) {
			oneStep = first.segment(in, s, SegmentationListener.none(), () -> false);
		}
		assertEquals(0, oneStep.secondsOverlappedWithLoad());
		assertTrue(sameVoxels(oneStep.labels(), overlapped.labels()));
		assertEquals(oneStep.rows(), overlapped.rows());
		assertTrue(oneStep.rows().get(0).voxels() > 100, oneStep.rows().toString());

		// prepared for another model: refused
		PreparedScan other = Segmenter.prepare(in, FakeModels.descriptor(1, 16, new double[] { 3, 3, 3 }, "RAS"), "fake", s,
				SegmentationListener.none(), () -> false);
		try (Segmenter seg = Segmenter.of(d, new FakeModels.Threshold(1, 0.5f), "test")) {
			assertThrows(IllegalArgumentException.class, () -> seg.segment(other, SegmentationListener.none(), () -> false));
		}
		// the model's channels are checked while preparing, with the message of a one-step segmentation
		VolSegException channels = assertThrows(VolSegException.class, () -> Segmenter.prepare(in,
				FakeModels.descriptor(2, 16, null, null), "two-channel", s, SegmentationListener.none(), () -> false));
		assertTrue(channels.getMessage().contains(in.toString()) && channels.getMessage().contains("expects 2 input channel(s)"),
				channels.getMessage());
	}

	private static boolean sameVoxels(Volume a, Volume b) {
		var ca = net.imglib2.view.Views.flatIterable(a.voxels()).cursor();
		var cb = net.imglib2.view.Views.flatIterable(b.voxels()).cursor();
		while (ca.hasNext())
			if (!cb.hasNext() || ca.next().get() != cb.next().get())
				return false;
		return !cb.hasNext();
	}

	/** A sink's prepare() runs on its own thread while the scan is read, and has ended before its write. */
	@Test
	void sinkSetUpRunsBesideTheReadingAndEndsBeforeTheWrite() throws Exception {
		Path in = dir.resolve("ball.nii.gz");
		NiftiWriter.writeFloat32(SegmenterTest.obliqueBall(), in);
		java.util.concurrent.atomic.AtomicReference<String> preparedOn = new java.util.concurrent.atomic.AtomicReference<>();
		java.util.concurrent.atomic.AtomicBoolean prepared = new java.util.concurrent.atomic.AtomicBoolean(),
				seenByWrite = new java.util.concurrent.atomic.AtomicBoolean();
		OutputSink slow = new OutputSink() {
			public String kind() {
				return "probe";
			}

			public Path target() {
				return dir.resolve("probe.txt");
			}

			@Override
			public void prepare() {
				preparedOn.set(Thread.currentThread().getName());
				try {
					Thread.sleep(400);
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
				prepared.set(true);
			}

			public void write(SegmentationOutputs o, Path file) {
				seenByWrite.set(prepared.get());
				try {
					java.nio.file.Files.writeString(file, "x");
				} catch (java.io.IOException e) {
					throw new java.io.UncheckedIOException(e);
				}
			}
		};
		OutputSink failing = new OutputSink() {
			public String kind() {
				return "failing-set-up";
			}

			public Path target() {
				return dir.resolve("other.txt");
			}

			@Override
			public void prepare() {
				throw new IllegalStateException("set-up failed (ignored: the write decides)");
			}

			public void write(SegmentationOutputs o, Path file) {
				try {
					java.nio.file.Files.writeString(file, "y");
				} catch (java.io.IOException e) {
					throw new java.io.UncheckedIOException(e);
				}
			}
		};
		SegmentationSettings s = SegmentationSettings.builder().noPreprocessing().outputSink(failing).outputSink(slow).build();
		try (Segmenter seg = Segmenter.of(FakeModels.descriptor(1, 16, null, null), new FakeModels.Threshold(1, 0.5f), "test")) {
			SegmentationResult r = seg.segment(in, s, SegmentationListener.none(), () -> false);
			assertEquals(2, r.written().size());
		}
		assertEquals("volseg-sink-setup", preparedOn.get());
		assertTrue(seenByWrite.get(), "the write ran before the set-up had ended");
		assertEquals("x", java.nio.file.Files.readString(dir.resolve("probe.txt")));
	}
}
