package org.volseg.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipExtractorTest {

	@TempDir
	Path tmp;

	static Path zip(Path file, Map<String, String> entries) throws IOException {
		try (OutputStream os = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(os)) {
			for (Map.Entry<String, String> e : entries.entrySet()) {
				z.putNextEntry(new ZipEntry(e.getKey()));
				if (e.getValue() != null)
					z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
				z.closeEntry();
			}
		}
		return file;
	}

	@Test
	void extractsAnOrdinaryArchive() throws IOException {
		Map<String, String> m = new LinkedHashMap<>();
		m.put("pkg/", null);
		m.put("pkg/rdf.yaml", "name: x\n");
		m.put("pkg/saved_model/variables/variables.index", "idx");
		Path target = tmp.resolve("out");
		ZipExtractor.extract(zip(tmp.resolve("a.zip"), m), target);
		assertEquals("name: x\n", Files.readString(target.resolve("pkg/rdf.yaml")));
		assertEquals("idx", Files.readString(target.resolve("pkg/saved_model/variables/variables.index")));
	}

	@Test
	void zipSlipIsRefusedAndNothingIsWritten() throws IOException {
		Map<String, String> m = new LinkedHashMap<>();
		m.put("rdf.yaml", "name: x\n"); // a harmless entry first: it must not be written either
		m.put("../escaped.txt", "gotcha");
		m.put("sub/../../escaped2.txt", "gotcha");
		m.put("/abs.txt", "gotcha");
		m.put("..\\win.txt", "gotcha");
		Path target = tmp.resolve("deep/out");
		ModelPackageException e = assertThrows(ModelPackageException.class,
				() -> ZipExtractor.extract(zip(tmp.resolve("evil.zip"), m), target));
		assertEquals(5, e.problems().size(), e.getMessage());
		assertEquals("entry \"../escaped.txt\" points outside the target folder (\"..\")", e.problems().get(0));
		assertEquals("entry \"/abs.txt\" has an absolute path", e.problems().get(2));
		assertFalse(Files.exists(tmp.resolve("deep/escaped.txt")));
		assertFalse(Files.exists(tmp.resolve("escaped2.txt")));
		assertFalse(Files.exists(tmp.resolve("deep/win.txt")));
		assertFalse(Files.exists(target), "nothing extracted at all");
	}

	@Test
	void unsafeNames() {
		Path root = tmp.toAbsolutePath();
		assertNull(ZipExtractor.unsafeReason("a/b/c.txt", root));
		assertNull(ZipExtractor.unsafeReason("a/b/", root));
		// ".." is refused even where it would stay inside: such archives are not made by zip tools
		assertTrue(ZipExtractor.unsafeReason("a/b/../c.txt", root).contains("\"..\""));
		assertTrue(ZipExtractor.unsafeReason("C:/windows/x", root).contains("absolute"));
		assertTrue(ZipExtractor.unsafeReason("a/../../x", root).contains("outside"));
	}

	@Test
	void notAZipIsAClearError() throws IOException {
		Path f = Files.writeString(tmp.resolve("model.zip"), "this is not a zip");
		ModelPackageException e = assertThrows(ModelPackageException.class, () -> ZipExtractor.extract(f, tmp.resolve("o")));
		assertTrue(e.getMessage().contains("not a readable .zip archive"), e.getMessage());
	}
}
