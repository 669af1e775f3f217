package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.testutil.CliRunner;
import org.volseg.bundle.BundleCache;
import org.volseg.testutil.TemporaryProperty;
import org.volseg.util.AtomicFiles;
import org.volseg.io.nifti.NiftiReader;
import org.volseg.nets.BundleFixtures;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

class ImportBundleCommandTest {

	@TempDir
	Path dir;

	@Test
	void importsTheMiniSpleenBundleAndRefusesUnsupportedTransformsAsOneList() throws Exception {
		Path out = dir.resolve("spleen");
		CliRunner r = CliRunner.run("import-bundle", BundleFixtures.path("mini/spleen_ct_segmentation").toString(), "--out",
				out.toString(), "--name", "spleen-mini");
		assertEquals(0, r.exitCode, r.err);
		assertTrue(r.out.contains("unet, 2 classes: background, spleen"), r.out);
		String rdf = Files.readString(out.resolve("rdf.yaml"));
		assertTrue(rdf.contains("name: spleen-mini") && rdf.contains("invert: probabilities") && rdf.contains("version: 1.4.0"), rdf);

		// the same bundle asking for two transforms VolSeg does not run
		Path bad = dir.resolve("bad");
		AtomicFiles.copyFolder(BundleFixtures.path("mini/spleen_ct_segmentation"), bad);
		Path config = bad.resolve("configs/inference.json");
		Files.writeString(config, Files.readString(config)
				.replace("\"_target_\": \"EnsureTyped\"", "\"_target_\": \"RandGaussianNoised\"")
				.replace("\"_target_\": \"SaveImaged\"", "\"_target_\": \"KeepLargestConnectedComponentd\""));
		CliRunner refused = CliRunner.run("import-bundle", bad.toString(), "--out", dir.resolve("bad-out").toString());
		assertFalse(refused.exitCode == 0);
		assertTrue(refused.err.contains("2 thing(s) VolSeg cannot do") && refused.err.contains("preprocessing#transforms#5: RandGaussianNoised")
				&& refused.err.contains("postprocessing#transforms#3: KeepLargestConnectedComponentd") && refused.err.contains("--force"),
				refused.err);
		assertFalse(Files.exists(dir.resolve("bad-out")));
		CliRunner forced = CliRunner.run("import-bundle", bad.toString(), "--out", dir.resolve("forced").toString(), "--force");
		assertEquals(0, forced.exitCode, forced.err);
		assertTrue(forced.err.contains("warning: not supported, ignored (--force): preprocessing#transforms#5: RandGaussianNoised"),
				forced.err);
	}

	@Test
	void segmentTakesABundleDirectlyImportingItOnceIntoTheCache() throws Exception {
		Path cache = dir.resolve("cache");
		try (TemporaryProperty cacheFolder = TemporaryProperty.set(BundleCache.CACHE_PROPERTY, cache.toString())) {
			Path labels = dir.resolve("labels.nii.gz");
			String e2e = "e2e/spleen_ct_segmentation_prs/";
			for (int run = 0; run < 2; run++) {
				CliRunner r = CliRunner.run("segment", "--model", BundleFixtures.path("mini/spleen_ct_segmentation").toString(),
						"--input", BundleFixtures.path(e2e + "input.nii.gz").toString(), "--output", labels.toString(),
						"--device", "cpu", "--progress", "none");
				assertEquals(0, r.exitCode, r.err);
				try (var entries = Files.list(cache)) {
					assertEquals(1, entries.count(), "one cached package");
				}
			}
			Volume got = NiftiReader.read(labels).volume(), want = NiftiReader.read(BundleFixtures.path(e2e + "expected_label.nii.gz")).volume();
			long same = 0, total = 0;
			Cursor<FloatType> a = Views.flatIterable(got.voxels()).cursor(), b = Views.flatIterable(want.voxels()).cursor();
			while (a.hasNext()) {
				total++;
				if (a.next().get() == b.next().get())
					same++;
			}
			assertTrue(same >= 0.999 * total, same + " of " + total);
		}
	}
}
