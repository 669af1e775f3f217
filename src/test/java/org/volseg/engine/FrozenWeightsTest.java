package org.volseg.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.volseg.InvalidParameterException;
import org.volseg.model.ModelPackage;
import org.volseg.runtime.EngineOptions;
import org.volseg.testutil.TemporaryProperty;

/**
 * Weights frozen into constants compute what the variables computed, keep the graph's names, leave
 * out what the outputs do not need, and are frozen only within the size limit; the engine keeps the
 * variables of architectures it does not list (that it freezes SegFormer3D's is
 * {@code FusedSavedModelTest}'s).
 */
class FrozenWeightsTest {

	private static final float[] WEIGHT = { 0.5f, -1, 2, 0.25f, 3, -0.75f }; // [3, 2]
	private static final float[] BIAS = { 0.1f, -0.2f };
	private static final float[] INPUT = { 1, 2, 3, -1, 0.5f, 4 }; // [2, 3]

	private static final List<String> KEEP = List.of("input", "output:0");

	@TempDir
	Path tmp;

	/**
	 * {@code input [2, 3] x weight [3, 2] + bias} with the weight a reference variable (as VolSeg's
	 * packages hold weights, filled by an Assign as they are) and the bias a resource variable read
	 * twice (output = the sum plus bias again).
	 */
	private static void build(Graph g, Session s) {
		Ops tf = Ops.create(g);
		Placeholder<TFloat32> in = tf.withName("input").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 3)));
		Variable<TFloat32> w = tf.withName("weight").variable(Shape.of(3, 2), TFloat32.class);
		var assign = tf.withName("assign_weight").assign(w, tf.constant(Shape.of(3, 2), DataBuffers.of(WEIGHT, true, false)));
		var bias = tf.withName("bias").varHandleOp(TFloat32.class, Shape.of(2));
		var assignBias = tf.withName("assign_bias").assignVariableOp(bias, tf.constant(Shape.of(2), DataBuffers.of(BIAS, true, false)));
		Operand<TFloat32> sum = tf.math.add(tf.linalg.matMul(in, w), tf.withName("read_bias").readVariableOp(bias, TFloat32.class));
		tf.withName("output").math.add(sum, tf.withName("read_bias_again").readVariableOp(bias, TFloat32.class));
		Variable<TFloat32> unused = tf.withName("unused").variable(Shape.of(1000, 1000), TFloat32.class);
		var assignUnused = tf.assign(unused, tf.fill(tf.constant(new int[] { 1000, 1000 }), tf.constant(1f)));
		s.runner().addTarget(assign).addTarget(assignBias).addTarget(assignUnused).run();
	}

	private static float[] run(Session s) {
		try (TFloat32 in = TFloat32.tensorOf(Shape.of(2, 3), DataBuffers.of(INPUT, true, false));
				Result r = s.runner().feed("input", in).fetch("output").run()) {
			float[] out = new float[4];
			((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
			return out;
		}
	}

	@Test
	void frozenWeightsComputeWhatTheVariablesComputedUnderTheSameNames() {
		Graph frozen;
		float[] expected = new float[4];
		for (int i = 0; i < 2; i++)
			for (int j = 0; j < 2; j++) {
				float v = 2 * BIAS[j];
				for (int k = 0; k < 3; k++)
					v += INPUT[i * 3 + k] * WEIGHT[k * 2 + j];
				expected[i * 2 + j] = v;
			}
		try (Graph g = new Graph(); Session s = new Session(g)) {
			build(g, s);
			assertArrayEquals(expected, run(s), 1e-6f);
			frozen = FrozenWeights.freeze(g, s, KEEP, 1 << 20).orElseThrow();
		}
		GraphDef def = frozen.toGraphDef();
		java.util.Map<String, String> ops = def.getNodeList().stream().collect(Collectors.toMap(NodeDef::getName, NodeDef::getOp));
		assertEquals("Const", ops.get("weight"));
		assertEquals("Const", ops.get("read_bias"));
		assertEquals("Const", ops.get("read_bias_again"));
		assertFalse(ops.containsKey("assign_weight") || ops.containsKey("assign_bias"), "the output does not need the initialisers");
		assertFalse(ops.containsKey("unused"), "nor the unused variable");
		Set<String> kinds = Set.copyOf(ops.values());
		assertFalse(kinds.contains("VariableV2") || kinds.contains("ReadVariableOp"), kinds.toString());
		try (Session s = new Session(frozen)) {
			assertArrayEquals(expected, run(s), 0f, "the same values, with no variable to initialise");
		} finally {
			frozen.close();
		}
	}

	@Test
	void weightsOverTheLimitOrNoWeightsAreNotFrozen() {
		try (Graph g = new Graph(); Session s = new Session(g)) {
			build(g, s);
			long bytes = 4 * (WEIGHT.length + BIAS.length);
			assertTrue(freezes(g, s, KEEP, bytes), "exactly at the limit (the unused variable not counted)");
			assertTrue(!freezes(g, s, KEEP, bytes - 1));
			assertTrue(!freezes(g, s, KEEP, 0));
			assertTrue(!freezes(g, s, List.of("output", "assign_weight"), 1 << 20),
					"a kept Assign writes to a variable: TensorFlow refuses the frozen form");
			IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
					() -> FrozenWeights.freeze(g, s, List.of("outptu:0"), 1 << 20));
			assertTrue(e.getMessage().contains("outptu"), e.getMessage());
		}
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			tf.withName("output").math.add(tf.constant(1), tf.constant(2));
			assertTrue(!freezes(g, s, List.of("output"), 1 << 20), "nothing to freeze");
		}
	}

	@Test
	void theLimitIsReadFromItsPropertyAndABadValueNamesIt() {
		try (TemporaryProperty limit = TemporaryProperty.cleared(FrozenWeights.PROPERTY)) {
			assertEquals(0, FrozenWeights.DEFAULT_MAX_MIB, "off unless asked for");
			assertEquals(0, FrozenWeights.maxBytes());
			assertEquals(0, FrozenWeights.maxBytesFor("segformer3d"));
			limit.to("64");
			assertEquals(64L << 20, FrozenWeights.maxBytesFor("segformer3d"));
			assertEquals(0, FrozenWeights.maxBytesFor("unetr"));
			assertEquals(0, FrozenWeights.maxBytesFor(null));
			limit.to(" 3 ");
			assertEquals(3L << 20, FrozenWeights.maxBytes());
			limit.to("0");
			assertEquals(0, FrozenWeights.maxBytes());
			for (String bad : List.of("-1", "64MB", "")) {
				limit.to(bad);
				InvalidParameterException e = assertThrows(InvalidParameterException.class, FrozenWeights::maxBytes);
				assertTrue(e.getMessage().contains(FrozenWeights.PROPERTY), e.getMessage());
				assertThrows(InvalidParameterException.class, () -> FrozenWeights.maxBytesFor("unetr"), "checked for every architecture");
			}
		}
	}

	/** The engine freezes only the architectures it lists: a package without one keeps its variables. */
	@Test
	void theEngineKeepsTheVariablesOfOtherPackages() throws Exception {
		TestNetworks net = new TestNetworks(2, 3, 17);
		Path pkg = net.export(tmp.resolve("conv"), 8, 6, 5, true, true);
		float[] in = TestNetworks.randomInput(2 * 8 * 6 * 5 * 2, 9);
		try (ModelPackage p = ModelPackage.open(pkg); Engine e = Engine.load(p, EngineOptions.cpu().withThreads(1, 1))) {
			assertFalse(e.info().weightsFrozen());
			assertTrue(e.info().summary().endsWith("weights variables"), e.info().summary());
			assertArrayEquals(net.reference(in, 2, 8, 6, 5), e.predict(in, 2, new int[] { 8, 6, 5 }), 1e-4f);
		}
	}

	@Test
	void integerVariablesAreFrozenToo() {
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			Variable<TInt32> v = tf.withName("count").variable(Shape.of(2), TInt32.class);
			Operand<TInt32> twice = tf.withName("output").math.mul(v, tf.constant(2));
			s.runner().addTarget(tf.assign(v, tf.constant(new int[] { 3, -4 }))).run();
			try (Graph g2 = FrozenWeights.freeze(g, s, List.of("output"), 8).orElseThrow(); Session s2 = new Session(g2)) {
				try (Result r = s2.runner().fetch(twice.op().name()).run()) {
					TInt32 t = (TInt32) r.get(0);
					assertEquals(6, t.getInt(0));
					assertEquals(-8, t.getInt(1));
				}
			}
		}
	}

	/** Whether {@link FrozenWeights#freeze} freezes the graph (the frozen graph closed). */
	private static boolean freezes(Graph g, Session s, List<String> keep, long maxBytes) {
		java.util.Optional<Graph> frozen = FrozenWeights.freeze(g, s, keep, maxBytes);
		frozen.ifPresent(Graph::close);
		return frozen.isPresent();
	}
}
