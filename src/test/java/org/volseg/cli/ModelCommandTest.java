package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.testutil.CliRunner;
import org.volseg.engine.TestNetworks;

class ModelCommandTest {

	@TempDir
	static Path tmp;
	static Path pkg;

	String out, err;

	@BeforeAll
	static void exportPackage() throws Exception {
		pkg = new TestNetworks(1, 2, 21).export(tmp.resolve("conv"), 4, 4, 4, true, false);
	}

	int run(String... args) {
		CliRunner r = CliRunner.run(args);
		out = r.out;
		err = r.err;
		return r.exitCode;
	}

	@Test
	void validateAcceptsAGoodPackageAndRunsAPatch() {
		assertEquals(0, run("model", "validate", "--run", pkg.toString()), err);
		assertEquals(pkg + ": valid model package \"conv3d test 1->2\" (one patch run)", out.strip());
	}

	@Test
	void infoPrintsDescriptorAndSignature() {
		assertEquals(0, run("model", "info", pkg.toString()), err);
		assertTrue(out.contains("name: conv3d test 1->2"), out);
		assertTrue(out.contains("input input: float32 [batch=any, x=4, y=4, z=4, channel=1 [channel0]]"), out);
		assertTrue(out.contains("target spacing (mm): [1.5, 1.5, 2.0]"), out);
		assertTrue(out.contains("  1 class1 rgb(40, 215, 128)"), out);
		assertTrue(out.contains("  signature serving_default"), out);
		assertTrue(out.contains("    input  input: DT_FLOAT [?, 4, 4, 4, 1]"), out);
		assertTrue(out.contains("    output output: DT_FLOAT [?, 4, 4, 4, 2]"), out);
	}

	@Test
	void validateListsEveryProblemAndExitsNonZero() throws Exception {
		Path bad = Files.createDirectories(tmp.resolve("bad"));
		String rdf = Files.readString(pkg.resolve("rdf.yaml")).replace("license: Apache-2.0", "license: ''")
				.replace("overlap: 0.5", "overlap: -1").replaceFirst("size: 4\n", "size: 0\n");
		Files.writeString(bad.resolve("rdf.yaml"), rdf);
		assertEquals(1, run("model", "validate", bad.toString()));
		assertTrue(err.startsWith(bad.resolve("rdf.yaml") + ": not a usable model package, 3 problems:"), err);
		assertTrue(err.contains("  - license: is empty"), err);
		assertTrue(err.contains("  - inputs[0].axes[1].size: expected a positive integer, got 0"), err);
		assertTrue(err.contains("  - config.volseg.overlap: expected a number in [0, 1), got -1.0"), err);
	}

	@Test
	void validateChecksTheSignature() throws Exception {
		Path copy = tmp.resolve("copy");
		org.volseg.util.AtomicFiles.copyFolder(pkg, copy);
		Path rdf = copy.resolve("rdf.yaml");
		Files.writeString(rdf, Files.readString(rdf).replace("[class0, class1]", "[class0, class1, class2]")
				.replace("color: [40, 215, 128]\n", "color: [40, 215, 128]\n    - label: 2\n      name: class2\n"
						+ "      color: [1, 2, 3]\n"));
		assertEquals(1, run("model", "validate", copy.toString()));
		assertTrue(err.contains("  - outputs[0].axes[4]: declares 3 channels but the SavedModel's output \"output\" has 2"),
				err);
	}

	@Test
	void installCopiesIntoTheModelsFolder() {
		Path models = tmp.resolve("models");
		assertEquals(0, run("model", "install", "--models-dir", models.toString(), pkg.toString()), err);
		Path installed = models.resolve("conv3d-test-1-2");
		assertEquals("installed " + installed, out.strip());
		assertTrue(Files.isRegularFile(installed.resolve("saved_model/saved_model.pb")));
		assertEquals(1, run("model", "install", "--models-dir", models.toString(), pkg.toString()));
		assertTrue(err.contains("is already installed"), err);
		assertEquals(0, run("model", "install", "--replace", "--models-dir", models.toString(), pkg.toString()), err);
	}

	@Test
	void folderWithoutRdfYaml() throws Exception {
		Path empty = Files.createDirectories(tmp.resolve("empty"));
		assertEquals(1, run("model", "info", empty.toString()));
		assertTrue(err.contains("no rdf.yaml in the folder"), err);
		assertEquals(1, run("model", "validate", empty.toString()));
		assertTrue(err.contains("no rdf.yaml in the folder"), err);
	}
}
