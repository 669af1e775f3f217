package org.volseg.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mvn -Dscijava.app.directory=DIR install}'s copy step (the {@code fiji-install} profile's
 * antrun execution, run alone with Maven on this project) into a Fiji.app-like folder that holds
 * an older VolSeg and Fiji's own ImageJ jar: VolSeg's main jar (without TensorFlow code) and its
 * plain dependencies land in {@code jars/}, the engine jar with TensorFlow Java, javacpp, ndarray and
 * protobuf-java 4 in {@code lib/volseg/}, the example macros in {@code plugins/VolSeg/}; the older
 * VolSeg files are gone, Fiji's own jar stays, and no TensorFlow jar is in {@code jars/}.
 */
class FijiInstallIT {

	@TempDir
	Path tmp;

	@Test
	void installPutsEveryFileWhereTheDesignNeedsIt() throws Exception {
		String mvn = System.getProperty("os.name").startsWith("Windows") ? "mvn.cmd" : "mvn";
		assumeTrue(ImageJGuiIT.onPath(mvn), "Maven (mvn) is not on the PATH");
		FijiLayout.volsegJars();
		Path app = tmp.resolve("Fiji.app");
		Files.createDirectories(app.resolve("jars"));
		Files.createDirectories(app.resolve("lib/volseg"));
		Files.writeString(app.resolve("jars/volseg-0.0.1.jar"), "old");
		Files.writeString(app.resolve("lib/volseg/tensorflow-core-api-0.9.0.jar"), "old");
		Files.writeString(app.resolve("jars/ij-1.54p.jar"), "Fiji's own");
		Process p = new ProcessBuilder(mvn, "-o", "-q", "-B", "antrun:run@fiji-install", "-Dscijava.app.directory=" + app)
				.redirectErrorStream(true).redirectOutput(tmp.resolve("mvn.log").toFile()).start();
		assertTrue(p.waitFor(5, TimeUnit.MINUTES));
		assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("mvn.log"), StandardCharsets.UTF_8));

		List<String> jars = names(app.resolve("jars"));
		List<String> engine = names(app.resolve("lib/volseg"));
		String version = jars.stream().filter(n -> n.matches("volseg-.+\\.jar")).findFirst().orElseThrow();
		assertFalse(jars.contains("volseg-0.0.1.jar"), jars.toString());
		assertTrue(jars.contains("ij-1.54p.jar"), jars.toString());
		assertTrue(jars.stream().anyMatch(n -> n.startsWith("snakeyaml-")), jars.toString());
		assertTrue(jars.stream().noneMatch(n -> n.matches("(tensorflow|protobuf|javacpp|ndarray).*")), jars.toString());
		assertTrue(engine.contains(version.replace(".jar", "-engine.jar")), engine.toString());
		assertFalse(engine.contains("tensorflow-core-api-0.9.0.jar"), engine.toString());
		for (String prefix : List.of("tensorflow-core-api-", "tensorflow-core-native-", "javacpp-", "ndarray-", "protobuf-java-4"))
			assertTrue(engine.stream().anyMatch(n -> n.startsWith(prefix)), prefix + " missing from " + engine);
		assertTrue(Files.isRegularFile(app.resolve("plugins/VolSeg/Segment_Open_Image.ijm")));
		try (ZipFile main = new ZipFile(app.resolve("jars").resolve(version).toFile());
				ZipFile eng = new ZipFile(app.resolve("lib/volseg").resolve(version.replace(".jar", "-engine.jar")).toFile())) {
			assertTrue(main.stream().noneMatch(e -> e.getName().matches("org/volseg/(engine|nets|train)/.*")));
			assertTrue(main.getEntry("org/volseg/runtime/EngineRuntimes.class") != null);
			assertTrue(eng.getEntry("org/volseg/engine/Engine.class") != null);
			assertTrue(eng.getEntry("META-INF/services/org.volseg.runtime.EngineRuntime") != null);
			assertTrue(eng.stream().noneMatch(e -> e.getName().matches("org/volseg/(runtime|tiling|pipeline|fiji)/.*")));
		}
	}

	private static List<String> names(Path folder) throws Exception {
		return FijiLayout.jars(folder).stream().map(s -> new File(s).getName()).toList();
	}
}
