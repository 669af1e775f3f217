package org.volseg.nets.segformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.volseg.InvalidParameterException;
import org.volseg.nets.FloatTensor;
import org.volseg.nets.Init;
import org.volseg.nets.Layers;
import org.volseg.nets.Network;
import org.volseg.nets.ParameterSource;

class SegFormer3dConfigTest {

	@Test
	void defaultsAreTheReferenceConstructorsBratsConfiguration() {
		SegFormer3dConfig c = SegFormer3dConfig.defaults();
		assertEquals(4, c.inChannels());
		assertArrayEquals(new int[] { 4, 2, 1, 1 }, c.srRatios());
		assertArrayEquals(new int[] { 32, 64, 160, 256 }, c.embedDims());
		assertArrayEquals(new int[] { 7, 3, 3, 3 }, c.patchKernelSize());
		assertArrayEquals(new int[] { 4, 2, 2, 2 }, c.patchStride());
		assertArrayEquals(new int[] { 3, 1, 1, 1 }, c.patchPadding());
		assertArrayEquals(new int[] { 4, 4, 4, 4 }, c.mlpRatios());
		assertArrayEquals(new int[] { 1, 2, 5, 8 }, c.numHeads());
		assertArrayEquals(new int[] { 2, 2, 2, 2 }, c.depths());
		assertEquals(256, c.decoderHeadEmbeddingDim());
		assertEquals(3, c.numClasses());
	}

	@Test
	void bratsConfigurationHasThePapersParameterCount() {
		// The paper reports 4.5M parameters for SegFormer3D (BraTS configuration).
		long[] counts = new long[2];
		ParameterSource counting = new ParameterSource() {
			@Override
			public FloatTensor take(String key, long[] shape, Init init) {
				long n = 1;
				for (long d : shape) {
					n *= d;
				}
				counts[key.contains("running_") ? 1 : 0] += n;
				return FloatTensor.zeros(shape);
			}

			@Override
			public void acceptIfPresent(String key) {
			}

			@Override
			public void finish() {
			}
		};
		Network net = new SegFormer3d().configure(new SegFormer3d().presets().get(SegFormer3d.PRESET_BRATS));
		try (Graph g = new Graph()) {
			Ops tf = Ops.create(g);
			net.build(new Layers(tf, counting, Layers.WeightStorage.CONSTANTS),
					tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, -1, 4))));
		}
		assertEquals(4_525_251, counts[0]);
		assertEquals(2 * 2 * (128 + 256 + 640 + 1024) + 2 * 256, counts[1], "BatchNorm running mean and variance");
	}

	@Test
	void readsAJsonMapAndRoundTrips() {
		Map<String, Object> json = Map.of("in_channels", 1, "embed_dims", List.of(8, 16, 32, 64), "num_heads",
				List.of(1, 2, 4, 8), "depths", List.of(1, 1, 1, 1), "decoder_head_embedding_dim", 32,
				"decoder_dropout", 0.0);
		SegFormer3dConfig c = SegFormer3dConfig.fromMap(json);
		assertEquals(1, c.inChannels());
		assertArrayEquals(new int[] { 8, 16, 32, 64 }, c.embedDims());
		assertArrayEquals(new int[] { 4, 2, 1, 1 }, c.srRatios(), "missing keys take the reference defaults");
		assertEquals(c, SegFormer3dConfig.fromMap(c.toMap()));
		assertEquals(SegFormer3dConfig.KEYS, List.copyOf(c.toMap().keySet()));
	}

	@Test
	void unknownKeysAreListed() {
		InvalidParameterException e = assertThrows(InvalidParameterException.class,
				() -> SegFormer3dConfig.fromMap(new java.util.TreeMap<>(Map.of("in_channels", 1, "img_size", 96, "hidden_size", 768))));
		assertTrue(e.getMessage().contains("[hidden_size, img_size]"), e.getMessage());
	}

	@Test
	void badValuesNameTheKey() {
		assertTrue(assertThrows(InvalidParameterException.class,
				() -> SegFormer3dConfig.fromMap(Map.of("depths", List.of(2, 2, 2)))).getMessage().startsWith("segformer3d config.depths"));
		assertTrue(assertThrows(InvalidParameterException.class,
				() -> SegFormer3dConfig.fromMap(Map.of("num_classes", 2.5))).getMessage().startsWith("segformer3d config.num_classes"));
		assertTrue(assertThrows(InvalidParameterException.class,
				() -> SegFormer3dConfig.fromMap(Map.of("num_heads", List.of(1, 2, 5, 7)))).getMessage()
						.startsWith("segformer3d config.embed_dims[3]"));
	}

	@Test
	void stageSizesFollowTheReferenceConvolutionArithmetic() {
		SegFormer3dConfig c = SegFormer3dConfig.defaults();
		long[][] sizes = SegFormer3dNetwork.stageSizes(c, new long[] { 128, 128, 128 });
		assertArrayEquals(new long[] { 32, 32, 32 }, sizes[0]);
		assertArrayEquals(new long[] { 16, 16, 16 }, sizes[1]);
		assertArrayEquals(new long[] { 8, 8, 8 }, sizes[2]);
		assertArrayEquals(new long[] { 4, 4, 4 }, sizes[3]);
		// (30 + 6 - 7) / 4 + 1 = 8: the output (4 x stage 1) is 32, not 30, as in the reference
		assertArrayEquals(new long[] { 32, 32, 64 }, new SegFormer3dNetwork(c).outputSpatialShape(new long[] { 30, 32, 64 }));
		// 8 voxels: stage 1 has 2 per axis, fewer than sr_ratio 4
		assertThrows(InvalidParameterException.class, () -> SegFormer3dNetwork.stageSizes(c, new long[] { 8, 8, 8 }));
	}
}
