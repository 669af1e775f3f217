package org.volseg.nets.blocks;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.volseg.InvalidParameterException;
import org.volseg.nets.FloatTensor;
import org.volseg.nets.Kwargs;
import org.volseg.nets.Layers;
import org.volseg.nets.NetworkGraph;
import org.volseg.nets.ParityFixtures;
import org.volseg.nets.SafeTensors;
import org.volseg.nets.StateDict;
import org.volseg.nets.StateDictParameters;

/** The group and layer forms of MONAI's norm_name against PyTorch's GroupNorm and LayerNorm (parity/norms_torch.safetensors). */
class NormsTest {

	private static final SafeTensors REFERENCE = SafeTensors.read(ParityFixtures.path("norms_torch.safetensors"));

	private static Norms.Spec spec(Object normName) {
		Kwargs k = new Kwargs("test", Map.of("norm_name", normName));
		return Norms.parse(k, "norm_name", k.raw("norm_name", null));
	}

	/** The norm {@code prefix} with the reference's weights on the reference input, channels-first result. */
	private static FloatTensor apply(Norms.Spec spec, String prefix) {
		Map<String, FloatTensor> t = REFERENCE.tensors();
		StateDict weights = new StateDict(Map.of(prefix + ".weight", t.get(prefix + ".weight"), prefix + ".bias", t.get(prefix + ".bias")),
				"norms_torch.safetensors");
		FloatTensor x = NetworkGraph.toChannelsLast(t.get("input"));
		try (Graph g = new Graph()) {
			Ops tf = Ops.create(g);
			long[] s = x.shape().clone();
			s[0] = -1;
			Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(s)));
			StateDictParameters params = new StateDictParameters(weights, "test", List.of());
			Operand<TFloat32> out = Norms.apply(new Layers(tf, params, Layers.WeightStorage.CONSTANTS), spec, prefix, in);
			params.finish();
			try (Session session = new Session(g);
					TFloat32 xt = TFloat32.tensorOf(Shape.of(x.shape()), DataBuffers.of(x.data(), true, false));
					Result r = session.runner().feed(in, xt).fetch(out).run()) {
				TFloat32 o = (TFloat32) r.get(0);
				float[] d = new float[(int) o.size()];
				o.copyTo(DataBuffers.of(d, false, false));
				return NetworkGraph.toChannelsFirst(new FloatTensor(o.shape().asArray(), d));
			}
		}
	}

	@Test
	void groupNormMatchesPytorch() {
		ParityFixtures.assertClose(REFERENCE.tensors().get("group_output"), apply(spec(List.of("group", Map.of("num_groups", 2L))), "group"));
	}

	@Test
	void layerNormOverChannelsAndSpaceMatchesPytorch() {
		Norms.Spec s = spec(List.of("layer", Map.of("normalized_shape", List.of(4L, 3L, 2L, 5L))));
		ParityFixtures.assertClose(REFERENCE.tensors().get("layer4_output"), apply(s, "layer4"));
	}

	@Test
	void layerNormOverTheLastAxisMatchesPytorch() {
		Norms.Spec s = spec(List.of("layer", Map.of("normalized_shape", 5L)));
		ParityFixtures.assertClose(REFERENCE.tensors().get("layer1_output"), apply(s, "layer1"));
	}

	@Test
	void misfitsAreRefusedByName() {
		assertTrue(assertThrows(InvalidParameterException.class, () -> spec("group")).getMessage().contains("num_groups"));
		assertTrue(assertThrows(InvalidParameterException.class, () -> spec(List.of("instance", Map.of("num_groups", 2L))))
				.getMessage().contains("num_groups"));
		assertTrue(assertThrows(InvalidParameterException.class, () -> apply(spec(List.of("group", Map.of("num_groups", 3L))), "group"))
				.getMessage().contains("does not divide"));
		assertTrue(assertThrows(InvalidParameterException.class,
				() -> apply(spec(List.of("layer", Map.of("normalized_shape", List.of(3L, 5L)))), "layer1")).getMessage()
				.contains("normalized_shape"));
	}
}
