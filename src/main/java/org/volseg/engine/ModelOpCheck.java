package org.volseg.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;

/**
 * A model is code: a SavedModel's graph may hold operations that read or write files, list
 * folders, run Python or reach the network, and loading it already runs some of them (its
 * variable restore). Before TensorFlow loads anything, this reads {@code saved_model.pb} as a
 * protocol buffer and checks every operation of every meta graph, its graph and the functions of
 * its function library, against an allow-list of pure tensor computations ({@link #ALLOWED}).
 *
 * <p>The checkpoint operations ({@code SaveV2}, {@code RestoreV2}, {@code MergeV2Checkpoints},
 * {@code ShardedFilename}, {@code Save}, {@code Restore}, {@code RestoreSlice}) are accepted only in
 * the top-level graph and only when the path they read or write is the saver's filename
 * placeholder ({@code saver_def.filename_tensor_name}, which TensorFlow feeds with the package's own
 * {@code variables/variables}), reached through {@code Identity}, {@code StringJoin} or
 * {@code Pack}; a restore from a constant path, or inside a function, is refused (TF2 Keras exports
 * restore inside functions: such models need {@code --trust-model}). Stateless and thread-safe.</p>
 */
final class ModelOpCheck {

	/** Operations that compute on tensors only (no files, no network, no Python, no processes). */
	public static final Set<String> ALLOWED = Set.of(
			// structure
			"NoOp", "Const", "Placeholder", "PlaceholderWithDefault", "Identity", "IdentityN", "StopGradient",
			"PreventGradient", "Snapshot", "CheckNumerics", "Assert", "Print", "PrintV2", "StringFormat",
			// variables (values restored from the package by the checkpoint rule below)
			"VariableV2", "Variable", "VarHandleOp", "ReadVariableOp", "AssignVariableOp", "Assign", "AssignAdd",
			"AssignSub", "VarIsInitializedOp", "IsVariableInitialized", "DestroyResourceOp",
			// function calls and control flow (the called functions are checked too)
			"PartitionedCall", "StatefulPartitionedCall", "If", "StatelessIf", "While", "StatelessWhile", "Case",
			"StatelessCase", "Switch", "Merge", "Enter", "Exit", "NextIteration", "LoopCond", "ControlTrigger",
			// element-wise math
			"Add", "AddV2", "AddN", "Sub", "Mul", "MulNoNan", "Div", "DivNoNan", "RealDiv", "FloorDiv", "FloorMod",
			"TruncateDiv", "TruncateMod", "Mod", "Pow", "Maximum", "Minimum", "Neg", "Abs", "Sign", "Square", "Sqrt",
			"Rsqrt", "Exp", "Expm1", "Log", "Log1p", "Reciprocal", "Inv", "Floor", "Ceil", "Round", "Rint", "Sin", "Cos",
			"Tan", "Tanh", "Sigmoid", "Erf", "Erfc", "Erfinv", "Atan", "Atan2", "Acos", "Asin", "Sinh", "Cosh",
			"SquaredDifference", "ClipByValue", "Cast", "Bitcast", "Equal", "NotEqual", "Less", "LessEqual", "Greater",
			"GreaterEqual", "LogicalAnd", "LogicalOr", "LogicalNot", "Select", "SelectV2", "IsNan", "IsInf", "IsFinite",
			"ZerosLike", "OnesLike", "BiasAdd", "BiasAddV1", "Lgamma", "Digamma", "Xlogy", "Xdivy",
			// reductions and linear algebra
			"Sum", "Mean", "Max", "Min", "Prod", "All", "Any", "ArgMax", "ArgMin", "MatMul", "BatchMatMul",
			"BatchMatMulV2", "BatchMatMulV3", "Einsum", "Cumsum", "Cumprod", "TopKV2", "L2Loss", "Qr",
			// neural-network layers
			"Conv2D", "Conv3D", "Conv2DBackpropInput", "Conv3DBackpropInputV2", "DepthwiseConv2dNative", "MaxPool",
			"MaxPoolV2", "MaxPool3D", "AvgPool", "AvgPool3D", "FusedBatchNorm", "FusedBatchNormV2",
			"FusedBatchNormV3", "Relu", "Relu6", "Elu", "Selu", "LeakyRelu", "Softplus", "Softsign", "Softmax",
			"LogSoftmax", "Gelu", "_FusedConv2D", "_FusedMatMul", "_FusedConv3D", "ResizeBilinear",
			"ResizeNearestNeighbor", "ResizeBicubic", "ResizeArea", "Dilation2D",
			// shapes, indexing, layout
			"Shape", "ShapeN", "Size", "Rank", "Reshape", "Squeeze", "ExpandDims", "Transpose", "ConjugateTranspose",
			"Concat", "ConcatV2", "ConcatOffset", "Split", "SplitV", "Slice", "StridedSlice", "Pack", "Unpack", "Tile",
			"Pad", "PadV2", "MirrorPad", "Fill", "Range", "Gather", "GatherV2", "GatherNd", "ScatterNd",
			"TensorScatterUpdate", "TensorScatterAdd", "OneHot", "Reverse", "ReverseV2", "BroadcastTo",
			"BroadcastArgs", "BroadcastGradientArgs", "Where", "Unique", "SpaceToDepth", "DepthToSpace",
			"SpaceToBatchND", "BatchToSpaceND", "LinSpace", "MatrixBandPart", "MatrixDiag",
			"MatrixDiagV3", "DiagPart", "Diag", "EnsureShape", "Roll",
			// strings used by savers to build shard names (no I/O)
			"StringJoin");

