package org.volseg.nets;

import org.volseg.util.Json;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/** Access to the reference fixtures in src/test/resources/parity (see its README). */
public final class ParityFixtures {

	private ParityFixtures() {
	}

	public static Path path(String name) {
		try {
			return Paths.get(ParityFixtures.class.getResource("/parity/" + name).toURI());
		} catch (URISyntaxException | NullPointerException ex) {
			throw new IllegalStateException("missing test resource parity/" + name, ex);
		}
	}

	/** The reference constructor's keyword arguments recorded in a fixture. */
	public static Map<String, Object> config(SafeTensors file) throws Json.SyntaxException {
		return Json.parseObject(file.metadata().get("config"));
	}

	/** Asserts max |actual - expected| < 1e-4 * max |expected|, with a message giving both numbers. */
	public static void assertClose(FloatTensor expected, FloatTensor actual) {
		assertTrue(java.util.Arrays.equals(expected.shape(), actual.shape()),
				"shape " + java.util.Arrays.toString(actual.shape()) + " != " + java.util.Arrays.toString(expected.shape()));
		float[] e = expected.data();
		float[] a = actual.data();
		double maxDiff = 0;
		for (int i = 0; i < e.length; i++) maxDiff = Math.max(maxDiff, Math.abs(e[i] - a[i]));
		double scale = expected.maxAbs();
		assertTrue(scale > 0, "expected output is all zeros");
		System.out.printf("parity: max |diff| %.3g = %.3g x max|expected|%n", maxDiff, maxDiff / scale);
		assertTrue(maxDiff < 1e-4 * scale, "max |diff| " + maxDiff + " >= 1e-4 * max|expected| (" + scale + ")");
	}
}
