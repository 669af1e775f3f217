package org.volseg.nets.segformer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.Yaml;

/** Test-only reader of float32 safetensors resources (until the shared reader exists). */
final class ScratchSafetensors {

	final Map<String, Object> metadata;
	final Map<String, float[]> tensors = new LinkedHashMap<>();
	final Map<String, long[]> shapes = new LinkedHashMap<>();

	@SuppressWarnings("unchecked")
	ScratchSafetensors(String resource) throws IOException {
		byte[] all;
		try (InputStream in = ScratchSafetensors.class.getResourceAsStream(resource)) {
			all = in.readAllBytes();
		}
		ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
		int n = (int) buf.getLong(0);
		Map<String, Object> header = new Yaml().load(new String(all, 8, n, StandardCharsets.UTF_8));
		metadata = (Map<String, Object>) header.remove("__metadata__");
		for (Map.Entry<String, Object> e : header.entrySet()) {
			Map<String, Object> t = (Map<String, Object>) e.getValue();
			List<Number> offsets = (List<Number>) t.get("data_offsets");
			List<Number> shape = (List<Number>) t.get("shape");
			long[] s = shape.stream().mapToLong(Number::longValue).toArray();
			int start = 8 + n + offsets.get(0).intValue();
			int count = (offsets.get(1).intValue() - offsets.get(0).intValue()) / 4;
			float[] v = new float[count];
			buf.position(start);
			buf.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
			tensors.put(e.getKey(), v);
			shapes.put(e.getKey(), s);
		}
	}
}
