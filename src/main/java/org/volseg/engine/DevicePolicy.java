package org.volseg.engine;

import org.volseg.runtime.Device;
import java.util.Locale;
import java.util.Optional;

/**
 * The device decision, as pure logic (testable without a GPU):
 * <ul>
 * <li>{@code cpu}: the CPU.</li>
 * <li>{@code gpu}: the GPU if TensorFlow's CUDA build lists one, else an {@link EngineException}
 * saying what is missing (the GPU build, or a GPU / CUDA 12 / cuDNN 9).</li>
 * <li>{@code auto}: the GPU if listed, else the CPU; if loading on the GPU fails (out of GPU
 * memory, CUDA errors), once more on the CPU. Each fallback carries its reason.</li>
 * </ul>
 * Stateless.
 */
final class DevicePolicy {

	private DevicePolicy() {
	}

	/**
	 * The first device to try.
	 *
	 * @throws EngineException if {@code gpu} is requested and none is available
	 */
	public static DeviceChoice choose(Device requested, DeviceAvailability available) {
		switch (requested) {
			case CPU:
				return new DeviceChoice(Device.CPU, "cpu requested");
			case GPU:
				if (available.hasGpu())
					return new DeviceChoice(Device.GPU, "gpu requested; using " + available.gpus().get(0));
				throw new EngineException("--device gpu: " + whyNoGpu(available)
						+ "; use --device cpu or --device auto");
			default:
				if (available.hasGpu())
					return new DeviceChoice(Device.GPU, "auto: using " + available.gpus().get(0));
				return new DeviceChoice(Device.CPU, "auto: " + whyNoGpu(available) + "; using the CPU");
		}
	}

	/**
	 * What to do after loading failed on {@code tried}: the CPU, if {@code auto} was requested and the
	 * GPU failed; nothing (the caller reports the error) otherwise.
	 */
	public static Optional<DeviceChoice> fallbackAfter(Device requested, DeviceChoice tried, Throwable error) {
		if (requested != Device.AUTO || tried.device() != Device.GPU)
			return Optional.empty();
		String why = isOutOfMemory(error) ? "out of GPU memory while loading the model"
				: "loading on the GPU failed (" + firstLine(error) + ")";
		return Optional.of(new DeviceChoice(Device.CPU, "auto: " + why + "; falling back to the CPU"));
	}

	/** Whether TensorFlow reported an out-of-memory (resource exhausted) error. */
	public static boolean isOutOfMemory(Throwable error) {
		for (Throwable t = error; t != null; t = t.getCause()) {
			String name = t.getClass().getSimpleName();
			String msg = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
			if (name.contains("ResourceExhausted") || t instanceof OutOfMemoryError || msg.contains("out of memory")
					|| msg.contains("oom when allocating") || msg.contains("resource exhausted"))
				return true;
		}
		return false;
	}

	static String whyNoGpu(DeviceAvailability a) {
		if (!a.cudaBuild())
			return "this installation has TensorFlow's CPU-only native library (build with -Pgpu for the CUDA "
					+ "build, Linux x86_64 with CUDA 12 and cuDNN 9)";
		return "TensorFlow's CUDA build lists no GPU" + (a.problem() == null ? "" : " (" + a.problem() + ")")
				+ "; check the NVIDIA driver, CUDA 12 and cuDNN 9";
	}

	private static String firstLine(Throwable t) {
		String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
		int nl = m.indexOf('\n');
		return nl < 0 ? m : m.substring(0, nl);
	}
}
