package org.volseg.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.volseg.model.DescriptorReader;
import org.volseg.model.DescriptorWriter;
import org.volseg.model.ModelDescriptor;
import org.volseg.model.Preprocessing;
import org.volseg.model.SegmentationClass;
import org.volseg.nets.BundleFixtures;

/** The model package descriptor a real bundle becomes, and its round trip through rdf.yaml. */
class BundleDescriptorTest {

	@Test
	void bratsBecomesFourNamedChannelsAndRegionLabelsThatSurviveRdfYaml() throws Exception {
		try (BundleSource s = BundleSource.open(BundleFixtures.path("real/brats_mri_segmentation"))) {
			BundleImporter.Checked c = BundleImporter.check(s, false, w -> {
			});
			ModelDescriptor d = BundleImporter.descriptor(c.plan(), c.network(), "brats", "brats_mri_segmentation");
			assertEquals(List.of("T1c", "T1", "T2", "FLAIR"), d.input().axes().get(4).channelNames());
			assertEquals(List.of(1, 2, 4), d.volseg().classes().stream().map(SegmentationClass::label).toList());
			assertEquals(List.of("Tumor core", "Whole tumor", "Enhancing tumor"),
					d.volseg().classes().stream().map(SegmentationClass::name).toList());
			assertEquals(List.of(240, 240, 160), d.volseg().patchSize());
			java.nio.file.Path file = java.nio.file.Files.createTempFile("rdf", ".yaml");
			try {
				DescriptorWriter.write(d, file);
				ModelDescriptor back = DescriptorReader.read(file);
				assertEquals(d.volseg().monai(), back.volseg().monai());
				assertEquals(d.input().preprocessing(), back.input().preprocessing());
				assertEquals(d.volseg().normalizationRegion(), back.volseg().normalizationRegion());
			} finally {
				java.nio.file.Files.deleteIfExists(file);
			}
		}
	}

	@Test
	void wholeBodyKeepsBothIntensityStepsWithTheirOwnRegionsThroughRdfYaml() throws Exception {
		try (BundleSource s = BundleSource.open(BundleFixtures.path("real/wholeBody_ct_segmentation"))) {
			BundleImporter.Checked c = BundleImporter.check(s, false, w -> {
			});
			ModelDescriptor d = BundleImporter.descriptor(c.plan(), c.network(), "wholebody", "wholeBody_ct_segmentation");
			List<Preprocessing> want = List.of(new Preprocessing.NormalizeIntensity(true, false),
					new Preprocessing.ScaleIntensity(-1, 1, false));
			assertEquals(want, d.input().preprocessing());
			java.nio.file.Path file = java.nio.file.Files.createTempFile("rdf", ".yaml");
			try {
				DescriptorWriter.write(d, file);
				String yaml = java.nio.file.Files.readString(file);
				assertTrue(yaml.contains("monai_normalize_intensity") && yaml.contains("monai_scale_intensity"), yaml);
				assertEquals(want, DescriptorReader.read(file).input().preprocessing());
			} finally {
				java.nio.file.Files.deleteIfExists(file);
			}
		}
	}
}
