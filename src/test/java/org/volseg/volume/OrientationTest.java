package org.volseg.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.volseg.InvalidParameterException;
import org.volseg.testutil.JsonParser;

class OrientationTest {

	@Test
	@SuppressWarnings("unchecked")
	void matchesNibabelAff2axcodes() throws Exception {
		Path p;
		try {
			p = Path.of(getClass().getResource("/volume/orientation-cases.json").toURI());
		} catch (URISyntaxException e) {
			throw new IllegalStateException(e);
		}
		Map<String, Object> root = (Map<String, Object>) JsonParser.parse(Files.readString(p));
		List<Map<String, Object>> cases = (List<Map<String, Object>>) root.get("cases");
		assertEquals(64, cases.size());
		for (Map<String, Object> c : cases) {
			double[][] a = ((List<?>) c.get("affine_ras")).stream()
					.map(r -> ((List<?>) r).stream().mapToDouble(v -> (Double) v).toArray()).toArray(double[][]::new);
			assertEquals(c.get("code"), Orientation.ofRasAffine(a).code(), () -> java.util.Arrays.deepToString(a));
			assertEquals(c.get("code"), Orientation.of(Geometry.ofRas(a)).code());
		}
	}

	@Test
	void dicomAxialIsLps() {
		assertEquals("LPS", Orientation.of(Geometry.ofSpacing(0.7, 0.7, 2)).code());
		assertEquals("RAS", Orientation.of(Geometry.ofRas(new double[][] { { 1, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 0, 1 } })).code());
	}

	@ParameterizedTest
	@ValueSource(strings = { "RAS", "LPS", "PSL", "ras", "IAR", "SLP" })
	void parsesValidCodes(String code) {
		Orientation o = Orientation.parse(code);
		assertEquals(code.toUpperCase(), o.code());
		assertEquals(o, Orientation.parse(o.code()));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "RA", "RASX", "RRS", "RLS", "XYZ", "APS", "LPSI" })
	void refusesInvalidCodesNamingThem(String code) {
		InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> Orientation.parse(code, "--orientation"));
		assertTrue(e.getMessage().contains("--orientation") && e.getMessage().contains("got " + code), e.getMessage());
	}

	@Test
	void refusesNull() {
		assertThrows(InvalidParameterException.class, () -> Orientation.parse(null));
	}
}
