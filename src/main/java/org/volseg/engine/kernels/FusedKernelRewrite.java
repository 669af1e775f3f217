package org.volseg.engine.kernels;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Puts the fused ops in place of the subgraphs a graph marks as fusable ({@link FusedKernels#marked}),
 * in a {@link GraphDef}: a mark's {@code output} Identity becomes the fused op, reading the mark's
 * input Identities ({@link FusedKernels.Fusion#inputs()}), under the same name, so that every
 * consumer reads the fused result and the portable ops are left without consumers (TensorFlow never
 * runs them). Marks that are not whole (a missing or non-Identity node) are left as they are. Pure
 * function of its arguments.
 */
public final class FusedKernelRewrite {

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
			if (!n.getOp().equals("Identity") || !n.getName().endsWith("/output"))
				continue;
			String scope = n.getName().substring(0, n.getName().length() - "/output".length());
			Optional<FusedKernels.Fusion> fusion = fusionMarkedBy(scope);
			if (fusion.isEmpty() || !fusion.get().inputs().stream().allMatch(in -> isIdentity(byName, scope + "/" + in)))
				continue;
			NodeDef.Builder op = NodeDef.newBuilder().setName(n.getName()).setOp(fusion.get().op()).setDevice(n.getDevice())
					.putAttr("threads", AttrValue.newBuilder().setI(threads).build());
			for (String input : fusion.get().inputs())
				op.addInput(scope + "/" + input);
			for (String input : n.getInputList())
				if (input.startsWith("^"))
					op.addInput(input);
			out.setNode(i, op);
			fused++;
		}
		return fused == 0 ? new Result(graph, 0) : new Result(out.build(), fused);
	}

	/** The fusion whose mark a name scope is: its last part is the mark, or the mark and "_" and a number. */
	private static Optional<FusedKernels.Fusion> fusionMarkedBy(String scope) {
		String last = scope.substring(scope.lastIndexOf('/') + 1);
		for (FusedKernels.Fusion f : FusedKernels.Fusion.values())
			if (last.equals(f.mark()) || (last.startsWith(f.mark() + "_") && isNumber(last.substring(f.mark().length() + 1))))
				return Optional.of(f);
		return Optional.empty();
	}

	private static boolean isNumber(String s) {
		return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
	}

	private static boolean isIdentity(Map<String, NodeDef> byName, String name) {
		NodeDef n = byName.get(name);
		return n != null && n.getOp().equals("Identity");
	}
}
