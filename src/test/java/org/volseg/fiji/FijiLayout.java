package org.volseg.fiji;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the integration tests put on a Fiji-like class path: the packaged Fiji layout
 * ({@code target/fiji/}, made at {@code package}), TensorFlow 1.15's jars ({@code
 * target/tensorflow-1.15/}, copied by the pom for these tests), and Fiji's own jars (ImageJ 1,
 * scijava-common, parsington, imglib2) taken from the test class path.
 */
final class FijiLayout {

	static final Path TARGET = Path.of("target").toAbsolutePath();
	static final Path FIJI = TARGET.resolve("fiji");

	private FijiLayout() {
	}

	/** {@code target/fiji/jars/*.jar}: VolSeg's main jar and the dependencies Fiji lacks. */
	static List<String> volsegJars() throws IOException {
		assumeTrue(Files.isDirectory(FIJI.resolve("lib/volseg")), "no target/fiji/ layout: run through 'mvn verify' (after package)");
		return jars(FIJI.resolve("jars"));
	}

	/** TensorFlow 1.15 and protobuf-java 3 as Fiji's TensorFlow update site has them. */
	static List<String> tensorflow115Jars() throws IOException {
		return jars(TARGET.resolve("tensorflow-1.15"));
	}

	/** ImageJ 1, scijava-common, parsington and imglib2 from the test class path (Fiji ships them). */
	static List<String> fijiOwnJars() {
		List<String> found = new ArrayList<>();
		for (String e : System.getProperty("java.class.path").split(File.pathSeparator))
			if (e.matches(".*/(net/imagej/ij|org/scijava/scijava-common|org/scijava/parsington|net/imglib2/imglib2)/[^/]+/[^/]+\\.jar"))
				found.add(e);
		return found;
	}

	static List<String> jars(Path folder) throws IOException {
		try (Stream<Path> s = Files.list(folder)) {
			return s.filter(p -> p.toString().endsWith(".jar")).sorted().map(Path::toString).toList();
		}
	}

	static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}
}
