package org.volseg.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.ConfigProto;

/** Lists the signatures of a SavedModel (for {@code volseg model info}). Stateless. */
public final class SavedModelInspector {

	private SavedModelInspector() {
	}

	/**
	 * One signature tensor.
	 *
	 * @param dataType TensorFlow's type name, for example {@code DT_FLOAT}
	 * @param shape dimension sizes with -1 where free, or {@code null} if the rank is unknown
	 */
	public record TensorSignature(String dataType, long[] shape) {
	}

	/** One signature: its key and its named inputs and outputs (in the SavedModel's order). */
	public record SignatureInfo(String key, Map<String, TensorSignature> inputs, Map<String, TensorSignature> outputs) {
	}

	/**
	 * Loads the SavedModel on the CPU, reads its signatures and releases it.
	 *
	 * @throws EngineException if TensorFlow cannot load it
	 */
	public static List<SignatureInfo> signatures(Path savedModelDir) {
		return signatures(savedModelDir, false);
	}

	/**
	 * As {@link #signatures(Path)}; unless {@code trustModel}, the graph is first checked against
	 * {@link ModelOpCheck}'s allow-list (loading runs the model's restore operations).
	 *
	 * @throws UntrustedModelException if it holds other operations and is not trusted
	 */
	public static List<SignatureInfo> signatures(Path savedModelDir, boolean trustModel) {
		ModelOpCheck.check(savedModelDir, savedModelDir.toString(), trustModel);
		ConfigProto cpu = ConfigProto.newBuilder().putDeviceCount("GPU", 0).build();
		try (SavedModelBundle b = SavedModelBundle.loader(savedModelDir.toString()).withTags(SavedModelExport.TAG)
				.withConfigProto(cpu).load()) {
			List<SignatureInfo> out = new ArrayList<>();
			for (Signature s : b.signatures())
				out.add(new SignatureInfo(s.key(), tensors(s.getInputs()), tensors(s.getOutputs())));
			return out;
		} catch (TensorFlowException e) {
			throw new EngineException(savedModelDir + ": TensorFlow cannot load the SavedModel (" + e.getMessage()
					+ ")", e);
		}
	}

	private static Map<String, TensorSignature> tensors(Map<String, Signature.TensorDescription> m) {
		Map<String, TensorSignature> out = new LinkedHashMap<>();
		for (Map.Entry<String, Signature.TensorDescription> e : m.entrySet()) {
			Shape s = e.getValue().shape;
			out.put(e.getKey(), new TensorSignature(e.getValue().dataType.name(),
					s == null || s.isUnknown() ? null : s.asArray()));
		}
		return out;
	}
}
