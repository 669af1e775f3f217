package org.volseg.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.volseg.util.Json;
import org.volseg.model.MonaiOptions;
import org.volseg.model.Preprocessing;
import org.volseg.nets.BundleFixtures;

class BundleConfigTest {

	static BundleConfig config(String json) throws Json.SyntaxException {
		return new BundleConfig(Json.parseObject(json), "inference.json");
	}

	@Test
	void referencesMacrosAndTheZooExpressionsResolve() throws Exception {
		BundleConfig c = config("{\"bundle_root\": \".\", \"image_key\": \"image\", \"hr\": {\"on\": true},"
				+ "\"ckpt\": \"$@bundle_root + '/models/model.pt'\", \"device\": \"$torch.device('cuda:0' if torch.cuda.is_available() else 'cpu')\","
				+ "\"dtype\": \"$numpy.float32\", \"net_def\": {\"_target_\": \"UNet\", \"channels\": [4, 8]},"
				+ "\"network\": \"$@net_def.to(@device)\", \"pix\": \"$[1.5, 1.5, 1.5] if @hr#on else [3.0, 3.0, 3.0]\","
				+ "\"copy\": \"%net_def#channels\", \"keys\": \"@image_key\", \"imports\": [\"$import glob\"],"
				+ "\"datalist\": \"$list(sorted(glob.glob(@dataset_dir + '/imagesTs/*.nii.gz')))\", \"loop\": \"@loop2\", \"loop2\": \"@loop\"}");
		assertEquals("./models/model.pt", c.resolve("ckpt"));
		assertEquals(Expressions.DEVICE, c.resolve("device"));
		assertEquals("float32", c.resolve("dtype"));
		assertEquals(Map.of("_target_", "UNet", "channels", List.of(4L, 8L)), c.resolve("network"));
		assertEquals(List.of(1.5, 1.5, 1.5), c.resolve("pix"));
		assertEquals(List.of(4L, 8L), c.resolve("copy"));
		assertEquals(8L, c.resolve("net_def#channels#1"));
		assertEquals("image", c.resolve("keys"));
		assertEquals(java.util.Arrays.asList((Object) null), c.resolve("imports"));
		BundleException e = assertThrows(BundleException.class, () -> c.resolve("datalist"));
		assertTrue(e.getMessage().contains("'datalist'") && e.getMessage().contains("glob.glob"), e.getMessage());
		assertTrue(assertThrows(BundleException.class, () -> c.resolve("loop")).getMessage().contains("circular"));
		assertTrue(assertThrows(BundleException.class, () -> c.resolve("nothing")).getMessage().contains("'nothing'"));
	}

	@Test
	void bratsRegionLambdaBecomesADeclaredMapping() {
		List<MonaiOptions.RegionLabel> r = BundleTranslator.regionLabels(
				"$lambda x: torch.where(x[[2]] > 0, 4, torch.where(x[[0]] > 0, 1, torch.where(x[[1]] > 0, 2, 0)))");
		assertEquals(List.of(new MonaiOptions.RegionLabel(2, 4), new MonaiOptions.RegionLabel(0, 1),
				new MonaiOptions.RegionLabel(1, 2)), r);
		assertNull(BundleTranslator.regionLabels("$lambda x: x * 2"));
		assertNull(BundleTranslator.regionLabels("$lambda x: torch.where(x[[2]] > 0, 4, os.system('x'))"));
	}

	@Test
	void patchMergingOrderFollowsTheMonaiVersion() {
		assertEquals("monai14", BundleTranslator.patchMergingOrder("1.4.0"));
		assertEquals("monai14", BundleTranslator.patchMergingOrder("1.3.2"));
		assertEquals("monai15", BundleTranslator.patchMergingOrder("1.5.0"));
		assertEquals("monai15", BundleTranslator.patchMergingOrder("1.10.1rc2"));
		assertThrows(BundleException.class, () -> BundleTranslator.patchMergingOrder("latest"));
	}

