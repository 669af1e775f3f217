package org.volseg.io;

import org.volseg.util.AtomicFiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

	@TempDir
	Path dir;

	@Test
	void writtenFilesAreReadableByOthersLikeAnyNewFile() throws IOException {
		Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
		Path atomic = dir.resolve("atomic.txt");
		AtomicFiles.writeString(atomic, "y");
		Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
		assertEquals(expected, Files.getPosixFilePermissions(atomic));
		assertEquals("y", Files.readString(atomic));
	}

	@Test
	void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
		Path target = dir.resolve("labels.nii.gz");
		Files.writeString(target, "old");
		assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
			out.write(new byte[1000]);
			throw new IOException("disk full");
		}));
		assertEquals("old", Files.readString(target));
		try (var files = Files.list(dir)) {
			assertEquals(1, files.count());
		}
	}

	@Test
	void temporaryNamesAreHiddenAndNameTheirTarget() throws IOException {
		Path temp = AtomicFiles.temporarySibling(dir.resolve("case.nii.gz"));
		String name = temp.getFileName().toString();
		assertTrue(name.startsWith(".case.nii.gz.") && name.endsWith(".part"), name);
		assertEquals(dir, temp.getParent());
	}

	@Test
	void foldersMovedIntoPlaceHaveTheDefaultPermissions() throws IOException {
		Path plain = Files.createDirectory(dir.resolve("plain"));
		Path target = dir.resolve("models/unetr");
		Path staged = AtomicFiles.tempFolderNextTo(target);
		Files.writeString(staged.resolve("rdf.yaml"), "name: x");
		AtomicFiles.moveFolder(staged, target, false);
		assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(target));
		Path csvTemp = AtomicFiles.temporarySibling(dir.resolve("results.csv"), ".csv");
		assertTrue(csvTemp.getFileName().toString().endsWith(".csv"));
		assertEquals(Files.getPosixFilePermissions(Files.writeString(dir.resolve("p.txt"), "")),
				Files.getPosixFilePermissions(csvTemp));
	}
}
