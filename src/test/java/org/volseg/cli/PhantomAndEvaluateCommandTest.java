package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.testutil.CliRunner;
import org.volseg.io.LoadedVolume;
import org.volseg.io.VolumeIO;
import org.volseg.io.nifti.NiftiWriter;
import org.volseg.sample.AbdominalPhantomGenerator;
import org.volseg.sample.Phantom;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

class PhantomAndEvaluateCommandTest {

	@TempDir
	Path dir;

	@Test
	void phantomWritesNumberedPairsThatReadBackAsGenerated() throws Exception {
		CliRunner r = run("phantom", "--seed", "40", "--count", "2", "--size", "64,64,32", "--out", dir.resolve("out").toString());
		assertEquals(0, r.exitCode, r.err);
		for (int i = 0; i < 2; i++) {
			Path image = dir.resolve("out/case00" + i + "_image.nii.gz");
			Path labels = dir.resolve("out/case00" + i + "_labels.nii.gz");
			assertTrue(Files.exists(image) && Files.exists(labels), r.out);
			Phantom expected = AbdominalPhantomGenerator.ofSize(64, 64, 32).generate(40 + i);
			LoadedVolume li = VolumeIO.read(image), ll = VolumeIO.read(labels);
			assertEquals("int16", li.datatype());
			assertEquals("uint8", ll.datatype());
			assertArrayEquals(floats(expected.image()), floats(li.volume()));
			assertArrayEquals(floats(expected.labels()), floats(ll.volume()));
			assertTrue(expected.image().geometry().equalsWithin(li.volume().geometry(), 1e-4));
		}
		try (var files = Files.list(dir.resolve("out"))) {
			assertEquals(4, files.count(), "no temporary files left behind");
		}
		// existing cases are not overwritten without --overwrite
		CliRunner again = run("phantom", "--seed", "1", "--size", "64,64,32", "--out", dir.resolve("out").toString());
		assertEquals(1, again.exitCode);
		assertTrue(again.err.contains("case000_image.nii.gz") && again.err.contains("--overwrite"), again.err);
		CliRunner replaced = run("phantom", "--seed", "41", "--size", "64,64,32", "--out", dir.resolve("out").toString(),
				"--overwrite");
		assertEquals(0, replaced.exitCode, replaced.err);
		assertArrayEquals(floats(AbdominalPhantomGenerator.ofSize(64, 64, 32).generate(41).labels()),
				floats(VolumeIO.read(dir.resolve("out/case000_labels.nii.gz")).volume()));
	}

	@Test
	void evaluateReportsTableAndJsonAndRefusesMismatchedGrids() throws Exception {
		Phantom p = AbdominalPhantomGenerator.ofSize(64, 64, 32).generate(5);
		Path ref = dir.resolve("ref.nii.gz"), pred = dir.resolve("pred.nii.gz");
		NiftiWriter.writeLabels(p.labels(), ref);
		// the prediction calls the spleen "body": spleen absent from it, liver unchanged
		Volume changed = Volume.allocate(p.labels().geometry(), p.labels().dimensions());
		Cursor<FloatType> src = Views.flatIterable(p.labels().voxels()).cursor();
		Cursor<FloatType> dst = Views.flatIterable(changed.voxels()).cursor();
		while (src.hasNext()) {
			float v = src.next().get();
			dst.next().set(v == 3 ? 1 : v);
		}
		NiftiWriter.writeLabels(changed, pred);

		CliRunner table = run("evaluate", "--reference", ref.toString(), "--prediction", pred.toString());
		assertEquals(0, table.exitCode, table.err);
		assertTrue(table.out.contains("hd95_mm") && table.out.contains("reference_only"), table.out);

		CliRunner json = run("evaluate", "--reference", ref.toString(), "--prediction", pred.toString(), "--json");
		assertEquals(0, json.exitCode, json.err);
		String j = json.out;
		for (String key : new String[] { "\"dice\"", "\"hd95_mm\"", "\"volume_reference_ml\"", "\"volume_prediction_ml\"",
				"\"volume_difference_ml\"", "\"mean\"" })
			assertTrue(j.contains(key), key + " in " + j);
		assertTrue(j.contains("{\"label\": 2, \"presence\": \"both\", "), j);
		assertTrue(j.contains("\"dice\": 1.0, \"hd95_mm\": 0.0,"), "liver unchanged: " + j);
		assertTrue(j.contains("{\"label\": 3, \"presence\": \"reference_only\", "), j);
		assertTrue(j.contains("\"dice\": 0.0, \"hd95_mm\": null"), "spleen missing: " + j);

		CliRunner chosen = run("evaluate", "--reference", ref.toString(), "--prediction", pred.toString(), "--json",
				"--labels", "2,9", "--percentile", "100");
		assertEquals(0, chosen.exitCode, chosen.err);
		assertTrue(chosen.out.contains("\"hausdorff_percentile\": 100.0,") && chosen.out.contains("{\"label\": 9, \"presence\": \"neither\"")
				&& !chosen.out.contains("{\"label\": 3,"), chosen.out);
		CliRunner badLabels = run("evaluate", "--reference", ref.toString(), "--prediction", pred.toString(), "--labels", "0");
		assertEquals(1, badLabels.exitCode);
		assertTrue(badLabels.err.contains("--labels"), badLabels.err);

		Phantom other = AbdominalPhantomGenerator.ofSize(64, 64, 32).generate(6); // another slice spacing
		Path moved = dir.resolve("other.nii.gz");
		NiftiWriter.writeLabels(other.labels(), moved);
		CliRunner bad = run("evaluate", "--reference", ref.toString(), "--prediction", moved.toString());
		assertEquals(1, bad.exitCode);
		assertTrue(bad.err.contains(ref.toString()) && bad.err.contains(moved.toString()), bad.err);
	}