	@Test
	void unsupportedTransformsAreListedTogetherNamingTheirIds() throws Exception {
		BundleConfig c = config("{\"network_def\": {\"_target_\": \"monai.networks.nets.UNet\", \"spatial_dims\": 3},"
				+ "\"preprocessing\": {\"_target_\": \"Compose\", \"transforms\": [{\"_target_\": \"LoadImaged\", \"keys\": \"image\"},"
				+ "{\"_target_\": \"RandFlipd\", \"keys\": \"image\"}, {\"_target_\": \"Spacingd\", \"keys\": \"image\", \"pixdim\": [1, 1, 1], \"mode\": \"nearest\"}]},"
				+ "\"inferer\": {\"_target_\": \"SimpleInferer\"},"
				+ "\"postprocessing\": {\"_target_\": \"Compose\", \"transforms\": [{\"_target_\": \"Activationsd\", \"keys\": \"pred\", \"softmax\": true},"
				+ "{\"_target_\": \"AsDiscreted\", \"keys\": \"pred\", \"argmax\": true}, {\"_target_\": \"KeepLargestConnectedComponentd\", \"keys\": \"pred\"}]}}");
		BundlePlan p = BundleTranslator.translate(c, Map.of(), "b");
		assertEquals("unet", p.architecture());
		assertEquals(4, p.problems().size(), p.problems().toString());
		assertTrue(p.problems().get(0).startsWith("preprocessing#transforms#1: RandFlipd"), p.problems().toString());
		assertTrue(p.problems().get(1).startsWith("preprocessing#transforms#2: Spacingd mode nearest"));
		assertTrue(p.problems().get(2).startsWith("inferer: SimpleInferer"));
		assertTrue(p.problems().get(3).startsWith("postprocessing#transforms#2: KeepLargestConnectedComponentd"));
		BundleConfig dints = config("{\"network_def\": {\"_target_\": \"TopologyInstance\"}}");
		BundleException e = assertThrows(BundleException.class, () -> BundleTranslator.translate(dints, Map.of(), "d"));
		assertTrue(e.getMessage().contains("network_def#_target_ is TopologyInstance"), e.getMessage());
	}

	@Test
	void cropForegroundBecomesAStepAtItsPlaceAndWhatItCannotDoIsListed() throws Exception {
		String pre = "{\"network_def\": {\"_target_\": \"UNet\"}, \"image_key\": \"image\","
				+ "\"preprocessing\": {\"_target_\": \"Compose\", \"transforms\": ["
				+ "{\"_target_\": \"ScaleIntensityRanged\", \"keys\": \"@image_key\", \"a_min\": -57, \"a_max\": 164, \"b_min\": 0, \"b_max\": 1, \"clip\": true},"
				+ "{\"_target_\": \"CropForegroundd\", \"keys\": [\"@image_key\"], \"source_key\": \"@image_key\", %s}]},"
				+ "\"inferer\": {\"_target_\": \"SlidingWindowInferer\", \"roi_size\": [96, 96, 96]},"
				+ "\"postprocessing\": {\"_target_\": \"Compose\", \"transforms\": [{\"_target_\": \"AsDiscreted\", \"keys\": \"pred\", \"argmax\": true}]}}";
		BundlePlan p = BundleTranslator.translate(config(String.format(pre, "\"margin\": 10, \"k_divisible\": [16, 16, 8]")),
				Map.of("monai_version", "1.3.0"), "b");
		assertEquals(List.of(), p.problems());
		assertEquals(List.of(new Preprocessing.ScaleIntensityRange(-57, 164, 0, 1, true),
				new Preprocessing.CropForeground(List.of(10, 10, 10), List.of(16, 16, 8), true)), p.preprocessing());
		assertTrue(p.notes().stream().anyMatch(n -> n.contains("allow_smaller true (MONAI 1.3.0 default)")), p.notes().toString());
		// MONAI 1.5 changed the default of allow_smaller to false
		BundlePlan p15 = BundleTranslator.translate(config(String.format(pre, "\"margin\": [1, 2, 3]")),
				Map.of("monai_version", "1.5.0"), "b");
		assertEquals(new Preprocessing.CropForeground(List.of(1, 2, 3), List.of(1, 1, 1), false), p15.preprocessing().get(1));
		BundlePlan bad = BundleTranslator.translate(config(String.format(pre.replace("\"source_key\": \"@image_key\"",
				"\"source_key\": \"label\""), "\"mode\": \"edge\", \"margin\": -1")), Map.of(), "b");
		assertEquals(List.of("preprocessing#transforms#1: CropForegroundd source_key label (VolSeg crops to the image's own foreground)",
				"preprocessing#transforms#1: CropForegroundd mode edge (VolSeg pads with constant 0)",
				"preprocessing#transforms#1: CropForegroundd margin -1 (one or three voxel counts >= 0)"), bad.problems());
		BundlePlan extra = BundleTranslator.translate(config(String.format(pre, "\"dtype\": \"$numpy.float16\", \"return_coords\": true")),
				Map.of(), "b");
		assertEquals(List.of("preprocessing#transforms#1: CropForegroundd dtype float16 (VolSeg computes in float32)",
				"preprocessing#transforms#1: CropForegroundd return_coords true (an argument VolSeg does not apply)"), extra.problems());
		BundlePlan lambda = BundleTranslator.translate(config(String.format(pre, "\"select_fn\": \"$lambda x: x > 1\"")), Map.of(), "b");
		assertEquals(List.of("preprocessing#transforms#1: CropForegroundd select_fn $lambda x: x > 1 (VolSeg selects x > 0, "
				+ "MONAI's default)"), lambda.problems());
	}

