package org.volseg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CasePairsTest {

	@Test
	void pairsPhantomStyleNamesInOneFolder(@TempDir Path dir) throws Exception {
		for (String f : List.of("case001_image.nii.gz", "case001_labels.nii.gz", "case000_image.nii.gz", "case000_labels.nii.gz", "notes.txt")) {
			Files.writeString(dir.resolve(f), "");
		}
		List<CasePairs.Pair> pairs = CasePairs.find(dir, dir);
		assertEquals(2, pairs.size());
		assertEquals("case000", pairs.get(0).name());
		assertEquals(dir.resolve("case000_image.nii.gz"), pairs.get(0).image());
		assertEquals(dir.resolve("case000_labels.nii.gz"), pairs.get(0).labels());
	}

	@Test
	void pairsSameNamesInTwoFolders(@TempDir Path dir) throws Exception {
		Path images = Files.createDirectories(dir.resolve("imagesTr"));
		Path labels = Files.createDirectories(dir.resolve("labelsTr"));
		for (String f : List.of("liver_3.nii.gz", "liver_1.nii")) {
			Files.writeString(images.resolve(f), "");
			Files.writeString(labels.resolve(f), "");
		}
		List<CasePairs.Pair> pairs = CasePairs.find(images, labels);
		assertEquals(List.of("liver_1", "liver_3"), pairs.stream().map(CasePairs.Pair::name).toList());
		assertEquals(labels.resolve("liver_1.nii"), pairs.get(0).labels());
	}

	@Test
	void namesMissingLabelsAndEmptyFolders(@TempDir Path dir) throws Exception {
		Path images = Files.createDirectories(dir.resolve("images"));
		Path labels = Files.createDirectories(dir.resolve("labels"));
		TrainingDataException empty = assertThrows(TrainingDataException.class, () -> CasePairs.find(images, labels));
		assertTrue(empty.getMessage().contains("no NIfTI images"), empty.getMessage());
		Files.writeString(images.resolve("case000_image.nii.gz"), "");
		TrainingDataException missing = assertThrows(TrainingDataException.class, () -> CasePairs.find(images, labels));
		assertTrue(missing.getMessage().contains("case000_labels.nii.gz"), missing.getMessage());
		TrainingDataException notFolder = assertThrows(TrainingDataException.class,
				() -> CasePairs.find(dir.resolve("nope"), labels));
		assertTrue(notFolder.getMessage().startsWith("--images"), notFolder.getMessage());
	}
}
