package org.volseg.engine;

import java.util.List;

/**
 * What the TensorFlow native library on this machine can use.
 *
 * @param cudaBuild whether the native build is TensorFlow's CUDA build (the {@code linux-x86_64-gpu}
 *        classifier of {@code tensorflow-core-native})
 * @param gpus names of the GPU devices TensorFlow lists (for example {@code /device:GPU:0}); empty
 *        without a CUDA build, without a GPU, or without a usable CUDA 12 / cuDNN 9 installation
 * @param problem why GPUs could not be listed, or {@code null}
 */
record DeviceAvailability(boolean cudaBuild, List<String> gpus, String problem) {

	public DeviceAvailability {
		gpus = List.copyOf(gpus);
	}

	/** A CPU-only machine or build. */
	public static DeviceAvailability cpuOnly() {
		return new DeviceAvailability(false, List.of(), null);
	}

	public boolean hasGpu() {
		return cudaBuild && !gpus.isEmpty();
	}
}
