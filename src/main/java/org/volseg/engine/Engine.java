package org.volseg.engine;

import org.volseg.runtime.EngineOptions;
import org.volseg.runtime.Device;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.TensorFlow;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.types.TFloat32;
import org.volseg.engine.kernels.FusedKernels;
import org.volseg.model.AxisSize;
import org.volseg.model.AxisType;
import org.volseg.model.ModelDescriptor;
import org.volseg.model.ModelPackage;
import org.volseg.model.ModelPackageException;
import org.volseg.model.TensorDescriptor;
import org.volseg.runtime.PatchPredictor;

/**
 * Runs a model package's SavedModel with TensorFlow Java: batches of patches in, logits out.
 *
 * <p>Patches are {@code [batch, x, y, z, channel]} float32 (see {@link PatchPredictor}); when the
 * descriptor declares another axis order, tensors are transposed in native code, never per voxel in
 * Java. Input and output cross the Java/native boundary as bulk copies of whole arrays.</p>
 *
 * <p>On the CPU the weights of the {@link FrozenWeights#ARCHITECTURES} (SegFormer3D) are frozen
 * into constants when the model is loaded, up to {@link FrozenWeights#maxBytes()}, so that
 * TensorFlow prepares them once, not in every run ({@link FrozenWeights}).</p>
 *
 * <p>Owns the loaded SavedModel (its graph and session): close the engine when done.
 * Not thread-safe: one {@link #predict} at a time (TensorFlow parallelises inside, see
 * {@link EngineOptions}).</p>
 */
public final class Engine implements PatchPredictor, AutoCloseable {

	private static final Logger LOG = Logger.getLogger(Engine.class.getName());

	private final ModelDescriptor descriptor;
	private final ServingModel model;
	private final SessionFunction function;
	private final EngineInfo info;
	private final AxisOrder inOrder;
	private final AxisOrder outOrder;
	private final Transposer inTranspose;
	private final Transposer outTranspose;
	private final int inChannels;
	private final int outChannels;
	private boolean closed;

	private Engine(ModelDescriptor descriptor, ServingModel model, SessionFunction function, EngineInfo info) {
		this.descriptor = descriptor;
		this.model = model;
		this.function = function;
		this.info = info;
		this.inOrder = AxisOrder.of(descriptor.input());
		this.outOrder = AxisOrder.of(descriptor.output());
		Transposer a = null, b = null;
		try {
			a = inOrder.isStandard() ? null : new Transposer(inOrder.standardToModel());
			b = outOrder.isStandard() ? null : new Transposer(outOrder.modelToStandard());
		} catch (RuntimeException e) {
			if (a != null)
				a.close();
			throw e;
		}
		this.inTranspose = a;
		this.outTranspose = b;
		this.inChannels = descriptor.input().channels();
		this.outChannels = descriptor.output().channels();
	}

	/**
	 * Loads the package's SavedModel on the device the options ask for, checking its serving
	 * signature against the descriptor. The package may be closed once this returns.
	 *
	 * @throws ModelPackageException if the signature contradicts the descriptor (every problem listed)
	 * @throws UntrustedModelException if the graph holds operations outside {@link ModelOpCheck}'s
	 *         allow-list and {@link EngineOptions#trustModel()} is false
	 * @throws EngineException if the SavedModel cannot be loaded or the device is unavailable
	 */
	public static Engine load(ModelPackage pkg, EngineOptions options) {
		return load(pkg, options, NativeDevices.probe());
	}

	/**
	 * Opens a package (folder, {@code rdf.yaml} or {@code .zip}), loads it and releases the package's
	 * temporary files.
	 *
	 * @throws ModelPackageException if the package or its signature is invalid
	 * @throws EngineException if the SavedModel cannot be loaded or the device is unavailable
	 */
	public static Engine load(java.nio.file.Path pkg, EngineOptions options) {
		try (ModelPackage p = ModelPackage.open(pkg)) {
			return load(p, options);
		}
	}

	/**
	 * Checks that a package's SavedModel loads and matches its descriptor: loads it on the CPU and
	 * releases it. For installers, for example
	 * {@code ModelInstaller.install(zip, modelsDir, false, Engine::verify)}.
	 *
	 * @throws ModelPackageException if the signature contradicts the descriptor
	 * @throws EngineException if the SavedModel cannot be loaded
	 */
	public static void verify(ModelPackage pkg) {
		verify(pkg, false);
	}

