package org.volseg.nets.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
class MonaiNormTest {

	private static final SafeTensors REFERENCE = SafeTensors.read(ParityFixtures.path("norms_torch.safetensors"));

	private static MonaiNorm spec(Object normName) {
		Kwargs k = new Kwargs("test", Map.of("norm_name", normName));
		return MonaiNorm.parse(k.raw("norm_name", null), k.setting("norm_name"));
	}

	/** The norm {@code prefix} with the reference's weights on the reference input, channels-first result. */
	private static FloatTensor apply(MonaiNorm spec, String prefix) {
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
			Operand<TFloat32> out = spec.apply(new Layers(tf, params, Layers.WeightStorage.CONSTANTS), prefix, in);
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
		MonaiNorm s = spec(List.of("layer", Map.of("normalized_shape", List.of(4L, 3L, 2L, 5L))));
		ParityFixtures.assertClose(REFERENCE.tensors().get("layer4_output"), apply(s, "layer4"));
	}

	@Test
	void layerNormOverTheLastAxisMatchesPytorch() {
		MonaiNorm s = spec(List.of("layer", Map.of("normalized_shape", 5L)));
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

	@Test
	void monaisFormsAreReadInOnePlaceForNormsAndActivations() {
		assertEquals(new MonaiLayerArgument("group", Map.of("num_groups", 8L)), MonaiLayerArgument.of(List.of("group", Map.of("num_groups", 8L))));
		assertEquals(new MonaiLayerArgument("instance", Map.of()), MonaiLayerArgument.of("instance"));
		assertEquals(new MonaiLayerArgument("instance", Map.of()), MonaiLayerArgument.of(List.of("instance")));
		assertNull(MonaiLayerArgument.of(List.of(Map.of("num_groups", 8L), "group")));
		assertNull(MonaiLayerArgument.of(List.of("group", "num_groups")));
		assertNull(MonaiLayerArgument.of(null));

		assertEquals(MonaiNorm.Kind.GROUP, spec(List.of("GROUP", Map.of("num_groups", 8L))).kind());
		assertEquals(8, spec(List.of("GROUP", Map.of("num_groups", 8L))).groups());
		assertEquals(MonaiNorm.Kind.INSTANCE, spec(List.of("instance")).kind());
		assertFalse(spec("instance").affine());
		assertEquals(MonaiNorm.Kind.NONE, MonaiNorm.parse(null, "unet config.norm").kind());
		MonaiActivation prelu = MonaiActivation.parse(List.of("PRELU", Map.of("num_parameters", 1L, "init", 0.25)), "unet config.act");
		assertEquals("prelu", prelu.name());
		assertTrue(prelu.hasParameters());
		InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> MonaiActivation.parse(List.of(3L), "unet config.act"));
		assertTrue(e.getMessage().contains("unet config.act") && e.getMessage().contains("an activation name or [name, {arguments}]"),
				e.getMessage());
		InvalidParameterException n = assertThrows(InvalidParameterException.class, () -> spec(List.of("batch", Map.of("num_groups", 2L))));
		assertTrue(n.getMessage().contains("test config.norm_name") && n.getMessage().contains("num_groups"), n.getMessage());
	}
}
