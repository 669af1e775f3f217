package org.volseg.util;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SameFile#as}: the output-is-not-the-input test every writer applies. */
class SameFileTest {

	@TempDir
	Path dir;

	@Test
	void anExistingFileIsItselfUnderAnyName() throws Exception {
		Path scan = Files.writeString(dir.resolve("scan.nii"), "x");
		assertTrue(SameFile.as(scan, scan));
		assertTrue(SameFile.as(scan, dir.resolve("sub/../scan.nii")));
		Path link = Files.createSymbolicLink(dir.resolve("link.nii"), scan);
		assertTrue(SameFile.as(scan, link), "a link to the input is the input");
		assertTrue(SameFile.as(link, scan));
	}

	@Test
	void anotherFileIsNotTheInput() throws Exception {
		Path scan = Files.writeString(dir.resolve("scan.nii"), "x");
		Path other = Files.writeString(dir.resolve("other.nii"), "x");
		assertFalse(SameFile.as(scan, other), "same content, another file");
		assertFalse(SameFile.as(scan, dir.resolve("labels.nii")), "an output that does not exist yet");
	}

	@Test
	void aMissingOutputIsComparedByItsNormalisedPath() {
		Path input = dir.resolve("missing.nii");
		assertTrue(SameFile.as(input, dir.resolve("a/../missing.nii")));
		assertFalse(SameFile.as(input, dir.resolve("missing.nii.gz")));
	}
}