	/**
	 * As {@link #verify(ModelPackage)}; {@code trustModel} skips the allow-list of operations.
	 *
	 * @throws UntrustedModelException if the graph holds operations outside the allow-list and
	 *         the model is not trusted
	 */
	public static void verify(ModelPackage pkg, boolean trustModel) {
		try (Engine e = load(pkg, new EngineOptions(Device.CPU, 1, 1, trustModel))) {
			LOG.fine("verified " + e.info().summary());
		}
	}

	/** As {@link #load(ModelPackage, EngineOptions)} with a given device availability (for tests). */
	static Engine load(ModelPackage pkg, EngineOptions options, DeviceAvailability available) {
		NativeLibrary.load(); // before any other TensorFlow class: skips javacpp's search for CUDA on the CPU build
		ModelDescriptor d = pkg.descriptor();
		String source = pkg.source().toString();
		// before TensorFlow sees the graph: loading it already runs its restore operations
		ModelOpCheck.check(pkg.savedModelDir(), source, options.trustModel());
		DeviceChoice choice = DevicePolicy.choose(options.device(), available);
		// a bad value is reported before TensorFlow loads anything
		long maxFrozenBytes = FrozenWeights.maxBytesFor(d.volseg() == null || d.volseg().network() == null ? null
				: d.volseg().network().architecture());
		ServingModel model;
		try {
			model = loadModel(pkg, options, choice, maxFrozenBytes);
		} catch (TensorFlowException e) {
			Optional<DeviceChoice> fallback = DevicePolicy.fallbackAfter(options.device(), choice, e);
			if (fallback.isEmpty())
				throw loadError(pkg, choice, e);
			LOG.log(Level.WARNING, fallback.get().reason() + ": " + e.getMessage());
			choice = fallback.get();
			try {
				model = loadModel(pkg, options, choice, maxFrozenBytes);
			} catch (TensorFlowException e2) {
				throw loadError(pkg, choice, e2);
			}
		}
		try {
			Signature sig = servingSignature(model, source);
			SignatureCheck.check(d, source, sig);
			Signature.TensorDescription in = sig.getInputs().get(d.input().id());
			Signature.TensorDescription out = sig.getOutputs().get(d.output().id());
			EngineInfo info = new EngineInfo(d.name(), choice.device(), choice.reason(),
					options.effectiveIntraOpThreads(), options.effectiveInterOpThreads(), sig.key(), d.input().id(),
					dims(in.shape), d.output().id(), dims(out.shape), TensorFlow.version(), model.frozen());
			Engine engine = new Engine(d, model, model.function(sig), info);
			LOG.info("VolSeg engine: " + info.summary());
			return engine;
		} catch (RuntimeException e) {
			model.close();
			throw e;
		}
	}

	private static long[] dims(Shape s) {
		return s == null || s.isUnknown() ? null : s.asArray();
	}

	/**
	 * Loads the SavedModel (with fused kernels where it marks them, see {@link FusedSavedModel}); on
	 * the CPU its weights are then frozen into constants if they hold at most {@code maxFrozenBytes}
	 * ({@link FrozenWeights#maxBytesFor}: 0 for architectures that keep their variables).
	 */
	private static ServingModel loadModel(ModelPackage pkg, EngineOptions options, DeviceChoice choice, long maxFrozenBytes) {
		ConfigProto.Builder config = ConfigProto.newBuilder()
				.setIntraOpParallelismThreads(options.effectiveIntraOpThreads())
				.setInterOpParallelismThreads(options.effectiveInterOpThreads())
				.setAllowSoftPlacement(true);
		if (choice.device() == Device.CPU)
			config.putDeviceCount("GPU", 0);
		else
			config.setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
		Optional<FusedSavedModel> fused = choice.device() == Device.CPU
				? fusedForm(pkg, options.effectiveIntraOpThreads()) : Optional.empty();
		try {
			SavedModelBundle bundle = SavedModelBundle.loader(fused.map(FusedSavedModel::dir).orElse(pkg.savedModelDir()).toString())
					.withTags(SavedModelExport.TAG)
					.withConfigProto(config.build())
					.load();
			fused.ifPresent(f -> LOG.info("VolSeg engine: " + f.fused() + " subgraphs of " + pkg.source() + " replaced by "
					+ FusedKernels.status()));
			return maxFrozenBytes > 0 && choice.device() == Device.CPU
					? ServingModel.freeze(bundle, config.build(), maxFrozenBytes, pkg.source().toString())
					: ServingModel.of(bundle);
		} finally {
			fused.ifPresent(FusedSavedModel::close);
		}
	}

