package org.volseg.runtime;

import org.volseg.InvalidParameterException;

/**
 * How the engine runs a model.
 *
 * @param device cpu, gpu or auto
 * @param intraOpThreads threads one operation (a convolution, a matmul) may use; 0 = all cores
 * @param interOpThreads operations run concurrently; 0 = all cores
 * @param trustModel run the model even if its graph holds operations outside the allow-list of
 *        {@link ModelOpCheck} (file, network or Python operations); false by default
 */
public record EngineOptions(Device device, int intraOpThreads, int interOpThreads, boolean trustModel) {

	/** Options that do not trust the model (its graph is checked against the allow-list). */
	public EngineOptions(Device device, int intraOpThreads, int interOpThreads) {
		this(device, intraOpThreads, interOpThreads, false);
	}

	public EngineOptions {
		if (device == null)
			throw InvalidParameterException.of("--device", null, "cpu, gpu or auto");
		if (intraOpThreads < 0)
			throw InvalidParameterException.of("--intra-op-threads", intraOpThreads, "0 (all cores) or a positive number");
		if (interOpThreads < 0)
			throw InvalidParameterException.of("--inter-op-threads", interOpThreads, "0 (all cores) or a positive number");
	}

	/** {@code auto} device, all cores. */
	public static EngineOptions defaults() {
		return new EngineOptions(Device.AUTO, 0, 0);
	}

	/** Only the CPU, all cores. */
	public static EngineOptions cpu() {
		return new EngineOptions(Device.CPU, 0, 0);
	}

	public EngineOptions withDevice(Device d) {
		return new EngineOptions(d, intraOpThreads, interOpThreads, trustModel);
	}

	public EngineOptions withThreads(int intraOp, int interOp) {
		return new EngineOptions(device, intraOp, interOp, trustModel);
	}

	/** The same options, trusting the model or not ({@code --trust-model}). */
	public EngineOptions withTrustModel(boolean trust) {
		return new EngineOptions(device, intraOpThreads, interOpThreads, trust);
	}

	/** The intra-op thread count actually used. */
	public int effectiveIntraOpThreads() {
		return intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
	}

	/** The inter-op thread count actually used. */
	public int effectiveInterOpThreads() {
		return interOpThreads > 0 ? interOpThreads : Runtime.getRuntime().availableProcessors();
	}
}
