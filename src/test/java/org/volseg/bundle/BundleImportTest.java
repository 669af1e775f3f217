package org.volseg.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.volseg.engine.Engine;
import org.volseg.runtime.EngineOptions;
import org.volseg.io.nifti.NiftiReader;
import org.volseg.model.ModelPackage;
import org.volseg.model.MonaiOptions;
import org.volseg.nets.BundleFixtures;
import org.volseg.nets.FloatTensor;
import org.volseg.nets.SafeTensors;
import org.volseg.pipeline.SegmentationListener;
import org.volseg.pipeline.SegmentationSettings;
import org.volseg.pipeline.Segmenter;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/** The acceptance tests of issue 13's bundle import, on the shared MONAI fixtures (see src/test/resources/bundles/README.md). */
class BundleImportTest {

	@TempDir
	Path dir;

	/** The published bundles' configs build graphs with exactly the keys and shapes of their real model.pt. */
	@ParameterizedTest
	@ValueSource(strings = { "spleen_ct_segmentation", "swin_unetr_btcv_segmentation", "brats_mri_segmentation",
			"wholeBody_ct_segmentation" })
	void realBundleConfigsBuildTheirStateDictShapes(String bundle) throws Exception {
		List<String> warnings = new ArrayList<>();
		try (BundleSource s = BundleSource.open(BundleFixtures.path("real/" + bundle))) {
			// every one imports without --force (wholeBody's NormalizeIntensityd(nonzero) + ScaleIntensityd included)
			BundleImporter.Checked c = BundleImporter.check(s, false, warnings::add);
			assertEquals(List.of(), c.plan().problems());
			Map<String, List<Long>> expected = BundleFixtures.stateDictShapes("real/" + bundle);
			Map<String, List<Long>> actual = BundleFixtures.parameterShapes(c.network());
			assertEquals(new TreeMap<>(expected), new TreeMap<>(actual), bundle);
			assertEquals(expected.size(), actual.size());
		}
	}

	@Test
	void miniSpleenImportsAndItsForwardMatchesMonai() throws Exception {
		Path pkg = dir.resolve("spleen");
		List<String> stages = new ArrayList<>();
		BundleImporter.importBundle(BundleFixtures.path("mini/spleen_ct_segmentation"), pkg, BundleImporter.Options.defaults(),
				stages::add, w -> {
				});
		assertTrue(stages.stream().anyMatch(x -> x.startsWith("loading weights")), stages.toString());
		SafeTensors f = SafeTensors.read(BundleFixtures.path("mini/spleen_ct_segmentation/forward.safetensors"));
		FloatTensor in = f.tensors().get("input"), expected = f.tensors().get("expected_output");
		try (ModelPackage p = ModelPackage.open(pkg); Engine e = Engine.load(p, EngineOptions.cpu())) {
			assertEquals(List.of("background", "spleen"), p.descriptor().volseg().classes().stream().map(c -> c.name()).toList());
			assertEquals(MonaiOptions.Invert.PROBABILITIES, p.descriptor().volseg().monai().invert());
			long[] s = in.shape();
			float[] out = e.predict(in.permute(0, 2, 3, 4, 1).data(), (int) s[0], new int[] { (int) s[2], (int) s[3], (int) s[4] });
			float[] want = expected.permute(0, 2, 3, 4, 1).data();
			assertEquals(want.length, out.length);
			double max = 0;
			for (int i = 0; i < out.length; i++)
				max = Math.max(max, Math.abs(out[i] - want[i]));
			assertTrue(max <= 1e-4 * expected.maxAbs(), "max |difference| " + max + " of " + expected.maxAbs());
		}
	}

	@Test
	void spleenEndToEndGivesMonaisLabels() throws Exception {
		endToEnd("mini/spleen_ct_segmentation", "e2e/spleen_ct_segmentation_prs", "expected_label.nii.gz");
	}

	@Test
	void swinEndToEndGivesMonai14LabelsAsItsMetadataSays() throws Exception {
		// the mini bundle's metadata says monai_version 1.4.0: MONAI <= 1.4's patch merging order
		endToEnd("mini/swin_unetr_btcv_segmentation", "e2e/swin_unetr_btcv_segmentation_lpi", "expected_label_monai14.nii.gz");
	}

	@Test
	void swinEndToEndWithMonai15OrderForcedGivesMonai15Labels() throws Exception {
		// the same bundle with metadata monai_version 1.5.0: MONAI 1.5's patch merging order
		Path copy = dir.resolve("swin15");
		org.volseg.util.AtomicFiles.copyFolder(BundleFixtures.path("mini/swin_unetr_btcv_segmentation"), copy);
		Path meta = copy.resolve("configs/metadata.json");
		String text = java.nio.file.Files.readString(meta);
		assertTrue(text.contains("\"monai_version\": \"1.4.0\""));
		java.nio.file.Files.writeString(meta, text.replace("\"monai_version\": \"1.4.0\"", "\"monai_version\": \"1.5.0\""));
		endToEnd(copy, "e2e/swin_unetr_btcv_segmentation_lpi", "expected_label.nii.gz");
	}

	private void endToEnd(String bundle, String e2e, String expectedFile) throws Exception {
		endToEnd(BundleFixtures.path(bundle), e2e, expectedFile);
	}

	private void endToEnd(Path bundle, String e2e, String expectedFile) throws Exception {
		Path pkg = dir.resolve("pkg");
		BundleImporter.importBundle(bundle, pkg, BundleImporter.Options.defaults(), x -> {
		}, w -> {
		});
		Path labels = dir.resolve("labels.nii.gz");
		try (Segmenter seg = Segmenter.load(pkg, EngineOptions.cpu())) {
			seg.segment(BundleFixtures.path(e2e + "/input.nii.gz"), SegmentationSettings.builder().labelsOutput(labels).build(),
					SegmentationListener.none(), () -> false);
		}
		Volume got = NiftiReader.read(labels).volume();
		Volume want = NiftiReader.read(BundleFixtures.path(e2e + "/" + expectedFile)).volume();
		assertArrayEquals(want.dimensions(), got.dimensions());
		double[][] a = want.geometry().affineRas(), b = got.geometry().affineRas();
		for (int r = 0; r < 3; r++)
			assertArrayEquals(a[r], b[r], 1e-4, "affine row " + r);
		long same = 0, total = 0;
		Cursor<FloatType> cw = Views.flatIterable(want.voxels()).cursor(), cg = Views.flatIterable(got.voxels()).cursor();
		while (cw.hasNext()) {
			total++;
			if (cw.next().get() == cg.next().get())
				same++;
		}
		double fraction = same / (double) total;
		assertTrue(fraction >= 0.999, e2e + ": labels equal on " + fraction + " of " + total + " voxels");
	}
}