	/** The package's SavedModel with fused CPU kernels, if it marks subgraphs for them and they are available. */
	private static Optional<FusedSavedModel> fusedForm(ModelPackage pkg, int threads) {
		try {
			return FusedSavedModel.prepare(pkg.savedModelDir(), Math.min(threads, FusedKernels.MAX_THREADS));
		} catch (IOException e) {
			LOG.warning(pkg.source() + ": TensorFlow's ops run instead of fused CPU kernels: " + e.getMessage());
			return Optional.empty();
		}
	}

	private static EngineException loadError(ModelPackage pkg, DeviceChoice choice, TensorFlowException e) {
		String what = DevicePolicy.isOutOfMemory(e)
				? "out of " + (choice.device() == Device.GPU ? "GPU " : "") + "memory while loading the model"
						+ (choice.device() == Device.GPU ? "; use --device cpu or a smaller model" : "")
				: "TensorFlow cannot load the SavedModel (" + firstLine(e.getMessage())
						+ "); re-export it with TensorFlow 2.x tag \"serve\"";
		return new EngineException(pkg.savedModelDir() + ": " + what, e);
	}

	private static Signature servingSignature(ServingModel model, String source) {
		List<Signature> sigs = model.signatures();
		for (Signature s : sigs)
			if (SavedModelExport.SIGNATURE_KEY.equals(s.key()))
				return s;
		StringBuilder keys = new StringBuilder();
		for (Signature s : sigs)
			keys.append(keys.length() == 0 ? "" : ", ").append(s.key());
		throw new ModelPackageException(source, List.of("the SavedModel has no \"" + SavedModelExport.SIGNATURE_KEY
				+ "\" signature (it has: " + (keys.length() == 0 ? "none" : keys) + "); export it with a "
				+ "serving_default signature"));
	}

	private static String firstLine(String s) {
		if (s == null)
			return "no message";
		int nl = s.indexOf('\n');
		return nl < 0 ? s : s.substring(0, nl);
	}

	/** The package descriptor this engine runs. */
	public ModelDescriptor descriptor() {
		return descriptor;
	}

	/** What runs where (device actually used, threads, signature). */
	public EngineInfo info() {
		return info;
	}

	@Override
	public int inputChannels() {
		return inChannels;
	}

	@Override
	public int outputChannels() {
		return outChannels;
	}

	/**
	 * Runs one batch.
	 *
	 * @throws EngineException if the patch size does not fit the model, TensorFlow fails (out of
	 *         memory: use a smaller batch), or the output has an unexpected shape
	 * @throws IllegalArgumentException if {@code patches} has the wrong length (a caller bug)
	 */
	@Override
	public float[] predict(float[] patches, int batch, int[] patchSize) {
		return predict(patches, batch, patchSize, null);
	}

