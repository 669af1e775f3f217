package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.testutil.CliRunner;
import org.volseg.testutil.JsonParser;

class InfoCommandTest {

	static Path fixture(String name) {
		try {
			return Path.of(InfoCommandTest.class.getResource("/nifti/" + name).toURI());
		} catch (URISyntaxException e) {
			throw new IllegalStateException(e);
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void jsonHasExactlyTheSpecifiedKeysAndNibabelsValues() {
		Path p = fixture("example4d.nii.gz");
		CliRunner r = CliRunner.run("info", "--json", p.toString());
		assertEquals(0, r.exitCode, r.err);
		Map<String, Object> json = (Map<String, Object>) JsonParser.parse(r.out.trim());
		assertEquals(List.of("dims", "spacing_mm", "orientation", "affine_lps", "affine_ras", "datatype", "min", "max", "sum",
				"sum_sq", "source"), new ArrayList<>(json.keySet()));
		assertEquals(List.of(128.0, 96.0, 24.0, 2.0), json.get("dims"));
		assertEquals("LAS", json.get("orientation"));
		assertEquals("int16", json.get("datatype"));
		// expected.json (nibabel 5.0): scaled sum 101985356, sum_sq 51260083016, min 0, max 1162
		assertEquals(101985356.0, (Double) json.get("sum"), 0);
		assertEquals(51260083016.0, (Double) json.get("sum_sq"), 0);
		assertEquals(0.0, json.get("min"));
		assertEquals(1162.0, json.get("max"));
		assertEquals(p.toString(), json.get("source"));
		List<List<Double>> ras = (List<List<Double>>) json.get("affine_ras");
		List<List<Double>> lps = (List<List<Double>>) json.get("affine_lps");
		assertEquals(117.8551025390625, ras.get(0).get(3), 0);
		assertEquals(1.9737114906311035, ras.get(1).get(1), 0);
		assertEquals(-117.8551025390625, lps.get(0).get(3), 0);
		assertEquals(List.of(0.0, 0.0, 0.0, 1.0), ras.get(3));
		List<Double> spacing = (List<Double>) json.get("spacing_mm");
		assertEquals(2.0, spacing.get(0), 1e-6);
		assertEquals(2.2, spacing.get(2), 1e-5);
	}

	@Test
	void textNamesEverything() {
		CliRunner r = CliRunner.run("info", fixture("anatomical.nii").toString());
		assertEquals(0, r.exitCode, r.err);
		for (String s : new String[] { "33 x 41 x 25", "2 x 2 x 2 mm", "LAS", "int16", "-610 to 30393", "affine (LPS)",
				"affine (RAS)", "big-endian", "sform" })
			assertTrue(r.out.contains(s), "mentions " + s + ":\n" + r.out);
	}

	@Test
	void unreadableInputsFailWithOneLine(@TempDir Path dir) throws Exception {
		CliRunner missing = CliRunner.run("info", dir.resolve("nope.nii.gz").toString());
		assertEquals(1, missing.exitCode);
		assertTrue(missing.err.startsWith("volseg: error: ") && missing.err.contains("nope.nii.gz") && missing.err.contains("does not exist"),
				missing.err);
		Path text = dir.resolve("notes.txt");
		java.nio.file.Files.writeString(text, "hello");
		CliRunner unknown = CliRunner.run("info", "--json", text.toString());
		assertEquals(1, unknown.exitCode);
		assertTrue(unknown.err.contains("notes.txt") && unknown.err.contains("NIfTI"), unknown.err);
		assertEquals(2, CliRunner.run("info").exitCode);
	}
}
