package org.volseg.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.volseg.engine.kernels.FusedKernelsTest.constant;
import static org.volseg.engine.kernels.FusedKernelsTest.fetch;
import static org.volseg.engine.kernels.FusedKernelsTest.gaussian;
import static org.volseg.testutil.FusedKernelsTesting.requireFusedKernels;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TFloat32;

/**
 * The rewrite swaps whole marks for the fused op under the mark's output name, so that what reads
 * the output reads the fused result. The portable form here is deliberately not the op's function
 * (twice the input), so that a result tells which of the two ran.
 */
class FusedKernelRewriteTest {

	private static final long[] SHAPE = { 1, 4, 5, 6, 16 };

	@Test
	void wholeMarksRunAsTheFusedOpAndTheirReadersSeeIt() {
		requireFusedKernels();
		float[] x = gaussian(4 * 5 * 6 * 16, 1, 1.0);
		float[] f = gaussian(27 * 16, 2, 0.4);
		float[] b = gaussian(16, 3, 0.5);
		GraphDef marked;
		float[] portable;
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			Operand<TFloat32> y = twoMarks(tf, x, f, b);
			marked = g.toGraphDef();
			portable = fetch(s, y);
		}
		FusedKernelRewrite.Result r = FusedKernelRewrite.fuse(marked, 3);
		assertEquals(2, r.fused());
		List<NodeDef> fused = r.graph().getNodeList().stream()
				.filter(n -> n.getOp().equals(FusedKernels.Fusion.DEPTHWISE_CONV3D_GELU.op())).collect(Collectors.toList());
		assertEquals(List.of(FusedKernels.Fusion.DEPTHWISE_CONV3D_GELU.mark() + "/output",
				FusedKernels.Fusion.DEPTHWISE_CONV3D_GELU.mark() + "_1/output"),
				fused.stream().map(NodeDef::getName).sorted().collect(Collectors.toList()));
		assertEquals(3, fused.get(0).getAttrOrThrow("threads").getI());

		float[] expected;
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			Operand<TFloat32> once = FusedKernels.fused(tf, FusedKernels.Fusion.DEPTHWISE_CONV3D_GELU, 1, constant(tf, x, SHAPE),
					constant(tf, f, 3, 3, 3, 16), constant(tf, b, 16));
			Operand<TFloat32> twice = FusedKernels.fused(tf, FusedKernels.Fusion.DEPTHWISE_CONV3D_GELU, 1, once,
					constant(tf, f, 3, 3, 3, 16), constant(tf, b, 16));
			expected = fetch(s, tf.math.add(twice, tf.constant(1f)));
		}
		try (Graph g = new Graph(); Session s = new Session(g)) {
			g.importGraphDef(r.graph());
			float[] got = fetch(s, g.operation("after").output(0));
			assertArrayEquals(expected, got, 0f);
			assertTrue(Math.abs(got[0] - portable[0]) > 1e-3, "the portable form must differ from the op here");
		}
	}

	@Test
	void anIncompleteMarkIsLeftAsItIs() {
		try (Graph g = new Graph()) {
			Ops tf = Ops.create(g);
			Ops mark = tf.withSubScope(FusedKernels.Fusion.DEPTHWISE_CONV3D_GELU.mark());
			Operand<TFloat32> in = mark.withName("input").identity(tf.constant(new float[] { 1 }));
			Operand<TFloat32> filter = mark.withName("filter").identity(tf.constant(new float[] { 2 }));
			mark.withName("output").identity(mark.math.add(in, filter)); // no "bias"
			GraphDef graph = g.toGraphDef();
			FusedKernelRewrite.Result r = FusedKernelRewrite.fuse(graph, 2);
			assertEquals(0, r.fused());
			assertSame(graph, r.graph());
		}
	}

	/** after = mark(mark(x)) + 1, each mark's portable form 2 * input. */
	private static Operand<TFloat32> twoMarks(Ops tf, float[] x, float[] f, float[] b) {
		FusedKernels.PortableForm notTheOp = (ops, in) -> ops.math.mul(FusedKernelsTest.f32(in.get(0)), ops.constant(2f));
		Operand<TFloat32> first = FusedKernels.marked(tf, FusedKernels.Fusion.DEPTHWISE_CONV3D_GELU, notTheOp,
				constant(tf, x, SHAPE), constant(tf, f, 3, 3, 3, 16), constant(tf, b, 16));
		Operand<TFloat32> second = FusedKernels.marked(tf, FusedKernels.Fusion.DEPTHWISE_CONV3D_GELU, notTheOp, first,
				constant(tf, f, 3, 3, 3, 16), constant(tf, b, 16));
		return tf.withName("after").math.add(second, tf.constant(1f));
	}
}
