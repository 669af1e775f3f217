package org.volseg.io;

import org.volseg.util.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

	@Test
	void parsesPythonJsonDumps() throws Exception {
		Map<String, Object> m = Json.parseObject(
				"{\"in_channels\": 1, \"img_size\": [32, 32, 32], \"rate\": 0.0, \"e\": -1.5e-3, \"s\": \"a\\\"b\\u00e9\", \"t\": true, \"n\": null}");
		assertEquals(1L, m.get("in_channels"));
		assertEquals(List.of(32L, 32L, 32L), m.get("img_size"));
		assertEquals(0.0, m.get("rate"));
		assertEquals(-1.5e-3, m.get("e"));
		assertEquals("a\"b\u00e9", m.get("s"));
		assertEquals(true, m.get("t"));
		assertEquals(null, m.get("n"));
		assertEquals(m, Json.parseObject(Json.writeCompact(m)));
	}

	@Test
	void refusesMalformed() {
		for (String bad : new String[] { "", "{", "{\"a\":1,}", "[1 2]", "{\"a\":1}x", "{\"a\":01.}", "{'a':1}", "{\"a\":1,\"a\":2}" }) {
			assertThrows(Json.SyntaxException.class, () -> Json.parse(bad), bad);
		}
		assertThrows(Json.SyntaxException.class, () -> Json.parseObject("[1]"));
	}
}
