package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.testutil.CliRunner;
import org.volseg.engine.TestNetworks;
import org.volseg.io.nifti.NiftiReader;
import org.volseg.io.nifti.NiftiWriter;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;


/**
 * {@code volseg segment} with a small real TensorFlow model (a 3x3x3 convolution, see
 * {@link TestNetworks}): a DICOM folder in, labels on the series' grid out, the summary; and the
 * errors a user can make. (MONAI parity through this command: pipeline.SegmentParityTest.)
 */
class SegmentCommandTest {

	@TempDir
	Path dir;

	private Path model(int inChannels) throws Exception {
		// 3x3x3 'SAME' convolution, any patch size, target spacing 1.5x1.5x2 mm and RAS (TestNetworks.descriptor)
		return new TestNetworks(inChannels, 3, 42).export(dir.resolve("model" + inChannels), 16, 16, 16, false, false);
	}

	@Test
	void segmentsADicomSeriesOntoItsOwnGrid() throws Exception {
		Path folder = Paths.get(getClass().getResource("/dicom/series/axial_ct").toURI());
		Path labels = dir.resolve("labels.nii.gz"), p = dir.resolve("p.nii.gz");
		CliRunner r = CliRunner.run("segment", "--model", model(1).toString(), "--input", folder.toString(), "--output",
				labels.toString(), "--save-probabilities", p.toString(), "--series", "3", "--batch", "2", "--device", "cpu",
				"--progress", "lines");
		assertEquals(0, r.exitCode, r.err);
		assertTrue(r.out.contains("device:      cpu"), r.out);
		// MONAI Spacing's grid: rint((n - 1) * s / s' + 1): x 71 * 0.8 / 1.5 + 1 = 38.9 -> 39
		assertTrue(r.out.contains("model grid:  39 x 30 x 50, 1.500 x 1.500 x 2.000 mm, RAS"), r.out);
		assertTrue(r.out.matches("(?s).*label\\s+name\\s+voxels\\s+volume mL.*"), r.out);
		assertTrue(r.err.contains("windows"), r.err);
		Volume in = org.volseg.io.VolumeIO.standard(3).open(folder, false).volume();
		Volume out = NiftiReader.read(labels).volume();
		assertArrayEquals(in.dimensions(), out.dimensions());
		assertTrue(out.geometry().equalsWithin(in.geometry(), 1e-5), out.geometry() + " vs " + in.geometry());
		Volume prob = NiftiReader.read(p).volume();
		assertArrayEquals(new long[] { 72, 64, 40, 3 }, prob.dimensions());
		assertTrue(prob.geometry().equalsWithin(in.geometry(), 1e-5));
	}

	@Test
	void montageAndJsonSummaryAreWrittenNextToTheLabels() throws Exception {
		Path folder = Paths.get(getClass().getResource("/dicom/series/axial_ct").toURI());
		Path labels = dir.resolve("out/labels.nii.gz"), png = dir.resolve("out/montage.png"),
				json = dir.resolve("out/summary.json");
		CliRunner r = CliRunner.run("segment", "--model", model(1).toString(), "--input", folder.toString(), "--output",
				labels.toString(), "--series", "3", "--montage", png.toString(), "--summary", json.toString(),
				"--progress", "none");
		assertEquals(0, r.exitCode, r.err);
		java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
		assertEquals(4 * 256, image.getWidth());
		String text = Files.readString(json);
		java.util.Map<?, ?> parsed = (java.util.Map<?, ?>) org.volseg.testutil.JsonParser.parse(text);
		assertEquals("cpu", parsed.get("device"));
		assertEquals(java.util.List.of(72L, 64L, 40L), ((java.util.List<?>) parsed.get("dims")).stream()
				.map(v -> ((Number) v).longValue()).toList());
		long counted = 0;
		for (Object row : (java.util.List<?>) parsed.get("labels"))
			counted += ((Number) ((java.util.Map<?, ?>) row).get("voxels")).longValue();
		Volume out = NiftiReader.read(labels).volume();
		long nonzero = 0;
		for (net.imglib2.type.numeric.real.FloatType v : net.imglib2.view.Views.flatIterable(out.voxels()))
			if (v.get() != 0)
				nonzero++;
		assertEquals(nonzero, counted);
		try (var files = Files.list(dir.resolve("out"))) {
			assertEquals(3, files.count(), "labels, montage and summary, no temporary files");
		}
	}

