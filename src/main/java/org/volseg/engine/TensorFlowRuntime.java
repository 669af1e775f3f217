package org.volseg.engine;

import java.nio.file.Path;

import org.tensorflow.TensorFlow;
import org.volseg.model.ModelPackage;
import org.volseg.runtime.Device;
import org.volseg.runtime.EngineOptions;
import org.volseg.runtime.EngineRuntime;
import org.volseg.runtime.LoadedNetwork;

/**
 * The {@link EngineRuntime} of TensorFlow Java: {@link Engine} behind the plain-type boundary. Listed
 * in {@code META-INF/services/org.volseg.runtime.EngineRuntime} of the engine jar. Stateless.
 */
public final class TensorFlowRuntime implements EngineRuntime {

	@Override
	public LoadedNetwork load(Path modelPackage, String device, int intraOpThreads, int interOpThreads) {
		EngineOptions options = new EngineOptions(Device.parse(device, "device"), intraOpThreads, interOpThreads);
		return new Loaded(Engine.load(modelPackage, options));
	}

	@Override
	public void verify(Path modelPackage) {
		try (ModelPackage pkg = ModelPackage.open(modelPackage)) {
			Engine.verify(pkg);
		}
	}

	@Override
	public String tensorflowVersion() {
		return TensorFlow.version();
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
