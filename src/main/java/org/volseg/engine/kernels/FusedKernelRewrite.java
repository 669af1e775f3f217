package org.volseg.engine.kernels;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Puts the fused ops in place of the subgraphs a graph marks as fusable
 * ({@link FusedKernels#markedDepthwiseConv3dGelu}), in a {@link GraphDef}: the mark's
 * {@code output} Identity becomes the fused op, reading the mark's {@code input}, {@code filter}
 * and {@code bias}, under the same name, so that every consumer reads the fused result and the
 * portable ops are left without consumers (TensorFlow never runs them). Marks that are not whole
 * (a missing or non-Identity node) are left as they are. Pure function of its arguments.
 */
public final class FusedKernelRewrite {

	private static final Pattern OUTPUT = Pattern
			.compile("(.*/)?" + Pattern.quote(FusedKernels.DEPTHWISE_CONV3D_GELU_MARK) + "(_\\d+)?/output");

	private FusedKernelRewrite() {}

	/**
	 * The rewritten graph.
	 *
	 * @param graph the graph to rewrite
	 * @param fused how many marked subgraphs were replaced (0: the graph is the input)
	 */
	public record Result(GraphDef graph, int fused) {}

	/**
	 * Replaces every whole mark of {@code graph}.
	 *
	 * @param threads the {@code threads} attribute of the fused ops, 1 to {@value FusedKernels#MAX_THREADS}
	 */
	public static Result fuse(GraphDef graph, int threads) {
		if (threads < 1 || threads > FusedKernels.MAX_THREADS)
			throw new IllegalArgumentException("threads must be 1 to " + FusedKernels.MAX_THREADS + ", got " + threads);
		Map<String, NodeDef> byName = new HashMap<>();
		for (NodeDef n : graph.getNodeList())
			byName.put(n.getName(), n);
		GraphDef.Builder out = graph.toBuilder();
		int fused = 0;
		for (int i = 0; i < out.getNodeCount(); i++) {
			NodeDef n = out.getNode(i);
			if (!n.getOp().equals("Identity") || !OUTPUT.matcher(n.getName()).matches())
				continue;
			String scope = n.getName().substring(0, n.getName().length() - "/output".length());
			if (!isIdentity(byName, scope + "/input") || !isIdentity(byName, scope + "/filter")
					|| !isIdentity(byName, scope + "/bias"))
				continue;
			NodeDef.Builder op = NodeDef.newBuilder().setName(n.getName()).setOp(FusedKernels.DEPTHWISE_CONV3D_GELU)
					.setDevice(n.getDevice()).addInput(scope + "/input").addInput(scope + "/filter")
					.addInput(scope + "/bias").putAttr("threads", AttrValue.newBuilder().setI(threads).build());
			for (String input : n.getInputList())
				if (input.startsWith("^"))
					op.addInput(input);
			out.setNode(i, op);
			fused++;
		}
		return fused == 0 ? new Result(graph, 0) : new Result(out.build(), fused);
	}

	private static boolean isIdentity(Map<String, NodeDef> byName, String name) {
		NodeDef n = byName.get(name);
		return n != null && n.getOp().equals("Identity");
	}
}
