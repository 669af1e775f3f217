package org.volseg.engine.service;

import org.volseg.engine.Engine;
import org.volseg.engine.NativeLibrary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.volseg.bundle.BundleCache;
import org.volseg.bundle.BundleSource;
import org.volseg.model.ModelPackage;
import org.volseg.runtime.Device;
import org.volseg.runtime.EngineOptions;
import org.volseg.runtime.EngineRuntime;
import org.volseg.runtime.FineTuneRequest;
import org.volseg.runtime.LoadedNetwork;
import org.volseg.train.FineTuning;

/**
 * The {@link EngineRuntime} of TensorFlow Java: {@link Engine} behind the plain-type boundary. Listed
 * in {@code META-INF/services/org.volseg.runtime.EngineRuntime} of the engine jar. Stateless.
 */
public final class TensorFlowRuntime implements EngineRuntime {

	@Override
	public LoadedNetwork load(Path modelPackage, String device, int intraOpThreads, int interOpThreads,
			boolean trustModel) {
		EngineOptions options = new EngineOptions(Device.parse(device, "device"), intraOpThreads, interOpThreads,
				trustModel);
		return new Loaded(Engine.load(modelPackage, options));
	}

	@Override
	public void verify(Path modelPackage, boolean trustModel) {
		try (ModelPackage pkg = ModelPackage.open(modelPackage)) {
			Engine.verify(pkg, trustModel);
		}
	}

	@Override
	public Path packageFor(Path modelOrBundle, Consumer<String> progress, Consumer<String> warnings) {
		return BundleCache.packageFor(BundleSource.rootOf(modelOrBundle), progress, warnings);
	}

	@Override
	public FineTuneRequest.Outcome fineTune(FineTuneRequest r) throws IOException {
		FineTuning ft = new FineTuning(r.model()).steps(r.steps()).learningRate(r.learningRate()).name(r.name())
				.cancel(r.cancel()).progress(r.progress()).log(r.log());
		FineTuning.Result result = r.fromFolders() ? ft.run(r.imagesFolder(), r.labelsFolder(), r.modelsFolder())
				: ft.run(r.scans(), r.labels(), r.modelsFolder());
		return new FineTuneRequest.Outcome(result.name(), result.installed(), result.report().bestMeanForegroundDice());
	}

	@Override
	public String tensorflowVersion() {
		return NativeLibrary.load();
	}

	/** An {@link Engine} as a {@link LoadedNetwork}; every call goes straight to the engine. */
	private static final class Loaded implements LoadedNetwork {

		private final Engine engine;

		Loaded(Engine engine) {
			this.engine = engine;
		}

		@Override
		public int inputChannels() {
			return engine.inputChannels();
		}

		@Override
		public int outputChannels() {
			return engine.outputChannels();
		}

		@Override
		public float[] predict(float[] patches, int batch, int[] patchSize) {
			return engine.predict(patches, batch, patchSize);
		}

		@Override
		public float[] predict(float[] patches, int batch, int[] patchSize, float[] reuse) {
			return engine.predict(patches, batch, patchSize, reuse);
		}

		@Override
		public String device() {
			return engine.info().device().label();
		}

		@Override
		public String summary() {
			return engine.info().summary();
		}

		@Override
		public void close() {
			engine.close();
		}
	}
}
