package org.volseg.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.volseg.util.Json;

/**
 * Reference summaries of checkpoints as {@code torch.load} (PyTorch 1.13) gives them, stored in
 * {@code src/test/resources/weights/*.json}: per tensor key, dtype, shape, sum and sum of squares
 * (float64 of the float32 values) and three elements; and the comparison with what VolSeg read.
 */
final class TorchReference {

	private TorchReference() {
	}

	static Path resource(String name) {
		try {
			return Path.of(TorchReference.class.getResource(name).toURI());
		} catch (URISyntaxException | NullPointerException ex) {
			throw new AssertionError("missing test resource " + name, ex);
		}
	}

	/** The reference list of tensors of one checkpoint in a reference file. */
	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> load(String file, String checkpoint) throws IOException, Json.SyntaxException {
		try (InputStream in = TorchReference.class.getResourceAsStream(file)) {
			Map<String, Object> all = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
			Object list = all.get(checkpoint);
			assertTrue(list instanceof List, checkpoint + " in " + file);
			return (List<Map<String, Object>>) list;
		}
	}

	/** Asserts every key (in order), dtype, shape and value summary of the reference. */
	static void assertMatches(List<Map<String, Object>> reference, CheckpointContents read) {
		List<String> keys = new ArrayList<>();
		for (Map<String, Object> r : reference) keys.add((String) r.get("key"));
		assertEquals(keys, new ArrayList<>(read.tensors().keySet()), "keys in file order");
		for (Map<String, Object> r : reference) {
			String key = (String) r.get("key");
			StoredTensor t = read.tensors().get(key);
			assertEquals(r.get("dtype"), t.type().torchName(), key + " dtype");
			List<?> shape = (List<?>) r.get("shape");
			long[] expectedShape = new long[shape.size()];
			for (int i = 0; i < expectedShape.length; i++) expectedShape[i] = ((Number) shape.get(i)).longValue();
			assertEquals(Arrays.toString(expectedShape), Arrays.toString(t.shape()), key + " shape");
			double sum = 0, squares = 0, abs = 0;
			for (float v : t.data()) {
				sum += v;
				squares += (double) v * v;
				abs += Math.abs(v);
			}
			assertClose(((Number) r.get("sum")).doubleValue(), sum, abs, key + " sum");
			assertClose(((Number) r.get("sum_squares")).doubleValue(), squares, squares, key + " sum of squares");
			for (Object s : (List<?>) r.get("samples")) {
				List<?> pair = (List<?>) s;
				int index = ((Number) pair.get(0)).intValue();
				float expected = ((Number) pair.get(1)).floatValue();
				assertEquals(expected, t.data()[index], Math.abs(expected) * 1e-6, key + " element " + index);
			}
		}
	}

	/** Within 1e-6 relative to the sum of magnitudes (the sums differ only in rounding order). */
	private static void assertClose(double expected, double actual, double scale, String what) {
		assertEquals(expected, actual, 1e-6 * Math.max(scale, 1e-30), what);
	}
}
