package org.volseg.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import org.volseg.model.Axis;
import org.volseg.model.AxisSize;
import org.volseg.model.AxisType;
import org.volseg.model.ModelDescriptor;
import org.volseg.model.ModelPackageException;
import org.volseg.model.TensorDescriptor;

/**
 * Compares a SavedModel's serving signature with the package descriptor: names, data types, ranks,
 * channel counts and fixed sizes. All contradictions are reported together, each naming both the
 * descriptor field and the signature tensor. Stateless.
 */
final class SignatureCheck {

	private SignatureCheck() {
	}

	/**
	 * A signature tensor as far as the check needs it.
	 *
	 * @param name the signature key of the tensor
	 * @param dataType TensorFlow's type name, for example {@code DT_FLOAT}
	 * @param shape dimension sizes, -1 where unknown; {@code null} if the rank is unknown
	 */
	record TensorInfo(String name, String dataType, long[] shape) {

		static TensorInfo of(String name, Operand<?> operand) {
			return new TensorInfo(name, operand.asOutput().dataType().name(), dims(operand.shape()));
		}

		static TensorInfo of(String name, Signature.TensorDescription t) {
			return new TensorInfo(name, t.dataType.name(), dims(t.shape));
		}

		private static long[] dims(Shape s) {
			return s == null || s.isUnknown() ? null : s.asArray();
		}

		String describeShape() {
			if (shape == null)
				return "unknown";
			StringBuilder sb = new StringBuilder("[");
			for (int i = 0; i < shape.length; i++)
				sb.append(i == 0 ? "" : ", ").append(shape[i] < 0 ? "?" : Long.toString(shape[i]));
			return sb.append(']').toString();
		}
	}

	/** Finds the descriptor's input and output in the signature and checks them. */
	static void check(ModelDescriptor d, String source, Signature signature) {
		Map<String, Signature.TensorDescription> ins = signature.getInputs();
		Map<String, Signature.TensorDescription> outs = signature.getOutputs();
		List<String> problems = new ArrayList<>();
		String inId = d.input().id();
		String outId = d.output().id();
		if (!ins.containsKey(inId))
			problems.add("inputs[0].id: \"" + inId + "\" is not an input of the SavedModel's signature \""
					+ signature.key() + "\" (its inputs: " + String.join(", ", ins.keySet())
					+ "); set inputs[0].id to the signature's input name");
		if (!outs.containsKey(outId))
			problems.add("outputs[0].id: \"" + outId + "\" is not an output of the SavedModel's signature \""
					+ signature.key() + "\" (its outputs: " + String.join(", ", outs.keySet())
					+ "); set outputs[0].id to the signature's output name");
		if (!problems.isEmpty())
			throw new ModelPackageException(source, problems);
		check(d, source, TensorInfo.of(inId, ins.get(inId)), TensorInfo.of(outId, outs.get(outId)));
	}

	/** Checks one input and one output tensor against {@code d.input()} and {@code d.output()}. */
	static void check(ModelDescriptor d, String source, TensorInfo in, TensorInfo out) {
		List<String> problems = new ArrayList<>();
		int[] patch = d.volseg().patchSizeArray();
		checkTensor(d.input(), "inputs[0]", in, patch, problems);
		checkTensor(d.output(), "outputs[0]", out, patch, problems);
		if (!problems.isEmpty())
			throw new ModelPackageException(source, problems);
	}

	private static void checkTensor(TensorDescriptor t, String path, TensorInfo info, int[] patch, List<String> p) {
		String what = "the SavedModel's " + (path.startsWith("in") ? "input" : "output") + " \"" + info.name() + "\"";
		if (!DataType.DT_FLOAT.name().equals(info.dataType()))
			p.add(path + ".data.type: float32 contradicts " + what + " of type " + info.dataType());
		if (info.shape() == null)
			return;
		if (info.shape().length != t.axes().size()) {
			p.add(path + ".axes: declares " + t.axes().size() + " axes " + axisIds(t) + " but " + what + " has rank "
					+ info.shape().length + " (shape " + info.describeShape() + ")");
			return;
		}
		for (int i = 0; i < t.axes().size(); i++) {
			Axis a = t.axes().get(i);
			long dim = info.shape()[i];
			if (dim < 0)
				continue;
			String ap = path + ".axes[" + i + "]";
			if (a.type() == AxisType.CHANNEL) {
				if (t.channels() != dim)
					p.add(ap + ": declares " + t.channels() + " channel" + (t.channels() == 1 ? "" : "s") + " but "
							+ what + " has " + dim + " on that axis (shape " + info.describeShape() + ")");
			} else if (a.type() == AxisType.SPACE) {
				int k = "xyz".indexOf(a.id());
				if (a.size() instanceof AxisSize.Reference) {
					if (k >= 0 && dim != patch[k])
						p.add(ap + ": " + what + " has a fixed size " + dim + " on axis " + a.id()
								+ ", not the patch size " + patch[k] + " (config.volseg.patch_size)");
				} else if (!a.size().admits(dim))
					p.add(ap + ".size: " + a.size() + " contradicts " + what + "'s fixed size " + dim + " (shape "
							+ info.describeShape() + ")");
				else if (k >= 0 && dim != patch[k])
					p.add("config.volseg.patch_size[" + k + "]: " + patch[k] + " but " + what + " only accepts " + dim
							+ " on axis " + a.id());
			} else if (a.type() == AxisType.BATCH && a.size() instanceof AxisSize.Fixed f && f.value() != dim)
				p.add(ap + ".size: " + f.value() + " contradicts " + what + "'s batch size " + dim);
		}
	}

	private static String axisIds(TensorDescriptor t) {
		List<String> ids = new ArrayList<>();
		for (Axis a : t.axes())
			ids.add(a.id());
		return ids.toString();
	}
}
