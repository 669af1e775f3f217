package org.volseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.CancelledException;
import org.volseg.VolSegException;
import org.volseg.io.nifti.NiftiWriter;
import org.volseg.model.ModelDescriptor;
import org.volseg.model.MonaiOptions;
import org.volseg.model.OutputActivation;
import org.volseg.model.Preprocessing;
import org.volseg.testutil.TemporaryProperty;
import org.volseg.volume.FloatFile;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Logits and probabilities kept on disk ({@link FloatOutputs}, above the size in the system property
 * {@value FloatOutputs#THRESHOLD_PROPERTY}) give the same files, byte for byte after decompression,
 * as the same outputs kept in memory: on the scan's own grid, resampled onto an oblique scan, put
 * back from a foreground crop (with and without resampling), and all zeros when the crop finds
 * nothing; .nii and .nii.gz. The temporary files are gone after success, failure and cancellation.
 */
class FloatOutputsTest {

	@TempDir
	Path dir;

	/** The result of the last {@link #segmentBytes} run. */
	private SegmentationResult lastResult;

	/** Runs with outputs in memory (threshold: never) or on disk (threshold 0: always). */
	private static <T> T withThreshold(long bytes, Supplier<T> run) {
		try (TemporaryProperty threshold = TemporaryProperty.set(FloatOutputs.THRESHOLD_PROPERTY, Long.toString(bytes))) {
			return run.get();
		}
	}

	/** Records whether the probabilities a sink receives are kept in a file. */
	private static class Probe implements OutputSink {
		final Path target;
		Boolean onDisk;
		FloatFile file;

		Probe(Path target) {
			this.target = target;
		}

		@Override
		public String kind() {
			return "probe";
		}

		@Override
		public Path target() {
			return target;
		}

		@Override
		public boolean needsProbabilities() {
			return true;
		}

		@Override
		public void write(SegmentationOutputs o, Path file) {
			this.file = FloatFile.backing(o.probabilities().voxels());
			onDisk = this.file != null;
			try {
				Files.writeString(file, "probe");
			} catch (IOException e) {
				throw new java.io.UncheckedIOException(e);
			}
		}
	}

	private byte[] segmentBytes(ModelDescriptor model, org.volseg.runtime.PatchPredictor net, Path input, Volume volume,
			SegmentationSettings.Builder settings, String name, boolean disk) throws IOException {
		return segmentBytes(model, net, input, volume, settings, name, disk, disk ? 0 : Long.MAX_VALUE);
	}

	/** @param threshold the size above which outputs are kept on disk; {@code disk}: whether the sinks see them on disk */
	private byte[] segmentBytes(ModelDescriptor model, org.volseg.runtime.PatchPredictor net, Path input, Volume volume,
			SegmentationSettings.Builder settings, String name, boolean disk, long threshold) throws IOException {
		Path probabilities = dir.resolve("out-" + disk + "/p-" + name), logits = dir.resolve("out-" + disk + "/l-" + name);
		Path labels = dir.resolve("out-" + disk + "/labels-" + name);
		Files.createDirectories(probabilities.getParent());
		Probe probe = new Probe(dir.resolve("out-" + disk + "/probe-" + name + ".txt"));
		SegmentationSettings s = settings.probabilitiesOutput(probabilities).logitsOutput(logits).labelsOutput(labels)
				.outputSink(probe).build();
		lastResult = withThreshold(threshold, () -> {
			try (Segmenter seg = Segmenter.of(model, net, "test")) {
				return input != null ? seg.segment(input, s, SegmentationListener.none(), () -> false)
						: seg.segment(volume, s, SegmentationListener.none(), () -> false);
			}
		});
		assertEquals(disk, probe.onDisk, name + ": probabilities kept on disk");
		if (disk)
			assertFalse(probe.file.isOpen(), name + ": the temporary file is closed after the run");
		assertNoTemporaryFiles(probabilities.getParent());
		// probabilities, logits and labels, one after the other
		java.io.ByteArrayOutputStream both = new java.io.ByteArrayOutputStream();
		both.write(decompressed(probabilities));
		both.write(decompressed(logits));
		both.write(decompressed(labels));
		return both.toByteArray();
	}

	private static byte[] decompressed(Path file) throws IOException {
		if (!file.toString().endsWith(".gz"))
			return Files.readAllBytes(file);
		try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
			return in.readAllBytes();
		}
	}

	private void assertSame(ModelDescriptor model, Supplier<org.volseg.runtime.PatchPredictor> net, Path input, Volume volume,
			Supplier<SegmentationSettings.Builder> settings, String what) throws IOException {
		for (String ext : new String[] { ".nii", ".nii.gz" }) {
			byte[] memory = segmentBytes(model, net.get(), input, volume, settings.get(), what + ext, false);
			byte[] disk = segmentBytes(model, net.get(), input, volume, settings.get(), what + ext, true);
			assertTrue(memory.length > 2 * 352, what + ext);
			assertArrayEquals(memory, disk, what + ext + ": on disk and in memory give the same bytes");
		}
	}

	@Test
	void onTheScanGridAndResampledTheFilesAreTheSameByteForByte() throws IOException {
		Volume scan = SegmenterTest.obliqueBall();
		Path in = dir.resolve("scan.nii");
		NiftiWriter.writeFloat32(scan, in);
		ModelDescriptor model = FakeModels.descriptor(1, 16, new double[] { 2, 2, 2 }, "RAS");
		assertSame(model, () -> new FakeModels.Threshold(1, 0.5f), in, null,
				() -> SegmentationSettings.builder().noPreprocessing(), "same-grid");
		assertSame(model, () -> new FakeModels.Threshold(1, 0.5f), in, null,
				() -> SegmentationSettings.builder().reorient(true).resample(true), "resampled");
		// on the model grid (about 24 x 22 x 24 voxels at 2 mm, 0.1 MB) under the threshold, on the scan's grid
		// (40 x 36 x 30, 0.35 MB) above it: kept in memory during the inference, carried back into a file
		byte[] memory = segmentBytes(model, new FakeModels.Threshold(1, 0.5f), in, null,
				SegmentationSettings.builder().reorient(true).resample(true), "coarse-model-grid.nii", false);
		byte[] mixed = segmentBytes(model, new FakeModels.Threshold(1, 0.5f), in, null,
				SegmentationSettings.builder().reorient(true).resample(true), "coarse-model-grid.nii", true, 200_000);
		assertArrayEquals(memory, mixed, "a model-grid output in memory carried back into a file");
		long[] grid = lastResult.modelGrid();
		assertTrue(4L * 2 * grid[0] * grid[1] * grid[2] < 200_000 && 4L * 2 * 40 * 36 * 30 > 200_000, Arrays.toString(grid));
		// a MONAI bundle that takes its labels from the probabilities carried back (they are then read from the file)
		ModelDescriptor invertsScores = ModelDescriptor.builder().name("fake threshold").description("test").inputChannels(1)
				.patchSize(16, 16, 16).outputActivation(OutputActivation.SOFTMAX).addClass(0, "background", 0, 0, 0)
				.addClass(1, "ball", 255, 0, 0).targetSpacingMm(2, 2, 2).targetOrientation("RAS")
				.monai(new MonaiOptions(null, MonaiOptions.Invert.PROBABILITIES, null, List.of(), null)).build();
		assertSame(invertsScores, () -> new FakeModels.Threshold(1, 0.5f), in, null,
				() -> SegmentationSettings.builder().reorient(true).resample(true), "labels-from-scores");
	}

	private static ModelDescriptor cropModel(double[] spacing) {
		ModelDescriptor.Builder b = ModelDescriptor.builder().name("window mean").inputChannels(1).patchSize(8, 8, 8)
				.overlap(0.5).outputActivation(OutputActivation.SOFTMAX).addClass(0, "background", 0, 0, 0)
				.addClass(1, "block", 255, 0, 0)
				.preprocessing(new Preprocessing.CropForeground(List.of(2, 4, 1), List.of(4, 4, 4), true));
		if (spacing != null)
			b.targetSpacingMm(spacing[0], spacing[1], spacing[2]);
		return b.build();
	}

	@Test
	void putBackFromAForegroundCropTheFilesAreTheSameByteForByte() throws IOException {
		Volume scan = ForegroundCropTest.scan();
		assertSame(cropModel(null), ForegroundCropTest.WindowMean::new, null, scan, SegmentationSettings::builder, "crop");
		assertSame(cropModel(new double[] { 1.5, 1.5, 2.5 }), ForegroundCropTest.WindowMean::new, null, scan,
				SegmentationSettings::builder, "crop-resampled");
		Volume nothing = Volume.allocate(Geometry.identity(), 12, 10, 9);
		for (FloatType t : Views.flatIterable(nothing.voxels()))
			t.set(-1);
		assertSame(cropModel(null), ForegroundCropTest.WindowMean::new, null, nothing, SegmentationSettings::builder,
				"crop-nothing");
	}

	@Test
	void smallOutputsStayInMemoryByDefault() throws IOException {
		assertNull(System.getProperty(FloatOutputs.THRESHOLD_PROPERTY));
		assertEquals(128L << 20, FloatOutputs.thresholdBytes());
		Probe probe = new Probe(dir.resolve("probe.txt"));
		SegmentationSettings s = SegmentationSettings.builder().noPreprocessing().outputSink(probe).build();
		try (Segmenter seg = Segmenter.of(FakeModels.descriptor(1, 16, null, null), new FakeModels.Threshold(1, 0.5f), "test")) {
			seg.segment(SegmenterTest.obliqueBall(), s, SegmentationListener.none(), () -> false);
		}
		assertFalse(probe.onDisk);
	}

	@Test
	void noTemporaryFileIsLeftAfterAFailureOrACancellation() throws IOException {
		Path in = dir.resolve("scan.nii");
		NiftiWriter.writeFloat32(SegmenterTest.obliqueBall(), in);
		Path out = Files.createDirectories(dir.resolve("out"));
		SegmentationSettings s = SegmentationSettings.builder().noPreprocessing().labelsOutput(out.resolve("labels.nii"))
				.probabilitiesOutput(out.resolve("p.nii.gz")).logitsOutput(out.resolve("l.nii")).build();
		// the engine fails during the inference
		FakeModels.Threshold failing = new FakeModels.Threshold(1, 0.5f);
		failing.failAtCall = 3;
		VolSegException e = withThreshold(0, () -> {
			try (Segmenter seg = Segmenter.of(FakeModels.descriptor(1, 16, null, null), failing, "test")) {
				return assertThrows(VolSegException.class, () -> seg.segment(in, s, SegmentationListener.none(), () -> false));
			}
		});
		assertTrue(e.getMessage().contains("simulated engine failure"), e.getMessage());
		assertNoTemporaryFiles(out);
		assertEquals(List.of(), list(out));
		// a sink fails while writing, after the probabilities were read from their file
		Probe probe = new Probe(out.resolve("probe.txt")) {
			@Override
			public void write(SegmentationOutputs o, Path file) {
				super.write(o, file);
				throw new VolSegException("simulated sink failure");
			}
		};
		SegmentationSettings failingSink = SegmentationSettings.builder().noPreprocessing().probabilitiesOutput(out.resolve("p.nii"))
				.outputSink(probe).build();
		withThreshold(0, () -> {
			try (Segmenter seg = Segmenter.of(FakeModels.descriptor(1, 16, null, null), new FakeModels.Threshold(1, 0.5f), "test")) {
				return assertThrows(VolSegException.class,
						() -> seg.segment(in, failingSink, SegmentationListener.none(), () -> false));
			}
		});
		assertTrue(probe.onDisk);
		assertFalse(probe.file.isOpen(), "closed after the failure");
		assertNoTemporaryFiles(out);
		assertEquals(List.of(), list(out));
		// cancelled during the inference
		int[] polls = { 0 };
		withThreshold(0, () -> {
			try (Segmenter seg = Segmenter.of(FakeModels.descriptor(1, 16, null, null), new FakeModels.Threshold(1, 0.5f), "test")) {
				return assertThrows(CancelledException.class,
						() -> seg.segment(in, s, SegmentationListener.none(), () -> ++polls[0] > 4));
			}
		});
		assertNoTemporaryFiles(out);
		assertEquals(List.of(), list(out));
	}

	@Test
	void aMissingOutputFolderFallsBackToTheSystemTemporaryFolder() {
		// the output folder does not exist yet: the temporary file goes to java.io.tmpdir, the output is still written
		Path out = dir.resolve("new/folder/p.nii");
		Probe probe = new Probe(dir.resolve("new/folder/probe.txt"));
		SegmentationSettings s = SegmentationSettings.builder().noPreprocessing().probabilitiesOutput(out).outputSink(probe).build();
		withThreshold(0, () -> {
			try (Segmenter seg = Segmenter.of(FakeModels.descriptor(1, 16, null, null), new FakeModels.Threshold(1, 0.5f), "test")) {
				return seg.segment(SegmenterTest.obliqueBall(), s, SegmentationListener.none(), () -> false);
			}
		});
		assertTrue(probe.onDisk);
		assertEquals(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath(),
				probe.file.path().toAbsolutePath().getParent());
		assertTrue(Files.isRegularFile(out));
		assertFalse(probe.file.isOpen());
	}

	private static List<String> list(Path folder) throws IOException {
		try (Stream<Path> s = Files.list(folder)) {
			return s.map(p -> p.getFileName().toString()).sorted().toList();
		}
	}

	/**
	 * No {@code .volseg-floats-} file in the folder, nor (where {@code /proc/self/fd} exists, Linux) an
	 * open file descriptor of this process on one (their names are unlinked when opened).
	 */
	static void assertNoTemporaryFiles(Path folder) throws IOException {
		for (String name : list(folder))
			assertFalse(name.startsWith(".volseg-floats-"), folder + " still holds " + name);
		Path fds = Path.of("/proc/self/fd");
		if (!Files.isDirectory(fds))
			return;
		List<String> open = new ArrayList<>();
		try (Stream<Path> s = Files.list(fds)) {
			for (Path fd : (Iterable<Path>) s::iterator)
				try {
					String target = Files.readSymbolicLink(fd).toString();
					if (target.contains(".volseg-floats-"))
						open.add(target);
				} catch (IOException ignored) {
					// closed meanwhile (the listing's own descriptor)
				}
		}
		assertEquals(List.of(), open, "temporary float files still open");
	}

	@Test
	void aFloatFileReadsBackWhatWasWrittenAndIsGoneWhenClosed() throws IOException {
		FloatFile f = FloatFile.create(dir, 5, 4, 3, 2);
		assertTrue(f.isOpen());
		if (Files.isDirectory(Path.of("/proc/self/fd"))) { // Linux
			assertFalse(Files.exists(f.path()), "the name is gone as soon as the file is open");
			// the check sees an open one, named or unlinked
			assertThrows(org.opentest4j.AssertionFailedError.class, () -> assertNoTemporaryFiles(dir));
		}
		float[] values = new float[5 * 4 * 3 * 2];
		for (int i = 0; i < values.length; i++)
			values[i] = i == 7 ? Float.intBitsToFloat(0x7fc00123) : i * 0.5f - 3; // a NaN with a payload too
		f.write(0, values, 0, 60);
		f.write(60, values, 60, 60);
		Volume v = f.volume(Geometry.identity());
		assertArrayEquals(new long[] { 5, 4, 3, 2 }, v.dimensions());
		var a = v.voxels().randomAccess();
		assertEquals(values[4 + 5 * (3 + 4 * (2 + 3 * 1))], a.setPositionAndGet(4, 3, 2, 1).get());
		float[] back = new float[values.length];
		f.read(0, back, 0, back.length);
		for (int i = 0; i < values.length; i++)
			assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(back[i]), "voxel " + i);
		f.close();
		assertFalse(f.isOpen());
		assertFalse(Files.exists(f.path()));
		assertNoTemporaryFiles(dir);
		VolSegException e = assertThrows(VolSegException.class, () -> f.write(0, values, 0, 1));
		assertTrue(e.getMessage().startsWith(f.path() + ": writing this temporary file of 0.0 GB failed"), e.getMessage());
	}

	/**
	 * A large one-channel input goes to a file and is read back in blocks with the same values, stored
	 * integers as their floats; it stays in memory under the threshold and with several channels. Blocks
	 * read through a one-block cache (every read evicts) and against the sliding window's order give the
	 * same voxels.
	 */
	@Test
	void aLargeInputWaitsOnDiskWithTheSameValues() throws IOException {
		java.util.Random random = new java.util.Random(3);
		long[] size = { 37, 29, 23 };
		net.imglib2.img.planar.PlanarImg<net.imglib2.type.numeric.integer.ShortType, ?> shorts = net.imglib2.img.planar.PlanarImgs
				.shorts(size);
		shorts.forEach(t -> t.set((short) (random.nextInt(4000) - 1024)));
		Geometry g = Geometry.ofSpacing(0.8, 0.9, 2.5);
		Volume input = new Volume(org.volseg.volume.StoredVoxels.of(shorts, true, 0.5, -7), g);
		org.volseg.tiling.SlidingWindowSettings window = org.volseg.tiling.SlidingWindowSettings.builder(16, 16, 16).overlap(0.5)
				.build();
		org.volseg.tiling.TilePlan plan = org.volseg.tiling.TilePlanner.plan(size, window, 2, List.of());
		try (FloatOutputs floats = new FloatOutputs(List.of())) {
			assertSameVolume(input, withThreshold(Long.MAX_VALUE, () -> floats.inputOnDisk(input, plan)), false);
			Volume onDisk = withThreshold(2L * 37 * 29 * 23 - 1, () -> floats.inputOnDisk(input, plan));
			assertSameVolume(input, onDisk, true);
			assertEquals(g, onDisk.geometry());
			assertTrue(FloatOutputs.inputCacheBytes(plan) >= 4L * 37 * (2 * 16 + 32) * (16 + 32), "two slow rows of one window");
			FloatFile file = FloatFile.backing(onDisk.voxels());
			assertSameVolume(input, file.blockVolume(g, 5, 1), true);
			Volume twoChannels = Volume.allocate(g, 6, 5, 4, 2);
			assertSameVolume(twoChannels, withThreshold(0, () -> floats.inputOnDisk(twoChannels, plan)), false);
		}
		assertNoTemporaryFiles(Path.of(System.getProperty("java.io.tmpdir")));
	}

	/** Every voxel equal, in a shuffled order (so that a small cache evicts); {@code onDisk}: read from a file. */
	private static void assertSameVolume(Volume expected, Volume actual, boolean onDisk) {
		assertEquals(onDisk, FloatFile.backing(actual.voxels()) != null);
		assertArrayEquals(expected.dimensions(), actual.dimensions());
		long[] dims = expected.voxels().dimensionsAsLongArray();
		List<long[]> positions = new ArrayList<>();
		var c = Views.flatIterable(expected.voxels()).localizingCursor();
		while (c.hasNext()) {
			c.fwd();
			positions.add(c.positionAsLongArray());
		}
		java.util.Collections.shuffle(positions, new java.util.Random(5));
		var a = expected.voxels().randomAccess();
		var b = actual.voxels().randomAccess();
		for (long[] p : positions)
			assertEquals(a.setPositionAndGet(p).get(), b.setPositionAndGet(p).get(), () -> Arrays.toString(p));
		assertEquals(positions.size(), Arrays.stream(dims).reduce(1, (x, y) -> x * y));
	}
}
