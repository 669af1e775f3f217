package org.volseg.tiling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The MONAI parity fixture's sliding-window parameters, read from its {@code __metadata__}, give
 * these settings and this plan. (The blended values need the UNETR network: the pipeline's test.)
 */
class ParityFixtureSettingsTest {

	@SuppressWarnings("unchecked")
	private static Map<String, Object> header() throws IOException {
		try (InputStream in = ParityFixtureSettingsTest.class
				.getResourceAsStream("/tiling/sliding_unetr_small_conv_gaussian.safetensors");
				DataInputStream data = new DataInputStream(in)) {
			byte[] length = new byte[8];
			data.readFully(length);
			byte[] json = new byte[(int) ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getLong()];
			data.readFully(json);
			return new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(json, StandardCharsets.UTF_8));
		}
	}

	/** MONAI's parameter names to settings, as a user converting a MONAI script would. */
	private static SlidingWindowSettings fromMonai(Map<String, String> m) {
		int[] roi = Arrays.stream(m.get("roi_size").replaceAll("[\\[\\] ]", "").split(",")).mapToInt(Integer::parseInt)
				.toArray();
		String pad = m.get("padding_mode").equals("replicate") ? "edge" : m.get("padding_mode");
		return SlidingWindowSettings.builder(roi).overlap(Double.parseDouble(m.get("overlap")))
				.blend(BlendMode.parse("mode", m.get("mode"))).sigmaScale(Double.parseDouble(m.get("sigma_scale")))
				.padding(Padding.parse("padding_mode", pad, Double.parseDouble(m.get("cval"))))
				.batch(Integer.parseInt(m.get("sw_batch_size"))).build();
	}

	@Test
	@SuppressWarnings("unchecked")
	void settingsAndPlanReproduceTheFixtureParameters() throws IOException {
		Map<String, Object> header = header();
		SlidingWindowSettings s = fromMonai((Map<String, String>) header.get("__metadata__"));
		assertEquals(SlidingWindowSettings.builder(32, 32, 32).overlap(0.5).blend(BlendMode.GAUSSIAN).sigmaScale(0.125)
				.padding(Padding.constant(0)).batch(2).build(), s);

		List<Integer> input = (List<Integer>) ((Map<String, Object>) header.get("input")).get("shape");
		List<Integer> output = (List<Integer>) ((Map<String, Object>) header.get("expected_output")).get("shape");
		assertEquals(List.of(1, 1, 45, 70, 38), input);
		assertEquals(List.of(1, 3, 45, 70, 38), output);

		// d0, d1, d2 = x, y, z
		TilePlan plan = TilePlan.of(new long[] { input.get(2), input.get(3), input.get(4) }, s);
		assertArrayEquals(new long[] { 45, 70, 38 }, plan.paddedSize());
		assertEquals(16, plan.windowCount());
		assertEquals(8, plan.batchCount());
		assertArrayEquals(new long[] { 0, 13 }, plan.axisStarts(0));
		assertArrayEquals(new long[] { 0, 16, 32, 38 }, plan.axisStarts(1));
		assertArrayEquals(new long[] { 0, 6 }, plan.axisStarts(2));
		ImportanceMap m = ImportanceMap.of(s);
		assertEquals(0.9768350720405579f, m.weight(16, 15, 16), 3e-7f);
	}
}
