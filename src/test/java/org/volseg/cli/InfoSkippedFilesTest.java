package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.testutil.CliRunner;
import org.volseg.util.Json;

/**
 * {@code volseg info} and {@code convert-volume} on a folder holding a truncated file and a file
 * with a bad VR next to a good image (issue 15 item 5): both are named with their reasons, in the
 * text table, in JSON ({@code "skipped": [{"file", "reason"}]} next to {@code "warnings"}) and as
 * warnings of convert-volume; a single bad file says why.
 */
class InfoSkippedFilesTest {

	@TempDir
	Path dir;

	private Path folder() throws Exception {
		Path f = dir.resolve("mixed");
		Files.createDirectories(f);
		for (String[] c : new String[][] { { "/dicom/MR_small.dcm", "good.dcm" }, { "/dicom/MR_truncated.dcm", "truncated.dcm" } })
			try (InputStream in = getClass().getResourceAsStream(c[0])) {
				Files.write(f.resolve(c[1]), in.readAllBytes());
			}
		byte[] b = Files.readAllBytes(f.resolve("good.dcm"));
		for (int i = 132; i + 6 < b.length; i++)
			if (b[i] == 0x08 && b[i + 1] == 0 && b[i + 2] == 0x60 && b[i + 3] == 0 && b[i + 4] == 'C' && b[i + 5] == 'S') {
				b[i + 4] = 'Z';
				b[i + 5] = 'Z';
				break;
			}
		Files.write(f.resolve("badvr.dcm"), b);
		return f;
	}

	@SuppressWarnings("unchecked")
	@Test
	void infoNamesSkippedFilesInTextAndJson() throws Exception {
		Path f = folder();
		CliRunner text = CliRunner.run("info", f.toString());
		assertEquals(0, text.exitCode, text.err);
		assertTrue(text.out.contains("2 files skipped:"), text.out);
		assertTrue(text.out.contains(f.resolve("badvr.dcm") + ": unknown VR 'ZZ'"), text.out);
		assertTrue(text.out.contains(f.resolve("truncated.dcm") + ": "), text.out);
		for (String[] args : new String[][] { { "info", "--json", f.toString() }, { "info", "--json", "--series", "1", f.toString() } }) {
			CliRunner json = CliRunner.run(args);
			assertEquals(0, json.exitCode, json.err);
			Object parsed = Json.parse(json.out.trim());
			Map<String, Object> series = parsed instanceof List ? (Map<String, Object>) ((List<Object>) parsed).get(0)
					: (Map<String, Object>) parsed;
			assertTrue(series.containsKey("warnings"));
			List<Object> skipped = (List<Object>) series.get("skipped");
			assertEquals(2, skipped.size(), json.out);
			Map<String, Object> first = (Map<String, Object>) skipped.get(0);
			assertEquals(f.resolve("badvr.dcm").toString(), first.get("file"));
			assertTrue(String.valueOf(first.get("reason")).startsWith("unknown VR 'ZZ' at (0008,0060)"), json.out);
			Map<String, Object> second = (Map<String, Object>) skipped.get(1);
			assertEquals(f.resolve("truncated.dcm").toString(), second.get("file"));
			assertTrue(String.valueOf(second.get("reason")).contains("truncated"), json.out);
		}
		CliRunner convert = CliRunner.run("convert-volume", f.toString(), dir.resolve("out.nii.gz").toString());
		assertEquals(0, convert.exitCode, convert.err);
		assertTrue(convert.err.contains("skipped " + f.resolve("truncated.dcm")), convert.err);
	}

	@Test
	void aSingleBadFileSaysWhy() throws Exception {
		Path f = folder().resolve("truncated.dcm");
		CliRunner r = CliRunner.run("info", f.toString());
		assertNotEquals(0, r.exitCode);
		assertTrue(r.err.contains("1 unreadable: " + f + " (") && r.err.contains("truncated"), r.err);
	}
}