	@Test
	void evaluateOfAScanIsRefusedWithTheFileName() throws Exception {
		Phantom p = AbdominalPhantomGenerator.ofSize(64, 64, 32).generate(8);
		Path labels = dir.resolve("labels.nii.gz"), image = dir.resolve("image.nii.gz");
		NiftiWriter.writeLabels(p.labels(), labels);
		NiftiWriter.writeFloat32(p.image(), image);
		CliRunner r = run("evaluate", "--reference", labels.toString(), "--prediction", image.toString());
		assertEquals(1, r.exitCode);
		assertTrue(r.err.contains(image.toString()) && r.err.contains("not a label"), r.err);
	}

	@Test
	void evaluateNotesWhenAnIntegerScanLooksLikeManyClasses() throws Exception {
		Volume scan = Volume.allocate(org.volseg.volume.Geometry.ofSpacing(1, 1, 2), 12, 10, 8);
		int k = 0;
		for (FloatType v : Views.flatIterable(scan.voxels()))
			v.set(k++ % 80);
		Path file = dir.resolve("mri_uint8.nii.gz");
		NiftiWriter.writeLabels(scan, file);
		CliRunner r = run("evaluate", "--reference", file.toString(), "--prediction", file.toString());
		assertEquals(0, r.exitCode, r.err);
		assertTrue(r.err.contains("79 classes found") && r.err.contains("--labels"), r.err);
		CliRunner quiet = run("evaluate", "--reference", file.toString(), "--prediction", file.toString(), "--labels", "1,2");
		assertEquals("", quiet.err);
	}

	private static float[] floats(Volume v) {
		float[] out = new float[(int) v.spatialVoxelCount()];
		Cursor<FloatType> c = Views.flatIterable(v.voxels()).cursor();
		for (int i = 0; i < out.length; i++)
			out[i] = c.next().get();
		return out;
	}

	@Test
	void phantomImagesCanAlsoBeWrittenAsDicomSeriesThatReadBackIdentically(@TempDir Path dir) throws Exception {
		CliRunner r = run("phantom", "--seed", "11", "--size", "40,36,32", "--out", dir.toString(), "--dicom");
		assertEquals(0, r.exitCode, r.err);
		assertTrue(r.out.contains("32 DICOM files in case000_dicom"), r.out);
		Volume nifti = VolumeIO.read(dir.resolve("case000_image.nii.gz")).volume();
		Volume dicom = VolumeIO.read(dir.resolve("case000_dicom")).volume();
		assertArrayEquals(nifti.dimensions(), dicom.dimensions());
		assertTrue(dicom.geometry().equalsWithin(nifti.geometry(), 1e-4), dicom.geometry() + " vs " + nifti.geometry());
		Cursor<FloatType> a = Views.flatIterable(nifti.voxels()).cursor(), b = Views.flatIterable(dicom.voxels()).cursor();
		while (a.hasNext())
			assertEquals(a.next().get(), b.next().get(), 0f);
	}

	private static CliRunner run(String... args) {
		return CliRunner.run(args);
	}
}
