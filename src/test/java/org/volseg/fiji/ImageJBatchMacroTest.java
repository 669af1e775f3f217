package org.volseg.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.io.LoadedVolume;
import org.volseg.io.VolumeIO;
import org.volseg.sample.Phantom;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Starts real ImageJ 1 ({@code ij.ImageJ -batch}, the ij jar from Maven Central) in a separate,
 * headless JVM with the test class path, runs a macro that uses the macro API ({@code call(...)}),
 * and checks what it wrote.
 */
class ImageJBatchMacroTest {

	@TempDir
	Path tmp;

	@Test
	void batchMacroSegmentsAFileAndTheCurrentImageAndSavesLabels() throws Exception {
		Phantom phantom = FijiTestData.phantom();
		Path scan = tmp.resolve("case7.nii.gz");
		org.volseg.io.nifti.NiftiWriter.writeFloat32(phantom.image(), scan);
		Path model = FijiTestData.model(tmp.resolve("models"), phantom.image());
		Path labels = tmp.resolve("out/case7_labels.nii.gz");
		Files.createDirectories(labels.getParent());
		Path table = tmp.resolve("out/case7_volumes.csv");
		Path saved = tmp.resolve("out/current_labels.nii");
		Path macro = tmp.resolve("segment.ijm");
		Files.writeString(macro, String.join("\n",
				"args = split(getArgument(), '|');",
				"r = call('org.volseg.fiji.Macros.segment', args[0], args[1], args[2], 'device=cpu roi=32,32,32 results=[' + args[3] + ']');",
				"print('RESULT ' + r);",
				"bad = call('org.volseg.fiji.Macros.segment', args[0], 'no-such-model', '', '');",
				"print('BAD ' + bad);",
				"t = call('org.volseg.fiji.Macros.openNifti', args[0]);",
				"print('OPENED ' + t + ' ' + nSlices + ' ' + getWidth());",
				"r2 = call('org.volseg.fiji.Macros.segment', 'current', args[1], '', 'device=cpu display=outlines');",
				"print('CURRENT ' + r2 + ' title=' + getTitle() + ' bits=' + bitDepth());",
				"s = call('org.volseg.fiji.Macros.saveLabels', args[4]);",
				"print('SAVED ' + s);",
				"b = call('org.volseg.fiji.Macros.batchSegment', args[5], args[1], args[6], 'device=cpu roi=32,32,32');",
				"print('BATCH ' + b);",
				"runMacro(args[7], args[5] + '|' + args[1] + '|' + args[8] + '|device=cpu roi=32,32,32');",
				"t2 = call('org.volseg.fiji.Macros.openNifti', args[0]);",
				"scanId = getImageID();",
				"runMacro(args[9], args[1] + '|device=cpu display=filled opacity=30');",
				"labelsTitle = getTitle();",
				"selectImage(scanId);",
				"print('OPEN IMAGE ' + labelsTitle + ' overlay=' + Overlay.size);",
				""), StandardCharsets.UTF_8);
		Path batchIn = tmp.resolve("batch-in"), batchOut = tmp.resolve("batch-out"), folderOut = tmp.resolve("folder-out");
		Files.createDirectories(folderOut);
		Files.createDirectories(batchIn);
		Files.copy(scan, batchIn.resolve("one.nii.gz"));
		Files.write(batchIn.resolve("broken.nii.gz"), new byte[] { 31, -117, 8, 0 });
		String argument = String.join("|", scan.toString(), model.toString(), labels.toString(), table.toString(), saved.toString(),
				batchIn.toString(), batchOut.toString(), Path.of("plugins/VolSeg/Segment_Folder.ijm").toAbsolutePath().toString(),
				folderOut.toString(), Path.of("plugins/VolSeg/Segment_Open_Image.ijm").toAbsolutePath().toString());
		ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Djava.awt.headless=true", "-Xmx1g", "-cp", System.getProperty("java.class.path"), "ij.ImageJ", "-batch",
				macro.toString(), argument);
		pb.redirectErrorStream(true);
		pb.redirectOutput(tmp.resolve("imagej.log").toFile());
		Process p = pb.start();
		assertTrue(p.waitFor(180, TimeUnit.SECONDS), "ImageJ did not finish");
		String log = Files.readString(tmp.resolve("imagej.log"));
		assertEquals(0, p.exitValue(), log);

		assertTrue(log.contains("RESULT " + labels), log);
		assertTrue(log.contains("BAD Error: model: \"no-such-model\" is neither a path nor an installed model"), log);
		assertTrue(log.contains("OPENED case7.nii.gz 32 48"), log);
		assertTrue(log.contains("CURRENT case7-labels title=case7-labels bits=8"), log);
		assertTrue(log.contains("SAVED " + saved), log);
		assertTrue(log.contains("BATCH done=1 skipped=0 failed=1 summary=" + batchOut.resolve("summary.csv")), log);
		assertTrue(log.contains("VolSeg batch: failed " + batchIn.resolve("broken.nii.gz")), log);
		assertTrue(Files.exists(batchOut.resolve("one_labels.nii.gz")));
		// the example macros: Segment_Open_Image.ijm on the current image (one ImageRoi per slice with
		// labels: every slice of the phantom has body voxels), Segment_Folder.ijm on the batch folder
		assertTrue(log.contains("OPEN IMAGE case7-labels overlay=32"), log);
		assertTrue(log.contains("FAILED broken.nii.gz: Error: "), log);
		assertTrue(log.contains("VolSeg: 1 segmented, 1 failed"), log);
		assertArrayEquals(Files.readAllBytes(batchOut.resolve("one_labels.nii.gz")), Files.readAllBytes(folderOut.resolve("one_labels.nii.gz")));
		assertTrue(Files.readString(folderOut.resolve("one_volumes.csv")).contains("soft tissue"));

		int[] expected = FijiTestData.expectedLabels(phantom.image());
		for (Path written : List.of(labels, saved)) {
			LoadedVolume v = VolumeIO.read(written);
			assertEquals("uint8", v.datatype(), written.toString());
			assertTrue(v.volume().geometry().equalsWithin(phantom.image().geometry(), 1e-5), written.toString());
			Cursor<FloatType> c = Views.flatIterable(v.volume().voxels()).cursor();
			for (int i = 0; i < expected.length; i++)
				assertEquals(expected[i], c.next().get(), 0, written + " voxel " + i);
		}
		List<String> csv = Files.readAllLines(table);
		assertTrue(csv.get(0).contains("Label") && csv.get(0).contains("Volume (mL)") && csv.get(0).contains("Mean"), csv.get(0));
		assertTrue(csv.stream().anyMatch(l -> l.contains("soft tissue")), csv.toString());
		assertTrue(csv.stream().anyMatch(l -> l.contains("bone")), csv.toString());
		assertTrue(new File(tmp.resolve("out").toString()).list().length == 3, "only the outputs: no temporary files left");
	}
}
