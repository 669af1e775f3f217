package org.volseg.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.ByteDataBuffer;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.volseg.InvalidParameterException;

import com.google.protobuf.ByteString;

/**
 * A graph whose weights are constants: the part of a graph that computes the nodes to keep (a
 * signature's inputs and outputs), with every variable ({@code VariableV2}, as VolSeg's packages
 * hold them) and every read of a resource variable ({@code ReadVariableOp} of a
 * {@code VarHandleOp}) replaced by a {@code Const} holding the variable's value in a session, under
 * the same name, so the inputs, outputs and signature keep their names. What the kept nodes do not
 * need (initialisers, restore ops, the portable forms of fused subgraphs) is left out.
 *
 * <p>Why: TensorFlow's graph optimiser folds work on constant weights once, at the first run
 * (transposed and reshaped weights, factorisations of weights, oneDNN's layers that reorder
 * constant weights once); with variables it redoes that work in every run. A model package holds
 * its weights as variables. Freezing costs start-up time (the graph rebuilt, then the constants
 * folded in the first run: about half a second for SegFormer3D at 128^3).</p>
 *
 * <p><b>Off by default</b> (since 2026-12-04, eleventh session). It was on for SegFormer3D
 * packages, whose 128^3 forward it made about 4 % cheaper when oneDNN ran their convolutions. Now
 * that VolSeg's fused kernels run every convolution of SegFormer3D, frozen weights made the forward
 * about 8 % dearer and the first forward twice as long on the host measured (docs/bench-segformer.md).
 * The demo UNETR gained about 3 % a patch but lost 0.4 s at load and 0.2 s in its first patch.
 * {@code -D}{@value #PROPERTY}{@code =64} turns it on for the {@link #ARCHITECTURES}.</p>
 *
 * <p>Freezing copies the weights several times while it runs (the fetched values, the graph
 * definition, TensorFlow's constants), so only graphs whose kept part reads variables of at most
 * {@link #maxBytes()} are frozen: {@value #PROPERTY} MiB (SegFormer3D holds 18 MB, UNETR-BTCV
 * 370 MB), {@value #DEFAULT_MAX_MIB} (never) when it is not set. Graphs with variables of
 * non-numeric types are not frozen. Stateless: thread-safe.</p>
 */
public final class FrozenWeights {

	/** The system property giving the most MiB of variables a graph may hold to be frozen (0: never). */
	public static final String PROPERTY = "volseg.freeze.maxMiB";
	/** {@value #PROPERTY}'s default: 0, weights stay variables. */
	public static final long DEFAULT_MAX_MIB = 0;
	/**
	 * The architectures ({@code config.volseg.network.architecture}) whose packages are frozen when
	 * loaded on the CPU with {@value #PROPERTY} above 0; the others keep their variables.
	 */
	public static final Set<String> ARCHITECTURES = Set.of("segformer3d");

	private static final Logger LOG = Logger.getLogger(FrozenWeights.class.getName());
	private static final String READ = "ReadVariableOp";
	private static final String RESOURCE = "VarHandleOp";
	private static final Set<String> REFERENCES = Set.of("VariableV2", "Variable");

	private FrozenWeights() {}

	/**
	 * The most bytes of variables a graph may hold to be frozen: {@value #PROPERTY} in MiB, or
	 * {@value #DEFAULT_MAX_MIB} MiB when it is not set.
	 *
	 * @throws InvalidParameterException when the property is not a whole number of MiB, 0 or more
	 */
	public static long maxBytes() {
		String v = System.getProperty(PROPERTY);
		if (v == null)
			return DEFAULT_MAX_MIB << 20;
		try {
			long mib = Long.parseLong(v.trim());
			if (mib >= 0 && mib < (1L << 43))
				return mib << 20;
		} catch (NumberFormatException e) {
			// reported below
		}
		throw InvalidParameterException.of("-D" + PROPERTY, v, "a whole number of MiB, 0 or more (0: weights stay variables)");
	}

	/**
	 * The most bytes of variables to freeze in a graph of {@code architecture}: {@link #maxBytes()}
	 * for the {@link #ARCHITECTURES}, 0 (nothing frozen) for others and for {@code null}. The
	 * property is checked either way.
	 *
	 * @throws InvalidParameterException when {@value #PROPERTY} is not a whole number of MiB, 0 or more
	 */
	public static long maxBytesFor(String architecture) {
		long max = maxBytes();
		return architecture != null && ARCHITECTURES.contains(architecture) ? max : 0;
	}

