package org.volseg.io;

import org.volseg.util.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.volseg.testutil.JsonParser;

class JsonWriteTest {

	@Test
	void writesValidJsonThatReadsBackToTheSameValues() {
		Map<String, Object> m = new LinkedHashMap<>();
		double[] doubles = { 0.1, -2.5e-7, 1e300, 123456789012.0, -0.0, 2.0000000529526707, 5e-324 };
		m.put("doubles", doubles);
		m.put("longs", new long[] { 1, -2, Long.MAX_VALUE });
		m.put("matrix", new double[][] { { 1, 2 }, { 3, 4 } });
		m.put("text", "quote \" backslash \\ newline \n tab \t bell \u0007 é");
		m.put("nan", Double.NaN);
		m.put("empty", Map.of());
		m.put("list", List.of(true, false));
		@SuppressWarnings("unchecked")
		Map<String, Object> back = (Map<String, Object>) JsonParser.parse(Json.write(m));
		assertEquals(List.copyOf(m.keySet()), List.copyOf(back.keySet()));
		List<?> d = (List<?>) back.get("doubles");
		for (int i = 0; i < doubles.length; i++)
			assertEquals(Double.doubleToLongBits(doubles[i]), Double.doubleToLongBits((Double) d.get(i)), "exact: " + doubles[i]);
		assertEquals(m.get("text"), back.get("text"));
		assertEquals(null, back.get("nan"));
		assertEquals(List.of(List.of(1.0, 2.0), List.of(3.0, 4.0)), back.get("matrix"));
		assertEquals("123456789012.0", Json.number(123456789012.0));
	}
}