	/**
	 * Runs one batch, writing the output into {@code reuse} when its length is exactly the output's.
	 *
	 * @throws EngineException as {@link #predict(float[], int, int[])}
	 */
	@Override
	public float[] predict(float[] patches, int batch, int[] patchSize, float[] reuse) {
		if (closed)
			throw new IllegalStateException("engine closed");
		checkPatch(batch, patchSize);
		long voxels = (long) patchSize[0] * patchSize[1] * patchSize[2];
		long inLength = batch * voxels * inChannels;
		if (patches.length != inLength)
			throw new IllegalArgumentException("patches: expected " + inLength + " floats (" + batch + " x "
					+ Arrays.toString(patchSize) + " x " + inChannels + " channels), got " + patches.length);
		long outLength = batch * voxels * outChannels;
		if (outLength > Integer.MAX_VALUE)
			throw new EngineException("batch of " + batch + " patches of " + Arrays.toString(patchSize)
					+ " gives too large an output (" + outLength + " values); use a smaller batch size");
		long[] standard = { batch, patchSize[0], patchSize[1], patchSize[2], inChannels };
		float[] result = reuse != null && reuse.length == outLength ? reuse : new float[(int) outLength];
		try (TFloat32 in = TFloat32.tensorOf(Shape.of(standard), DataBuffers.of(patches, true, false))) {
			if (inTranspose == null)
				runModel(in, batch, patchSize, result);
			else
				try (Result t = inTranspose.run(in)) {
					runModel(t.get(0), batch, patchSize, result);
				}
		} catch (TensorFlowException e) {
			String hint = DevicePolicy.isOutOfMemory(e) ? "out of memory: use a smaller batch size or patch size"
					+ (info.device() == Device.GPU ? ", or --device cpu" : "") : firstLine(e.getMessage());
			throw new EngineException("model \"" + descriptor.name() + "\" failed on a batch of " + batch + " patches "
					+ Arrays.toString(patchSize) + " on " + info.device().label() + ": " + hint, e);
		}
		return result;
	}

	private void runModel(Tensor modelInput, int batch, int[] patchSize, float[] result) {
		try (Result r = function.call(Map.of(info.inputName(), modelInput))) {
			Tensor out = r.get(info.outputName()).orElseThrow(() -> new EngineException("model \""
					+ descriptor.name() + "\": the SavedModel returned no output \"" + info.outputName() + "\""));
			if (outTranspose == null)
				readOutput(out, batch, patchSize, result);
			else
				try (Result t = outTranspose.run(out)) {
					readOutput(t.get(0), batch, patchSize, result);
				}
		}
	}

	private void readOutput(Tensor out, int batch, int[] patchSize, float[] result) {
		long[] expected = { batch, patchSize[0], patchSize[1], patchSize[2], outChannels };
		long[] got = out.shape().asArray();
		if (!(out instanceof TFloat32) || !Arrays.equals(expected, got))
			throw new EngineException("model \"" + descriptor.name() + "\": output \"" + info.outputName() + "\" is "
					+ out.dataType() + " " + Arrays.toString(got) + " in [batch, x, y, z, channel] order, expected "
					+ "float32 " + Arrays.toString(expected) + "; check outputs[0].axes in rdf.yaml");
		out.asRawTensor().data().asFloats().read(result);
	}

	private void checkPatch(int batch, int[] patchSize) {
		if (batch < 1)
			throw new IllegalArgumentException("batch: expected at least 1, got " + batch);
		if (patchSize == null || patchSize.length != 3)
			throw new IllegalArgumentException("patchSize: expected (x, y, z)");
		TensorDescriptor in = descriptor.input();
		for (int k = 0; k < 3; k++) {
			String id = "xyz".substring(k, k + 1);
			AxisSize size = in.axis(id).orElseThrow().size();
			long fixed = info.inputShape() == null ? -1 : info.inputShape()[in.indexOf(id)];
			if (!size.admits(patchSize[k]) || (fixed >= 0 && fixed != patchSize[k]))
				throw new EngineException("patch size " + Arrays.toString(patchSize) + " does not fit model \""
						+ descriptor.name() + "\": its axis " + id + " accepts " + (fixed >= 0 ? fixed : size)
						+ "; use the model's patch size " + descriptor.volseg().patchSize());
		}
		int bi = in.indexOf(AxisType.BATCH);
		long fixedBatch = info.inputShape() == null ? -1 : info.inputShape()[bi];
		if (fixedBatch > 0 && fixedBatch != batch)
			throw new EngineException("model \"" + descriptor.name() + "\" takes batches of exactly " + fixedBatch
					+ " patches, got " + batch + "; set the batch size to " + fixedBatch);
	}

	/** Releases the SavedModel (graph, session, variables). Idempotent. */
	@Override
	public void close() {
		if (closed)
			return;
		closed = true;
		try {
			if (inTranspose != null)
				inTranspose.close();
			if (outTranspose != null)
				outTranspose.close();
		} finally {
			model.close();
		}
	}
}
