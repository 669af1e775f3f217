package org.volseg.model;

import org.volseg.util.AtomicFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPackageTest {

	@TempDir
	Path tmp;

	/** A package folder with the example descriptor and a stand-in SavedModel folder. */
	Path packageFolder(String name) throws IOException {
		Path dir = Files.createDirectories(tmp.resolve(name));
		Files.writeString(dir.resolve("rdf.yaml"), DescriptorReaderTest.example());
		Files.createDirectories(dir.resolve("saved_model/variables"));
		Files.write(dir.resolve("saved_model/saved_model.pb"), new byte[] { 8, 1 });
		return dir;
	}

	@Test
	void opensAFolderAndItsRdfYaml() throws IOException {
		Path dir = packageFolder("pkg");
		try (ModelPackage p = ModelPackage.open(dir)) {
			assertEquals(dir.resolve("saved_model"), p.savedModelDir());
			assertEquals(4, p.descriptor().output().channels());
			assertFalse(p.isUnpacked());
		}
		try (ModelPackage p = ModelPackage.open(dir.resolve("rdf.yaml"))) {
			assertEquals("saved_model", p.savedModelDir().getFileName().toString());
		}
		assertTrue(Files.exists(dir.resolve("saved_model/saved_model.pb")), "closing never touches the package");
	}

	@Test
	void opensAZipWithATopFolderAndDeletesTheUnpackedCopyOnClose() throws IOException {
		Map<String, String> m = new LinkedHashMap<>();
		m.put("unetr/rdf.yaml", DescriptorReaderTest.example());
		m.put("unetr/saved_model/saved_model.pb", "pb");
		Path zip = ZipExtractorTest.zip(tmp.resolve("unetr.zip"), m);
		Path root;
		try (ModelPackage p = ModelPackage.open(zip)) {
			root = p.root();
			assertTrue(p.isUnpacked());
			assertEquals("unetr", root.getFileName().toString());
			assertTrue(Files.isRegularFile(p.savedModelDir().resolve("saved_model.pb")));
		}
		assertFalse(Files.exists(root));
	}

	@Test
	void savedModelStoredAsZipIsUnpacked() throws IOException {
		Path dir = Files.createDirectories(tmp.resolve("zoo"));
		Files.writeString(dir.resolve("rdf.yaml"), DescriptorReaderTest.example()
				.replace("source: saved_model", "source: tf_weights.zip"));
		ZipExtractorTest.zip(dir.resolve("tf_weights.zip"), Map.of("saved_model.pb", "pb", "variables/", ""));
		try (ModelPackage p = ModelPackage.open(dir)) {
			assertTrue(Files.isRegularFile(p.savedModelDir().resolve("saved_model.pb")));
			assertFalse(p.savedModelDir().startsWith(dir));
		}
	}

	@Test
	void folderWithoutRdfYaml() throws IOException {
		Path dir = Files.createDirectories(tmp.resolve("empty"));
		ModelPackageException e = assertThrows(ModelPackageException.class, () -> ModelPackage.open(dir));
		assertEquals(dir + ": no rdf.yaml in the folder: a model package needs an rdf.yaml at its root "
				+ "(see docs/model-format.md)", e.getMessage());
	}

	@Test
	void missingSavedModel() throws IOException {
		Path dir = packageFolder("nosm");
		Files.delete(dir.resolve("saved_model/saved_model.pb"));
		ModelPackageException e = assertThrows(ModelPackageException.class, () -> ModelPackage.open(dir));
		assertEquals(List.of("weights.tensorflow_saved_model_bundle.source: \"saved_model\" has no saved_model.pb, "
				+ "so it is not a TensorFlow SavedModel"), e.problems());
		AtomicFiles.deleteRecursively(dir.resolve("saved_model"));
		e = assertThrows(ModelPackageException.class, () -> ModelPackage.open(dir));
		assertTrue(e.getMessage().contains("the SavedModel folder \"saved_model\" is missing from the package"));
	}

	@Test
	void zipSlipPackageLeavesNothingBehind() throws IOException {
		Map<String, String> m = new LinkedHashMap<>();
		m.put("rdf.yaml", DescriptorReaderTest.example());
		m.put("../../volseg-zip-slip-test.txt", "gotcha");
		Path zip = ZipExtractorTest.zip(tmp.resolve("evil.zip"), m);
		Path tempRoot = Path.of(System.getProperty("java.io.tmpdir"));
		long before = countVolsegTemps(tempRoot);
		assertThrows(ModelPackageException.class, () -> ModelPackage.open(zip));
		assertEquals(before, countVolsegTemps(tempRoot), "the temporary folder is removed");
		assertFalse(Files.exists(tempRoot.getParent().resolve("volseg-zip-slip-test.txt")));
		assertFalse(Files.exists(tempRoot.resolve("volseg-zip-slip-test.txt")));
	}

	private static long countVolsegTemps(Path dir) throws IOException {
		try (var s = Files.list(dir)) {
			return s.filter(p -> p.getFileName().toString().startsWith("volseg-model-")).count();
		}
	}

	@Test
	void notAPackage() throws IOException {
		Path f = Files.writeString(tmp.resolve("model.txt"), "x");
		assertTrue(assertThrows(ModelPackageException.class, () -> ModelPackage.open(f)).getMessage()
				.contains("not a model package"));
		assertTrue(assertThrows(ModelPackageException.class, () -> ModelPackage.open(tmp.resolve("nope")))
				.getMessage().contains("not found"));
	}

	@Test
	void installCopiesAtomicallyAndRefusesDuplicates() throws IOException {
		Path dir = packageFolder("src");
		Path models = tmp.resolve("models");
		Path installed = ModelInstaller.install(dir, models, false);
		assertEquals(models.resolve("unetr-abdominal-ct-liver-kidneys-spleen"), installed);
		assertEquals(Files.readString(dir.resolve("rdf.yaml")), Files.readString(installed.resolve("rdf.yaml")));
		assertTrue(Files.isRegularFile(installed.resolve("saved_model/saved_model.pb")));
		ModelPackageException e = assertThrows(ModelPackageException.class, () -> ModelInstaller.install(dir, models, false));
		assertTrue(e.getMessage().contains("is already installed"), e.getMessage());
		assertEquals(installed, ModelInstaller.install(dir, models, true));
		try (var s = Files.list(models)) {
			assertEquals(1, s.count(), "no temporary folders left in the models folder");
		}
	}

	@Test
	void installRefusesAnInvalidPackageAndWritesNothing() throws IOException {
		Path dir = packageFolder("bad");
		Files.writeString(dir.resolve("rdf.yaml"), "name: only a name\n");
		Path models = tmp.resolve("models");
		ModelPackageException e = assertThrows(ModelPackageException.class, () -> ModelInstaller.install(dir, models, false));
		assertTrue(e.problems().size() > 3, e.getMessage());
		assertFalse(Files.exists(models));
	}

	@Test
	void folderNames() {
		assertEquals("unet-r-cerveau-irm", ModelInstaller.folderName("  UNet R: Cerveau/IRM  "));
		assertEquals("model", ModelInstaller.folderName("../.."));
		assertEquals("a.b_c-d", ModelInstaller.folderName("a.b_c-d"));
		assertEquals("conv3d-1-2", ModelInstaller.folderName("conv3d 1->2"));
	}
}
