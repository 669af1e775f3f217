package org.volseg.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The optional SNOMED CT code of a class: read from rdf.yaml, written back, checked; packages without it stay valid. */
class SnomedCodeTest {

	private static final Path DEMO = Path.of("sample-volumes", "models", "volseg-phantom-unetr", "rdf.yaml");

	@Test
	void theDemoModelCodesItsOrgansAndNotTheBody() {
		List<SegmentationClass> classes = DescriptorReader.read(DEMO).volseg().classes();
		assertNull(classes.get(1).snomed(), "body declares no code");
		assertEquals(SnomedCode.anatomy("10200004", "Liver"), classes.get(2).snomed());
		assertEquals(new SnomedCode("9846003", "Right kidney", "123037004", "Anatomical Structure"), classes.get(4).snomed());
	}

	@Test
	void codesSurviveWritingAndReadingAndACategoryCanBeGiven() throws IOException {
		String yaml = Files.readString(DEMO).replace("snomed: {code: \"10200004\", meaning: Liver}",
				"snomed: {code: \"10200004\", meaning: Liver, category: {code: \"49755003\", meaning: Morphologically Altered Structure}}");
		ModelDescriptor d = DescriptorReader.parse(yaml, "rdf.yaml");
		assertEquals(new SnomedCode("10200004", "Liver", "49755003", "Morphologically Altered Structure"),
				d.volseg().classes().get(2).snomed());
		String written = DescriptorWriter.toYaml(d);
		assertEquals(d, DescriptorReader.parse(written, "written"));
		assertTrue(written.contains("10200004"), written);
	}

	@Test
	void aMalformedCodeIsReportedWithItsPath() throws IOException {
		String yaml = Files.readString(DEMO).replace("code: \"10200004\"", "code: T-62000");
		ModelPackageException e = assertThrows(ModelPackageException.class, () -> DescriptorReader.parse(yaml, "rdf.yaml"));
		assertTrue(e.getMessage().contains("config.volseg.classes[2].snomed.code"), e.getMessage());
		assertTrue(e.getMessage().contains("SNOMED CT concept id"), e.getMessage());
	}
}
