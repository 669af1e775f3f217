package org.volseg.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.module.DefaultMutableModuleItem;
import org.scijava.module.MutableModuleItem;
import org.volseg.VolSegException;

/** {@link ModelChoice}: the Model field's choices and what a choice plus a package path resolve to. */
class ModelChoiceTest {

	@TempDir
	Path tmp;

	@Test
	void choicesListTheInstalledModelsThenOther() throws Exception {
		Path fiji = tmp.resolve("fiji"), user = tmp.resolve("user");
		Files.createDirectories(fiji.resolve("liver-ct"));
		Files.writeString(fiji.resolve("liver-ct/rdf.yaml"), "not: [a descriptor"); // listed under its folder name
		Files.createDirectories(user.resolve("brain"));
		Files.writeString(user.resolve("brain/rdf.yaml"), "::");
		ModelCatalog catalog = new ModelCatalog(List.of(fiji, user));
		assertEquals(List.of("liver-ct", "brain", ModelChoice.OTHER), ModelChoice.choices(catalog));

		MutableModuleItem<String> item = new DefaultMutableModuleItem<>((org.scijava.module.ModuleInfo) null, "model", String.class);
		assertEquals("liver-ct", ModelChoice.fill(item, "", catalog), "blank: the first installed model");
		assertEquals(List.of("liver-ct", "brain", ModelChoice.OTHER), item.getChoices());
		assertEquals("lung ct", ModelChoice.fill(item, "lung ct", catalog), "a macro's name is kept even if not listed");
		assertEquals(List.of(ModelChoice.OTHER), ModelChoice.choices(new ModelCatalog(List.of(tmp.resolve("none")))));
		assertEquals(ModelChoice.OTHER, ModelChoice.fill(item, null, new ModelCatalog(List.of())));
	}

	@Test
	void aPackagePathWinsOverTheListAndOtherAloneIsNoModel() {
		assertEquals("/m/rdf.yaml", ModelChoice.chosen("liver-ct", new File("/m/rdf.yaml")));
		assertEquals("liver-ct", ModelChoice.chosen("liver-ct", new File("")));
		assertEquals("liver-ct", ModelChoice.chosen("liver-ct", null));
		assertEquals("", ModelChoice.chosen(ModelChoice.OTHER, null));
		assertEquals("", ModelChoice.chosen(null, null));
	}

	@Test
	void resolvingNothingOrAnUnknownNameNamesTheModelSetting() throws Throwable {
		FijiTestData.withModelFolders(tmp, () -> {
			VolSegException e = assertThrows(VolSegException.class, () -> ModelChoice.resolve(ModelChoice.OTHER, null));
			assertTrue(e.getMessage().startsWith("model: no model given"), e.getMessage());
			e = assertThrows(VolSegException.class, () -> ModelChoice.resolve("lung ct", new File("")));
			assertTrue(e.getMessage().startsWith("model: \"lung ct\" is neither a path nor an installed model"), e.getMessage());
			assertEquals(tmp, ModelChoice.resolve("lung ct", tmp.toFile()), "an existing path is taken as it is");
		});
	}
}