	@Test
	void interOpThreadsReachTheEngineOptions() throws Exception {
		SegmentCommand cmd = new SegmentCommand();
		new picocli.CommandLine(cmd).parseArgs("--model", "m", "--input", "in.nii", "--output", "l.nii.gz", "--inter-op-threads", "1");
		assertEquals(1, cmd.options.settings().build().engineOptions().interOpThreads());
		SegmentCommand byDefault = new SegmentCommand();
		new picocli.CommandLine(byDefault).parseArgs("--model", "m", "--input", "in.nii", "--output", "l.nii.gz");
		assertEquals(2, byDefault.options.settings().build().engineOptions().interOpThreads());
		CliRunner r = CliRunner.run("segment", "--model", model(1).toString(), "--input", dir.resolve("in.nii").toString(),
				"--output", dir.resolve("l.nii.gz").toString(), "--inter-op-threads", "-1", "--progress", "none");
		assertTrue(r.exitCode != 0 && r.err.contains("--inter-op-threads"), r.err);
	}

	@Test
	void missingInputExitsWithOneAndNamesTheFile() throws Exception {
		Path missing = dir.resolve("nothing-here.nii.gz");
		CliRunner r = CliRunner.run("segment", "--model", model(1).toString(), "--input", missing.toString(), "--output",
				dir.resolve("l.nii.gz").toString(), "--progress", "none");
		assertEquals(1, r.exitCode);
		assertTrue(r.err.contains(missing.toString()) && r.err.contains("does not exist"), r.err);
	}

	@Test
	void modelWithTwoInputChannelsRefusesAOneChannelScan() throws Exception {
		Path scan = dir.resolve("scan.nii");
		NiftiWriter.writeFloat32(Volume.allocate(Geometry.ofSpacing(1.5, 1.5, 2), 20, 20, 20), scan);
		CliRunner r = CliRunner.run("segment", "--model", model(2).toString(), "--input", scan.toString(), "--output",
				dir.resolve("l.nii.gz").toString(), "--progress", "none");
		assertEquals(1, r.exitCode);
		assertTrue(r.err.contains("has 1 channel(s), but the model") && r.err.contains("expects 2 input channel(s)"), r.err);
		assertFalse(Files.exists(dir.resolve("l.nii.gz")));
	}

	@Test
	void ttaFlipsEqualsTheAverageOfTheEightFlippedScansSegmentedByHand() throws Exception {
		// 20^3 at the model's spacing with 16^3 windows at overlap 0.5: windows at 0 and 4 on every axis,
		// a plan that is its own mirror image, so mirroring windows equals mirroring the scan
		Path model = model(1);
		java.util.Random random = new java.util.Random(3);
		Volume scan = Volume.allocate(Geometry.ofSpacing(1.5, 1.5, 2), 20, 20, 20);
		scan.voxels().forEach(t -> t.set((float) random.nextGaussian()));
		net.imglib2.img.Img<net.imglib2.type.numeric.real.FloatType> sum = null;
		for (int mask = 0; mask < 8; mask++) {
			boolean[] flip = { (mask & 1) != 0, (mask & 2) != 0, (mask & 4) != 0 };
			Path in = dir.resolve("flipped" + mask + ".nii"), logits = dir.resolve("logits" + mask + ".nii");
			NiftiWriter.writeFloat32(new Volume(copy(flipped(scan.voxels(), flip)), scan.geometry()), in);
			CliRunner r = CliRunner.run("segment", "--model", model.toString(), "--input", in.toString(), "--output",
					dir.resolve("l" + mask + ".nii.gz").toString(), "--save-logits", logits.toString(), "--overlap", "0.5",
					"--no-normalize", "--device", "cpu", "--progress", "none");
			assertEquals(0, r.exitCode, r.err);
			var back = copy(flipped(NiftiReader.read(logits).volume().voxels(), flip));
			if (sum == null)
				sum = back;
			else
				net.imglib2.loops.LoopBuilder.setImages(back, sum).forEachPixel((a, b) -> b.set(b.get() + a.get()));
		}
		sum.forEach(t -> t.set(t.get() / 8));
		Path ttaLogits = dir.resolve("tta.nii");
		CliRunner r = CliRunner.run("segment", "--model", model.toString(), "--input", dir.resolve("flipped0.nii").toString(),
				"--output", dir.resolve("tta.nii.gz").toString(), "--save-logits", ttaLogits.toString(), "--overlap", "0.5",
				"--no-normalize", "--device", "cpu", "--progress", "none", "--tta", "flips");
		assertEquals(0, r.exitCode, r.err);
		var tta = NiftiReader.read(ttaLogits).volume().voxels();
		var plain = NiftiReader.read(dir.resolve("logits0.nii")).volume().voxels();
		double ttaError = 0, plainDifference = 0;
		var a = net.imglib2.view.Views.flatIterable(tta).cursor();
		var b = net.imglib2.view.Views.flatIterable(sum).cursor();
		var c = net.imglib2.view.Views.flatIterable(plain).cursor();
		while (a.hasNext()) {
			float t = a.next().get(), expected = b.next().get(), p = c.next().get();
			ttaError = Math.max(ttaError, Math.abs(t - expected));
			plainDifference = Math.max(plainDifference, Math.abs(p - expected));
		}
		assertTrue(ttaError < 1e-4, "tta vs the average by hand: " + ttaError);
		assertTrue(plainDifference > 1e-2, "the random convolution is not mirror-symmetric: " + plainDifference);
	}

