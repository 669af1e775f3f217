package org.volseg.nets.segformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.volseg.InvalidParameterException;
import org.volseg.engine.FrozenWeights;
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

	private static SafeTensors file;
	private static NetworkGraph constants;

	@BeforeAll
	static void load() throws Exception {
		file = SafeTensors.read(ParityFixtures.path(FIXTURE));
		Network net = Architectures.byName("segformer3d").configure(ParityFixtures.config(file));
		constants = NetworkGraph.build(net, StateDict.of(file, null, FIXTURE), Layers.WeightStorage.CONSTANTS);
	}

	@AfterAll
	static void close() {
		constants.close();
	}

	@ParameterizedTest
	@EnumSource(Layers.WeightStorage.class)
	void matchesTheReference(Layers.WeightStorage storage) throws Exception {
		assertEquals("SegFormer3D", file.metadata().get("architecture"));
		Network net = Architectures.byName("segformer3d").configure(ParityFixtures.config(file));
		FloatTensor input = file.tensors().get("input");
		assertArrayEquals(new long[] { 32, 32, 32 }, net.outputSpatialShape(new long[] { 32, 32, 32 }));
		try (NetworkGraph g = NetworkGraph.build(net, StateDict.of(file, null, FIXTURE), storage)) {
			ParityFixtures.assertClose(file.tensors().get("expected_output"), g.runChannelsFirst(input));
		}
	}

	/** Variables frozen into constants, as the engine runs a SegFormer3D package on the CPU when asked to. */
	@Test
	void frozenVariablesMatchTheReference() throws Exception {
		Network net = Architectures.byName("segformer3d").configure(ParityFixtures.config(file));
		try (NetworkGraph g = NetworkGraph.build(net, StateDict.of(file, null, FIXTURE), Layers.WeightStorage.VARIABLES)
				.frozen(64L << 20)) {
			assertTrue(g.weightsFrozen());
			ParityFixtures.assertClose(file.tensors().get("expected_output"), g.runChannelsFirst(file.tensors().get("input")));
		}
	}

	/** The benchmark's form: the output written into a recycled array, which must be fully overwritten. */
	@Test
	void reusedOutputArrayIsOverwrittenWithTheReference() throws Exception {
		FloatTensor input = NetworkGraph.toChannelsLast(file.tensors().get("input"));
		FloatTensor fresh = constants.run(input);
		float[] reuse = new float[fresh.data().length];
		Arrays.fill(reuse, Float.NaN);
		FloatTensor again = constants.run(input, reuse);
		assertSame(reuse, again.data());
		assertArrayEquals(fresh.shape(), again.shape());
		ParityFixtures.assertClose(file.tensors().get("expected_output"), NetworkGraph.toChannelsFirst(again));
		float[] wrongLength = new float[reuse.length - 1];
		FloatTensor other = constants.run(input, wrongLength);
		assertNotSame(wrongLength, other.data());
		assertArrayEquals(fresh.data(), other.data(), 1e-6f * fresh.maxAbs());
		assertArrayEquals(new float[wrongLength.length], wrongLength, 0f);
	}

	@Test
	void batchElementsAreIndependent() throws Exception {
		// the fixture has batch 1; a batch of two (the input and a scaled copy) must give, per element,
		// what each gives alone: catches reshapes that mix the batch and token axes
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
		NetworkGraph g = constants;
		FloatTensor both = g.runChannelsFirst(new FloatTensor(shape, pair));
		FloatTensor alone = g.runChannelsFirst(second);
		int m = alone.data().length;
		float[] first = Arrays.copyOfRange(both.data(), 0, m);
		float[] last = Arrays.copyOfRange(both.data(), m, 2 * m);
		ParityFixtures.assertClose(file.tensors().get("expected_output"), new FloatTensor(alone.shape(), first));
		assertArrayEquals(alone.data(), last, 1e-5f * alone.maxAbs());
	}

	@Test
	void runsOnNonCubicSizesWithTheSizeRule() throws Exception {
		// the reference runs on cubes only; VolSeg keeps every stage's true grid (16 x 32 x 48 -> 16 x 32 x 48)
		FloatTensor x = FloatTensor.zeros(1, 1, 16, 32, 48);
		Random random = new Random(5);
		for (int i = 0; i < x.data().length; i++) {
			x.data()[i] = (float) random.nextGaussian();
		}
		NetworkGraph g = constants;
		FloatTensor y = g.runChannelsFirst(x);
		assertArrayEquals(new long[] { 1, 3, 16, 32, 48 }, y.shape());
		for (float v : y.data()) {
			assertTrue(Float.isFinite(v));
		}
		// 12 voxels: stage 1 keeps 3 < sr_ratio 4 voxels along d0
		InvalidParameterException e = assertThrows(
				InvalidParameterException.class, () -> g.runChannelsFirst(FloatTensor.zeros(1, 1, 12, 32, 32)));
		assertTrue(e.getMessage().contains("[12, 32, 32]"), e.getMessage());
	}
}
