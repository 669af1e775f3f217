package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.testutil.CliRunner;
import org.volseg.engine.TestNetworks;
import org.volseg.io.dicom.DicomSeriesWriter;
import org.volseg.io.nifti.NiftiReader;
import org.volseg.io.nifti.NiftiWriter;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * {@code volseg batch} with a small real TensorFlow model (a 3x3x3 convolution to 3 classes, see
 * {@link TestNetworks}): a folder with good NIfTI scans, a DICOM series, a truncated file and a
 * text file; exit statuses; reruns; shards; usage errors.
 */
class BatchCommandTest {

	@TempDir
	static Path shared;
	static Path model;

	@BeforeAll
	static void exportModel() throws IOException {
		model = new TestNetworks(1, 3, 42).export(shared.resolve("model"), 16, 16, 16, false, false);
	}

	@TempDir
	Path dir;

	/** Random values, spacing 1.5 x 1.5 x 2 mm (the model's, so nothing is resampled). */
	static Volume scan(int w, int h, int d, long seed) {
		Volume v = Volume.allocate(Geometry.ofSpacing(1.5, 1.5, 2), w, h, d);
		Random r = new Random(seed);
		Cursor<FloatType> c = Views.flatIterable(v.voxels()).cursor();
		while (c.hasNext())
			c.next().set((float) r.nextGaussian());
		return v;
	}

	private Path folder() throws IOException {
		Path in = dir.resolve("in");
		Files.createDirectories(in.resolve("mr"));
		NiftiWriter.writeFloat32(scan(20, 18, 12, 1), in.resolve("mr/p01.nii.gz"));
		NiftiWriter.writeFloat32(scan(17, 16, 10, 2), in.resolve("p02.nii"));
		new DicomSeriesWriter().seriesNumber(7).rescale(0.001, 0).write(scan(19, 17, 9, 3), in.resolve("ct/study1"));
		Path broken = in.resolve("p03.nii");
		NiftiWriter.writeFloat32(scan(10, 10, 10, 4), broken);
		byte[] bytes = Files.readAllBytes(broken);
		Files.write(broken, Arrays.copyOf(bytes, bytes.length / 2));
		Files.writeString(in.resolve("notes.txt"), "patient list: see the hospital system\n");
		return in;
	}

	private static String lastLine(String text) {
		String[] lines = text.strip().split("\n");
		return lines[lines.length - 1];
	}

	@Test
	void folderWithABrokenFileExitsWithOneAndARerunSkipsTheFinishedOnes() throws IOException {
		Path in = folder(), out = dir.resolve("out");
		CliRunner r = CliRunner.run("batch", "--model", model.toString(), "--input", in.toString(), "--output",
				out.toString(), "--device", "cpu", "--progress", "none");
		assertEquals(1, r.exitCode, r.toString());
		assertTrue(lastLine(r.out).startsWith("volseg batch: 3 done, 0 skipped, 1 failed"), r.out);
		assertTrue(r.err.contains("failed: " + in.resolve("p03.nii")) && r.err.contains("truncated"), r.err);

		List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
		assertEquals("input,output,status,error,seconds,device,series,finished,class1_voxels,class1_ml,class2_voxels,class2_ml,"
				+ "model,settings", summary.get(0));
		assertEquals(5, summary.size(), summary.toString()); // header + ct/study1 series 7, mr/p01, p02, p03
		assertTrue(summary.get(1).startsWith(in.resolve("ct/study1") + "," + out.resolve("ct/study1_series7_labels.nii.gz")
				+ ",done,,"), summary.get(1));
		assertTrue(summary.get(1).contains(",cpu,7,"), summary.get(1));
		assertTrue(summary.get(4).startsWith(in.resolve("p03.nii") + "," + out.resolve("p03_labels.nii.gz") + ",failed,"),
				summary.get(4));

		// the batch writes what volseg segment writes for the same scan and options
		Path single = dir.resolve("single.nii.gz");
		CliRunner s = CliRunner.run("segment", "--model", model.toString(), "--input", in.resolve("mr/p01.nii.gz").toString(),
				"--output", single.toString(), "--device", "cpu", "--progress", "none");
		assertEquals(0, s.exitCode, s.toString());
		Volume expected = NiftiReader.read(single).volume(), got = NiftiReader.read(out.resolve("mr/p01_labels.nii.gz")).volume();
		assertArrayEquals(expected.dimensions(), got.dimensions());
		assertEquals(0, differences(expected, got));
		assertArrayEquals(new long[] { 19, 17, 9 }, NiftiReader.read(out.resolve("ct/study1_series7_labels.nii.gz")).volume().dimensions());

		CliRunner again = CliRunner.run("batch", "--model", model.toString(), "--input", in.toString(), "--output",
				out.toString(), "--device", "cpu", "--progress", "lines");
		assertEquals(1, again.exitCode, again.toString());
		assertTrue(lastLine(again.out).startsWith("volseg batch: 0 done, 3 skipped, 1 failed"), again.out);
		assertTrue(again.err.contains("skipped: complete output " + out.resolve("p02_labels.nii.gz")), again.err);
		List<String> summary2 = Files.readAllLines(out.resolve("summary.csv"));
		// label counts of a skipped row are those of the run that made the file
		assertEquals(Arrays.asList(summary.get(2).split(",")).subList(8, 12), Arrays.asList(summary2.get(2).split(",")).subList(8, 12));
		assertTrue(summary2.get(2).contains(",skipped,"), summary2.get(2));
	}

