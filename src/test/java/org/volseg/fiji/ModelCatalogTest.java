package org.volseg.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.VolSegException;
import org.volseg.model.DescriptorWriter;
import org.volseg.model.ModelDescriptor;
import org.volseg.testutil.TemporaryProperty;

class ModelCatalogTest {

	@TempDir
	Path tmp;

	@Test
	void listsPackagesOfEveryFolderAndResolvesNamesFolderNamesAndPaths() throws Exception {
		Path fiji = tmp.resolve("Fiji.app/models/volseg"), user = tmp.resolve("user");
		Path liver = writePackage(fiji.resolve("liver-ct"), "Liver CT");
		Path brain = writePackage(user.resolve("brain-mr"), "Brain MR");
		Path abdomen = writePackage(fiji.resolve("abdomen"), "Abdomen");
		Files.createDirectories(fiji.resolve("not-a-model")); // no rdf.yaml: ignored
		ModelCatalog catalog = new ModelCatalog(List.of(fiji, user, tmp.resolve("missing")));
		List<ModelCatalog.InstalledModel> models = catalog.list();
		assertEquals(List.of("Abdomen", "Liver CT", "Brain MR"), models.stream().map(ModelCatalog.InstalledModel::name).toList());
		assertEquals(liver, catalog.resolve("model", "liver ct"));
		assertEquals(liver, catalog.resolve("model", "liver-ct"));
		assertEquals(brain, catalog.resolve("model", "Brain MR"));
		assertEquals(abdomen.resolve("rdf.yaml"), catalog.resolve("model", abdomen.resolve("rdf.yaml").toString()));
		VolSegException e = assertThrows(VolSegException.class, () -> catalog.resolve("model", "lung"));
		assertTrue(e.getMessage().startsWith("model: \"lung\"") && e.getMessage().contains("\"Liver CT\"")
				&& e.getMessage().contains("Install Model"), e.getMessage());
		e = assertThrows(VolSegException.class, () -> new ModelCatalog(List.of(tmp.resolve("none"))).resolve("model", ""));
		assertTrue(e.getMessage().contains("no model given") && e.getMessage().contains("installed: none"), e.getMessage());
	}

	@Test
	void userFolderFollowsTheSystemProperty() {
		try (TemporaryProperty folder = TemporaryProperty.set(ModelCatalog.USER_MODELS_PROPERTY, tmp.toString())) {
			assertEquals(tmp, ModelCatalog.userModelsFolder());
			folder.clear();
			assertEquals(Path.of(System.getProperty("user.home"), ".volseg", "models"), ModelCatalog.userModelsFolder());
		}
	}

	private static Path writePackage(Path dir, String name) throws Exception {
		Files.createDirectories(dir);
		ModelDescriptor d = ModelDescriptor.builder().name(name).description("test").author("t", null).inputChannels(1)
				.patchSize(32, 32, 32).addClass(1, "organ", 255, 0, 0).build();
		DescriptorWriter.write(d, dir.resolve("rdf.yaml"));
		return dir;
	}
}
