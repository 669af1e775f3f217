package org.volseg.nets;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.volseg.util.Json;

/** Access to the MONAI bundle files in src/test/resources/bundles (see its README). */
public final class BundleFixtures {

	private BundleFixtures() {
	}

	/** A file or folder under {@code bundles/}, for example {@code mini/spleen_ct_segmentation/forward.safetensors}. */
	public static Path path(String relative) {
		try {
			return Paths.get(BundleFixtures.class.getResource("/bundles/" + relative).toURI());
		} catch (URISyntaxException | NullPointerException ex) {
			throw new IllegalStateException("missing test resource bundles/" + relative, ex);
		}
	}

	/** The bundle's {@code configs/inference.json} {@code network_def} without {@code _target_}. */
	public static Map<String, Object> networkDef(String bundle) throws IOException, Json.SyntaxException {
		Map<String, Object> config = Json.parseObject(Files.readString(path(bundle + "/configs/inference.json"), StandardCharsets.UTF_8));
		@SuppressWarnings("unchecked")
		Map<String, Object> def = new LinkedHashMap<>((Map<String, Object>) config.get("network_def"));
		def.remove("_target_");
		return def;
	}

	/** The bundle's {@code network_def._target_}. */
	public static String target(String bundle) throws IOException, Json.SyntaxException {
		Map<String, Object> config = Json.parseObject(Files.readString(path(bundle + "/configs/inference.json"), StandardCharsets.UTF_8));
		@SuppressWarnings("unchecked")
		Map<String, Object> def = (Map<String, Object>) config.get("network_def");
		return (String) def.get("_target_");
	}

	/** {@code state_dict_shapes.json}: key -> shape, in state_dict order. */
	public static Map<String, List<Long>> stateDictShapes(String bundle) throws IOException, Json.SyntaxException {
		Map<String, Object> json = Json.parseObject(Files.readString(path(bundle + "/state_dict_shapes.json"), StandardCharsets.UTF_8));
		Map<String, List<Long>> shapes = new LinkedHashMap<>();
		for (Map.Entry<String, Object> e : json.entrySet()) {
			List<Long> s = new ArrayList<>();
			for (Object d : (List<?>) e.getValue()) s.add(((Number) d).longValue());
			shapes.put(e.getKey(), s);
		}
		return shapes;
	}

	/**
	 * The parameter keys and shapes a network's graph takes, in the order it takes them, found by
	 * building the graph (no session) with zero weights; keys only accepted if present (BatchNorm's
	 * {@code num_batches_tracked}) are listed with shape {@code []}.
	 */
	public static Map<String, List<Long>> parameterShapes(Network network) {
		Map<String, List<Long>> shapes = new LinkedHashMap<>();
		ParameterSource recorder = new ParameterSource() {
			@Override
			public FloatTensor take(String key, long[] shape, Init init) {
				List<Long> s = new ArrayList<>();
				for (long d : shape) s.add(d);
				if (shapes.put(key, s) != null) throw new IllegalStateException("taken twice: " + key);
				return FloatTensor.zeros(shape);
			}

			@Override
			public void acceptIfPresent(String key) {
				shapes.put(key, List.of());
			}

			@Override
			public void finish() {
			}
		};
		try (Graph g = new Graph()) {
			Ops tf = Ops.create(g);
			long[] s = network.inputSpatialShape();
			Placeholder<TFloat32> input = tf.placeholder(TFloat32.class,
					Placeholder.shape(Shape.of(-1, s[0], s[1], s[2], network.inputChannels())));
			network.build(new Layers(tf, recorder, Layers.WeightStorage.CONSTANTS), input);
		}
		return shapes;
	}
}