	@Test
	void ttaAxesWithoutFlipsIsAUsageError() throws Exception {
		CliRunner r = CliRunner.run("segment", "--model", "m", "--input", "x.nii", "--output", "l.nii.gz", "--tta-axes", "x");
		assertEquals(1, r.exitCode);
		assertTrue(r.err.contains("--tta-axes: expected to be given with --tta flips, got x"), r.err);
		r = CliRunner.run("segment", "--model", "m", "--input", "x.nii", "--output", "l.nii.gz", "--tta", "mirror");
		assertEquals(1, r.exitCode);
		assertTrue(r.err.contains("--tta: expected none or flips, got mirror"), r.err);
	}

	private static net.imglib2.RandomAccessibleInterval<net.imglib2.type.numeric.real.FloatType> flipped(
			net.imglib2.RandomAccessibleInterval<net.imglib2.type.numeric.real.FloatType> img, boolean[] flip) {
		var v = img;
		for (int axis = 0; axis < 3; axis++)
			if (flip[axis])
				v = net.imglib2.view.Views.zeroMin(net.imglib2.view.Views.invertAxis(v, axis));
		return v;
	}

	private static net.imglib2.img.Img<net.imglib2.type.numeric.real.FloatType> copy(
			net.imglib2.RandomAccessibleInterval<net.imglib2.type.numeric.real.FloatType> img) {
		var out = net.imglib2.img.array.ArrayImgs.floats(img.dimensionsAsLongArray());
		net.imglib2.loops.LoopBuilder.setImages(img, out).forEachPixel((a, b) -> b.set(a));
		return out;
	}

	@Test
	void usageErrorsExitWithTwoAndBadValuesNameTheirFlag() throws Exception {
		assertEquals(2, CliRunner.run("segment", "--input", "x.nii").exitCode);
		CliRunner r = CliRunner.run("segment", "--model", "m", "--input", "x.nii", "--output", "l.nii.gz", "--overlap", "1.5");
		assertEquals(1, r.exitCode);
		assertTrue(r.err.contains("--overlap"), r.err);
		r = CliRunner.run("segment", "--model", "m", "--input", "x.nii", "--output", "labels.png");
		assertEquals(1, r.exitCode);
		assertTrue(r.err.contains("--output") && r.err.contains(".nii.gz"), r.err);
		r = CliRunner.run("segment", "--model", "m", "--input", "x.nii", "--output", "l.nii.gz", "--roi", "96,96");
		assertEquals(1, r.exitCode);
		assertTrue(r.err.contains("--roi"), r.err);
	}

	@Test
	void convertVolumeWritesTheChosenDicomSeries() throws Exception {
		Path folder = Paths.get(getClass().getResource("/dicom/series/axial_ct").toURI());
		Path out = dir.resolve("localizer.nii.gz");
		CliRunner r = CliRunner.run("convert-volume", folder.toString(), out.toString(), "--series", "1");
		assertEquals(0, r.exitCode, r.err);
		assertArrayEquals(new long[] { 64, 64, 1 }, NiftiReader.read(out).volume().dimensions());
		r = CliRunner.run("info", folder.toString());
		assertEquals(0, r.exitCode, r.err);
		assertTrue(r.out.contains("2 series") && r.out.contains("localizer") && r.out.contains("72 x 64 x 40"), r.out);
		r = CliRunner.run("info", "--json", folder.toString());
		assertEquals(0, r.exitCode, r.err);
		assertTrue(r.out.trim().startsWith("[") && r.out.replace(" ", "").contains("\"series_number\":3"), r.out);
		r = CliRunner.run("info", "--json", "--series", "3", folder.toString());
		assertEquals(0, r.exitCode, r.err);
		assertTrue(r.out.replace(" ", "").contains("\"dims\":[72,64,40]"), r.out);
	}

	@Test
	void benchPipelineReportsOverheadThroughputAndPeakMemory() throws Exception {
		CliRunner r = CliRunner.run("bench-pipeline", "--model", model(1).toString(), "--dims", "40,30,20", "--spacing",
				"1.5,1.5,2", "--batch", "2");
		assertEquals(0, r.exitCode, r.err);
		assertTrue(r.out.contains("windows 24 (12 batches of 2)"), r.out);
		assertTrue(r.out.matches("(?s).*overhead \\(end-to-end / engine\\) [0-9.]+.*"), r.out);
		assertTrue(r.out.matches("(?s).*peak resident memory VmHWM [0-9]+ MiB.*"), r.out);
	}
}