	/** Checkpoint operations: allowed only on the saver's own filename (see the class comment). */
	static final Set<String> CHECKPOINT = Set.of("SaveV2", "RestoreV2", "MergeV2Checkpoints", "ShardedFilename", "Save",
			"Restore", "RestoreSlice", "SaveSlices");

	private ModelOpCheck() {
	}

	/**
	 * The operations of a SavedModel that are not allowed, sorted by name (each once), with
	 * checkpoint operations that do not use the saver's filename listed as e.g.
	 * {@code "RestoreV2 (not on the saver's filename)"}; empty if the model may run.
	 *
	 * @throws EngineException if {@code saved_model.pb} is missing or not a SavedModel
	 */
	public static Set<String> refusedOps(Path savedModelDir) {
		SavedModel model = read(savedModelDir);
		Set<String> refused = new TreeSet<>();
		for (MetaGraphDef mg : model.getMetaGraphsList()) {
			Set<String> functions = new HashSet<>();
			for (FunctionDef f : mg.getGraphDef().getLibrary().getFunctionList())
				functions.add(f.getSignature().getName());
			String filename = nodeName(mg.getSaverDef().getFilenameTensorName());
			Map<String, NodeDef> byName = new HashMap<>();
			for (NodeDef n : mg.getGraphDef().getNodeList())
				byName.put(n.getName(), n);
			for (NodeDef n : mg.getGraphDef().getNodeList()) {
				if (CHECKPOINT.contains(n.getOp())) {
					if (!readsSaverFile(n, byName, filename))
						refused.add(n.getOp() + " (not on the saver's filename)");
				} else if (!ALLOWED.contains(n.getOp()) && !functions.contains(n.getOp()))
					refused.add(n.getOp());
			}
			for (FunctionDef f : mg.getGraphDef().getLibrary().getFunctionList())
				for (NodeDef n : f.getNodeDefList())
					if (CHECKPOINT.contains(n.getOp()))
						refused.add(n.getOp() + " (inside function " + f.getSignature().getName() + ")");
					else if (!ALLOWED.contains(n.getOp()) && !functions.contains(n.getOp()))
						refused.add(n.getOp());
		}
		return refused;
	}

	/**
	 * Refuses a SavedModel with operations outside the allow-list, unless {@code trusted}.
	 *
	 * @param shownAs the package as the user gave it (for the message)
	 * @throws UntrustedModelException naming the package and every refused operation
	 */
	public static void check(Path savedModelDir, String shownAs, boolean trusted) {
		if (trusted)
			return;
		Set<String> refused = refusedOps(savedModelDir);
		if (!refused.isEmpty())
			throw new UntrustedModelException(shownAs, List.copyOf(refused));
	}

	/** Whether a checkpoint op's path (input 0) is the saver's filename placeholder, through Identity/StringJoin/Pack/ShardedFilename. */
	private static boolean readsSaverFile(NodeDef n, Map<String, NodeDef> byName, String filename) {
		if (filename.isEmpty() || n.getInputCount() == 0)
			return false;
		NodeDef at = n;
		for (int hops = 0; hops < 16; hops++) {
			String in = nodeName(at.getInput(0));
			if (in.equals(filename)) {
				NodeDef f = byName.get(filename);
				return f != null && f.getOp().equals("Placeholder");
			}
			at = byName.get(in);
			if (at == null || at.getInputCount() == 0
					|| !Set.of("Identity", "StringJoin", "Pack", "ShardedFilename").contains(at.getOp()))
				return false;
		}
		return false;
	}

	/** "save/filename:0" or "^save/filename" -> "save/filename". */
	private static String nodeName(String tensor) {
		String s = tensor.startsWith("^") ? tensor.substring(1) : tensor;
		int colon = s.indexOf(':');
		return colon < 0 ? s : s.substring(0, colon);
	}

	private static SavedModel read(Path dir) {
		Path pb = dir.resolve("saved_model.pb");
		try (InputStream in = Files.newInputStream(pb)) {
			CodedInputStream coded = CodedInputStream.newInstance(in);
			coded.setSizeLimit(Integer.MAX_VALUE);
			return SavedModel.parseFrom(coded);
		} catch (NoSuchFileException e) {
			throw new EngineException(dir + ": no saved_model.pb", e);
		} catch (InvalidProtocolBufferException e) {
			throw new EngineException(pb + ": TensorFlow cannot load the SavedModel (not a valid protocol buffer: "
					+ e.getMessage() + "); re-export it with TensorFlow 2.x tag \"serve\"", e);
		} catch (IOException e) {
			throw new EngineException(pb + ": cannot read (" + e.getMessage() + ")", e);
		}
	}
}