	private static long differences(Volume a, Volume b) {
		Cursor<FloatType> x = Views.flatIterable(a.voxels()).cursor(), y = Views.flatIterable(b.voxels()).cursor();
		long n = 0;
		while (x.hasNext())
			if (x.next().get() != y.next().get())
				n++;
		return n;
	}

	@Test
	void shardsOfAListExitWithZeroAndTogetherSegmentEveryInputOnce() throws IOException {
		Path in = folder(), out = dir.resolve("out");
		Path csv = dir.resolve("list.csv");
		Files.writeString(csv, "input,output\nin/p02.nii,second.nii.gz\nin/mr/p01.nii.gz\nin/ct/study1,ct.nii.gz\n");
		int[] done = new int[2];
		for (int k = 1; k <= 2; k++) {
			CliRunner r = CliRunner.run("batch", "--model", model.toString(), "--input", csv.toString(), "--output",
					out.toString(), "--shard", k + "/2", "--progress", "none");
			assertEquals(0, r.exitCode, r.toString());
			done[k - 1] = Integer.parseInt(lastLine(r.out).replaceAll("^volseg batch: (\\d+) done.*", "$1"));
			assertTrue(Files.exists(out.resolve("summary-shard-" + k + "-of-2.csv")));
		}
		assertEquals(List.of(2, 1), List.of(done[0], done[1]));
		for (String name : List.of("second.nii.gz", "p01_labels.nii.gz", "ct.nii.gz"))
			assertTrue(Files.exists(out.resolve(name)), name);
		CliRunner merged = CliRunner.run("batch", "--model", model.toString(), "--input", csv.toString(), "--output",
				out.toString(), "--progress", "none");
		assertEquals(0, merged.exitCode, merged.toString());
		assertTrue(lastLine(merged.out).startsWith("volseg batch: 0 done, 3 skipped, 0 failed"), merged.out);
	}

	@Test
	void usageErrorsExitWithTwo() throws IOException {
		Path in = folder(), out = dir.resolve("out");
		CliRunner r = CliRunner.run("batch", "--model", model.toString(), "--input", in.toString(), "--output",
				out.toString(), "--shard", "3/2");
		assertEquals(2, r.exitCode, r.toString());
		assertTrue(r.err.contains("--shard: expected K/N with 1 <= K <= N") && r.err.contains("got 3/2"), r.err);
		r = CliRunner.run("batch", "--model", model.toString(), "--input", dir.resolve("nothing").toString(), "--output",
				out.toString());
		assertEquals(2, r.exitCode, r.toString());
		assertTrue(r.err.contains("--input"), r.err);
		r = CliRunner.run("batch", "--model", dir.resolve("no-model").toString(), "--input", in.toString(), "--output",
				out.toString());
		assertEquals(2, r.exitCode, r.toString());
		r = CliRunner.run("batch", "--model", model.toString(), "--input", in.toString(), "--output", out.toString(),
				"--overlap", "1.5");
		assertEquals(2, r.exitCode, r.toString());
		assertTrue(r.err.contains("--overlap"), r.err);
		r = CliRunner.run("batch", "--model", model.toString(), "--input", in.toString());
		assertEquals(2, r.exitCode, r.toString());
		assertFalse(Files.exists(out));
	}
}
