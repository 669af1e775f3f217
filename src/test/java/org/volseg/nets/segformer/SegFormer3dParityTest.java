package org.volseg.nets.segformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.volseg.nets.Architectures;
import org.volseg.nets.FloatTensor;
import org.volseg.nets.Layers;
import org.volseg.nets.Network;
import org.volseg.nets.NetworkGraph;
import org.volseg.nets.ParityFixtures;
import org.volseg.nets.SafeTensors;
import org.volseg.nets.StateDict;

/**
 * SegFormer3D built from the reference code's state dict reproduces the reference output (fixture
 * made with the reference {@code architectures/segformer3d.py}, eval mode, randomised BatchNorm
 * statistics), through the dynamic-size graph that model packages hold.
 */
class SegFormer3dParityTest {

	static final String FIXTURE = "segformer3d_small.safetensors";

	@ParameterizedTest
	@EnumSource(Layers.WeightStorage.class)
	void matchesTheReference(Layers.WeightStorage storage) throws Exception {
		SafeTensors file = SafeTensors.read(ParityFixtures.path(FIXTURE));
		assertEquals("SegFormer3D", file.metadata().get("architecture"));
		Network net = Architectures.byName("segformer3d").configure(ParityFixtures.config(file));
		FloatTensor input = file.tensors().get("input");
		assertArrayEquals(new long[] { 32, 32, 32 }, net.outputSpatialShape(new long[] { 32, 32, 32 }));
		try (NetworkGraph g = NetworkGraph.build(net, StateDict.of(file, null, FIXTURE), storage)) {
			ParityFixtures.assertClose(file.tensors().get("expected_output"), g.runChannelsFirst(input));
		}
	}

	@org.junit.jupiter.api.Test
	void batchElementsAreIndependent() throws Exception {
		// the fixture has batch 1; a batch of two (the input and a scaled copy) must give, per element,
		// what each gives alone: catches reshapes that mix the batch and token axes
		SafeTensors file = SafeTensors.read(ParityFixtures.path(FIXTURE));
		Network net = Architectures.byName("segformer3d").configure(ParityFixtures.config(file));
		FloatTensor input = file.tensors().get("input");
		int n = input.data().length;
		FloatTensor second = FloatTensor.zeros(input.shape());
		float[] pair = new float[2 * n];
		for (int i = 0; i < n; i++) {
			second.data()[i] = -0.5f * input.data()[i];
			pair[i] = input.data()[i];
			pair[n + i] = second.data()[i];
		}
		long[] shape = input.shape().clone();
		shape[0] = 2;
		try (NetworkGraph g = NetworkGraph.build(net, StateDict.of(file, null, FIXTURE), Layers.WeightStorage.CONSTANTS)) {
			FloatTensor both = g.runChannelsFirst(new FloatTensor(shape, pair));
			FloatTensor alone = g.runChannelsFirst(second);
			int m = alone.data().length;
			float[] first = java.util.Arrays.copyOfRange(both.data(), 0, m);
			float[] last = java.util.Arrays.copyOfRange(both.data(), m, 2 * m);
			ParityFixtures.assertClose(file.tensors().get("expected_output"), new FloatTensor(alone.shape(), first));
			org.junit.jupiter.api.Assertions.assertArrayEquals(alone.data(), last, 1e-5f * alone.maxAbs());
		}
	}
}