	/**
	 * The part of the graph that computes {@code keep}, with its variables replaced by constants.
	 *
	 * @param graph the graph (not changed)
	 * @param session a session of {@code graph} whose variables hold their values (not closed)
	 * @param keep the nodes to keep (tensor names such as {@code output:0} name their node), with
	 *        every node they depend on (inputs and control inputs); the rest is left out
	 *        (initialisers, restore ops, unused subgraphs)
	 * @param maxBytes the most bytes of variables to freeze
	 * @return the frozen graph, new (the caller closes it); empty if the kept part has no variables,
	 *         its variables hold more than {@code maxBytes} or one of them is not of a numeric type, or
	 *         TensorFlow refuses the frozen form (a kept node writes to a variable: its input takes a
	 *         reference, which a constant cannot give)
	 * @throws IllegalArgumentException if a node of {@code keep} is not in the graph
	 */
	public static Optional<Graph> freeze(Graph graph, Session session, Collection<String> keep, long maxBytes) {
		GraphDef def = graph.toGraphDef();
		Map<String, NodeDef> byName = new HashMap<>();
		for (NodeDef n : def.getNodeList())
			byName.put(n.getName(), n);
		List<NodeDef> kept = needed(def, byName, keep);
		// each node to become a constant, and the node its variable's value is fetched from
		Map<String, String> variableOf = new LinkedHashMap<>();
		Map<String, String> fetchByVariable = new LinkedHashMap<>();
		long bytes = 0;
		for (NodeDef n : kept) {
			NodeDef variable = REFERENCES.contains(n.getOp()) ? n
					: n.getOp().equals(READ) && n.getInputCount() > 0 ? resource(byName.get(nodeName(n.getInput(0)))) : null;
			if (variable == null)
				continue;
			long size = bytesOf(variable);
			if (size < 0)
				return Optional.empty();
			if (fetchByVariable.putIfAbsent(variable.getName(), n.getName()) == null)
				bytes += size;
			variableOf.put(n.getName(), variable.getName());
		}
		if (variableOf.isEmpty() || bytes > maxBytes)
			return Optional.empty();
		Map<String, TensorProto> values = values(session, fetchByVariable);
		GraphDef.Builder out = def.toBuilder().clearNode();
		for (NodeDef n : kept) {
			String variable = variableOf.get(n.getName());
			out.addNode(variable == null ? n
					: NodeDef.newBuilder().setName(n.getName()).setOp("Const").setDevice(n.getDevice())
							.putAttr("dtype", n.getAttrOrThrow("dtype"))
							.putAttr("value", AttrValue.newBuilder().setTensor(values.get(variable)).build()).build());
		}
		Graph frozen = new Graph();
		try {
			frozen.importGraphDef(out.build());
			return Optional.of(frozen);
		} catch (IllegalArgumentException e) {
			frozen.close();
			LOG.info("weights kept as variables: TensorFlow refuses them as constants (" + e.getMessage() + ")");
			return Optional.empty();
		} catch (RuntimeException | Error e) {
			frozen.close();
			throw e;
		}
	}

	/** The nodes {@code keep} names and all they depend on, in the graph's order. */
	private static List<NodeDef> needed(GraphDef def, Map<String, NodeDef> byName, Collection<String> keep) {
		Set<String> needed = new HashSet<>();
		Deque<String> todo = new ArrayDeque<>();
		for (String k : keep) {
			String name = nodeName(k);
			if (!byName.containsKey(name))
				throw new IllegalArgumentException("no node \"" + name + "\" in the graph");
			todo.add(name);
		}
		while (!todo.isEmpty()) {
			String name = todo.poll();
			if (needed.add(name))
				for (String input : byName.get(name).getInputList())
					todo.add(nodeName(input));
		}
		List<NodeDef> nodes = new ArrayList<>();
		for (NodeDef n : def.getNodeList())
			if (needed.contains(n.getName()))
				nodes.add(n);
		return nodes;
	}

	private static NodeDef resource(NodeDef n) {
		return n != null && n.getOp().equals(RESOURCE) ? n : null;
	}

	/** The node an input names ({@code ^name}, {@code name:1} or {@code name}). */
	private static String nodeName(String input) {
		String s = input.startsWith("^") ? input.substring(1) : input;
		int colon = s.lastIndexOf(':');
		return colon < 0 ? s : s.substring(0, colon);
	}

	/** Each variable's value, fetched through the named node (the variable or its first read). */
	private static Map<String, TensorProto> values(Session session, Map<String, String> fetchByVariable) {
		List<String> names = new ArrayList<>(fetchByVariable.keySet());
		Session.Runner runner = session.runner();
		for (String variable : names)
			runner.fetch(fetchByVariable.get(variable));
		Map<String, TensorProto> values = new HashMap<>();
		try (Result result = runner.run()) {
			for (int k = 0; k < names.size(); k++)
				values.put(names.get(k), proto(result.get(k)));
		}
		return values;
	}

	/** The tensor as a {@code TensorProto} with its bytes as they lie in memory (TensorFlow's own layout). */
	private static TensorProto proto(Tensor t) {
		TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
		for (long d : t.shape().asArray())
			shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
		ByteDataBuffer data = t.asRawTensor().data();
		byte[] bytes = new byte[Math.toIntExact(data.size())];
		data.read(bytes);
		return TensorProto.newBuilder().setDtype(t.dataType()).setTensorShape(shape)
				.setTensorContent(ByteString.copyFrom(bytes)).build();
	}

	/** The bytes a variable holds, from its dtype and shape; -1 if unknown or not numeric. */
	private static long bytesOf(NodeDef variable) {
		AttrValue dtype = variable.getAttrOrDefault("dtype", null);
		AttrValue shape = variable.getAttrOrDefault("shape", null);
		if (dtype == null || shape == null || shape.getShape().getUnknownRank())
			return -1;
		int element = elementBytes(dtype.getType());
		if (element < 0)
			return -1;
		long n = element;
		for (TensorShapeProto.Dim d : shape.getShape().getDimList()) {
			if (d.getSize() < 0)
				return -1;
			n = Math.multiplyExact(n, d.getSize());
		}
		return n;
	}

	private static int elementBytes(DataType type) {
		return switch (type) {
			case DT_FLOAT, DT_INT32, DT_UINT32 -> 4;
			case DT_DOUBLE, DT_INT64, DT_UINT64 -> 8;
			case DT_HALF, DT_BFLOAT16, DT_INT16, DT_UINT16 -> 2;
			case DT_INT8, DT_UINT8, DT_BOOL -> 1;
			default -> -1;
		};
	}
}
