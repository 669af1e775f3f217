package org.volseg.engine;

import org.volseg.runtime.Device;
import java.util.Arrays;

/**
 * What a loaded {@link Engine} runs and where: for logs, result metadata and {@code volseg model info}.
 *
 * @param modelName the descriptor's name
 * @param device the device actually used (cpu or gpu)
 * @param deviceReason why that device (including any fallback)
 * @param intraOpThreads intra-op threads in use
 * @param interOpThreads inter-op threads in use
 * @param signatureKey the SavedModel signature run ({@code serving_default})
 * @param inputName the signature input fed
 * @param inputShape its static shape in the model's axis order, -1 where free
 * @param outputName the signature output read
 * @param outputShape its static shape, -1 where free
 * @param tensorflowVersion the native TensorFlow version
 * @param weightsFrozen whether the weights run as constants ({@link FrozenWeights}), not variables
 */
public record EngineInfo(String modelName, Device device, String deviceReason, int intraOpThreads,
		int interOpThreads, String signatureKey, String inputName, long[] inputShape, String outputName,
		long[] outputShape, String tensorflowVersion, boolean weightsFrozen) {

	public EngineInfo {
		inputShape = inputShape == null ? null : inputShape.clone();
		outputShape = outputShape == null ? null : outputShape.clone();
	}

	@Override
	public long[] inputShape() {
		return inputShape == null ? null : inputShape.clone();
	}

	@Override
	public long[] outputShape() {
		return outputShape == null ? null : outputShape.clone();
	}

	/** One line: model, device and reason, threads, signature, weights. */
	public String summary() {
		return "model \"" + modelName + "\" on " + device.label() + " (" + deviceReason + "), TensorFlow "
				+ tensorflowVersion + ", threads intra-op " + intraOpThreads + " inter-op " + interOpThreads
				+ ", signature " + signatureKey + ": " + inputName + " " + Arrays.toString(inputShape) + " -> "
				+ outputName + " " + Arrays.toString(outputShape) + ", weights "
				+ (weightsFrozen ? "frozen into constants" : "variables");
	}
}