	@Test
	void theFourRealBundlesTranslate() {
		try (BundleSource s = BundleSource.open(BundleFixtures.path("real/spleen_ct_segmentation"))) {
			BundlePlan p = BundleTranslator.translate(s.inferenceConfig(), s.metadata(), s.folderName());
			assertEquals(List.of(), p.problems());
			assertEquals("RAS", p.orientation());
			assertEquals(List.of(1.5, 1.5, 2.0), java.util.Arrays.stream(p.spacingMm()).boxed().toList());
			assertEquals(List.of("background", "spleen"), p.classNames());
			assertEquals(MonaiOptions.Invert.PROBABILITIES, p.monai().invert());
			assertEquals(org.volseg.model.OutputActivation.SOFTMAX, p.activation());
			assertEquals(4, p.swBatchSize());
			assertEquals(0.5, p.overlap());
			// ScaleIntensityRanged a -57..164 -> 0..1, clip: one step with MONAI's arguments
			assertEquals(List.of(new Preprocessing.ScaleIntensityRange(-57, 164, 0, 1, true)), p.preprocessing());
		}
		try (BundleSource s = BundleSource.open(BundleFixtures.path("real/brats_mri_segmentation"))) {
			BundlePlan p = BundleTranslator.translate(s.inferenceConfig(), s.metadata(), s.folderName());
			assertEquals(List.of(), p.problems());
			assertNull(p.orientation());
			assertNull(p.spacingMm());
			assertEquals(List.of("T1c", "T1", "T2", "FLAIR"), p.inputChannelNames());
			// NormalizeIntensityd(nonzero=true, channel_wise=true): the step carries its own region
			assertEquals(List.of(new Preprocessing.NormalizeIntensity(true, true)), p.preprocessing());
			assertEquals(org.volseg.model.OutputActivation.SIGMOID, p.activation());
			assertEquals(0.5, p.monai().threshold());
			assertEquals(3, p.monai().regionLabels().size());
			assertEquals(List.of(240, 240, 160), java.util.Arrays.stream(p.roi()).boxed().toList());
		}
		try (BundleSource s = BundleSource.open(BundleFixtures.path("real/wholeBody_ct_segmentation"))) {
			BundlePlan p = BundleTranslator.translate(s.inferenceConfig(), s.metadata(), s.folderName());
			// pixdim is "$[1.5, 1.5, 1.5] if @displayable_configs#highres else [3.0, 3.0, 3.0]"
			assertEquals(List.of(1.5, 1.5, 1.5), java.util.Arrays.stream(p.spacingMm()).boxed().toList());
			assertEquals("edge", p.monai().padding());
			assertTrue(p.gaussian());
			assertEquals(0.25, p.overlap());
			assertEquals(MonaiOptions.Invert.LABELS, p.monai().invert());
			assertEquals(105, p.classNames().size());
			// NormalizeIntensityd(nonzero) then ScaleIntensityd(-1, 1) over all voxels: two steps, two regions
			assertEquals(List.of(), p.problems());
			assertEquals(List.of(new Preprocessing.NormalizeIntensity(true, false), new Preprocessing.ScaleIntensity(-1, 1, false)),
					p.preprocessing());
		}
		try (BundleSource s = BundleSource.open(BundleFixtures.path("real/swin_unetr_btcv_segmentation"))) {
			BundlePlan p = BundleTranslator.translate(s.inferenceConfig(), s.metadata(), s.folderName());
			assertEquals(List.of(), p.problems());
			assertEquals("monai14", p.kwargs().get("patch_merging_order"));
			assertEquals("1.4.0", p.monai().version());
			assertEquals(14, p.classNames().size());
			assertEquals("Left adrenal gland", p.classNames().get(13));
		}
	}
}
