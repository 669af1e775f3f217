package org.volseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.volseg.model.NormalizationRegion;
import org.volseg.model.Preprocessing;
import org.volseg.util.Json;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * MONAI's intensity transforms as model-package steps, against numpy values
 * ({@code src/test/resources/monai_intensity/}, made by its {@code make_reference.py}): non-zero
 * normalisation followed by a min/max scaling over all voxels (wholeBody_ct_segmentation), channel-wise
 * and joint statistics, an all-zero channel, a constant channel, ScaleIntensityRange with and without clip.
 */
class MonaiIntensityStepsTest {

	private static Map<String, Object> reference() throws Exception {
		try (InputStream in = MonaiIntensityStepsTest.class.getResourceAsStream("/monai_intensity/reference.json")) {
			return Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
	}

	@SuppressWarnings("unchecked")
	@ParameterizedTest
	@ValueSource(strings = { "wholebody_chain_1ch", "wholebody_chain_2ch", "normalize_nonzero_channel_wise", "normalize_all_joint",
			"normalize_nonzero_channel_wise_empty_channel", "scale_intensity_channel_wise", "scale_intensity_constant_channel",
			"scale_intensity_range_clip", "scale_intensity_range_noclip" })
	void matchesNumpy(String name) throws Exception {
		Map<String, Object> ref = reference();
		Map<String, Object> shape = (Map<String, Object>) ref.get("shape");
		Map<String, Object> c = (Map<String, Object>) ((Map<String, Object>) ref.get("cases")).get(name);
		List<List<Number>> input = (List<List<Number>>) c.get("input");
		List<List<Number>> expected = (List<List<Number>>) c.get("expected");
		int x = n(shape.get("x")), y = n(shape.get("y")), z = n(shape.get("z"));
		Volume v = input.size() == 1 ? Volume.allocate(Geometry.identity(), x, y, z)
				: Volume.allocate(Geometry.identity(), x, y, z, input.size());
		for (int ch = 0; ch < input.size(); ch++) {
			Cursor<FloatType> cur = Views.flatIterable(v.channel(ch)).cursor();
			for (Number value : input.get(ch))
				cur.next().set(value.floatValue());
		}
		List<Preprocessing> steps = new ArrayList<>();
		for (Object o : (List<Object>) c.get("steps"))
			steps.add(step((Map<String, Object>) o));
		// the model-wide region must not matter for MONAI's steps
		List<String> done = IntensityPreprocessing.apply(v, steps, NormalizationRegion.FOREGROUND);
		assertTrue(!done.isEmpty() || name.contains("empty"), done.toString());
		double max = 0;
		for (int ch = 0; ch < expected.size(); ch++) {
			Cursor<FloatType> cur = Views.flatIterable(v.channel(ch)).cursor();
			for (Number want : expected.get(ch))
				max = Math.max(max, Math.abs(cur.next().get() - want.doubleValue()));
		}
		assertEquals(0, max, 2e-6, name + ": max |difference| from numpy");
	}

	private static Preprocessing step(Map<String, Object> s) {
		return switch ((String) s.get("id")) {
			case "monai_normalize_intensity" -> new Preprocessing.NormalizeIntensity((Boolean) s.get("nonzero"),
					(Boolean) s.get("channel_wise"));
			case "monai_scale_intensity" -> new Preprocessing.ScaleIntensity(d(s.get("minv")), d(s.get("maxv")),
					(Boolean) s.get("channel_wise"));
			case "monai_scale_intensity_range" -> new Preprocessing.ScaleIntensityRange(d(s.get("a_min")), d(s.get("a_max")),
					d(s.get("b_min")), d(s.get("b_max")), (Boolean) s.get("clip"));
			default -> throw new IllegalArgumentException(String.valueOf(s.get("id")));
		};
	}

	private static int n(Object o) {
		return ((Number) o).intValue();
	}

	private static double d(Object o) {
		return ((Number) o).doubleValue();
	}
}
