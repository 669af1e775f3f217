package org.volseg.engine;

import org.volseg.runtime.Device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.tensorflow.exceptions.TFResourceExhaustedException;
import org.volseg.InvalidParameterException;

class DevicePolicyTest {

	private static final DeviceAvailability GPU = new DeviceAvailability(true, List.of("/device:GPU:0"), null);
	private static final DeviceAvailability CUDA_NO_GPU = new DeviceAvailability(true, List.of(),
			"cuInit failed: no CUDA-capable device is detected");
	private static final DeviceAvailability CPU_BUILD = DeviceAvailability.cpuOnly();

	@Test
	void autoUsesTheGpuWhenListed() {
		DeviceChoice c = DevicePolicy.choose(Device.AUTO, GPU);
		assertEquals(Device.GPU, c.device());
		assertEquals("auto: using /device:GPU:0", c.reason());
	}

	@Test
	void autoFallsBackToTheCpuWithTheReason() {
		DeviceChoice c = DevicePolicy.choose(Device.AUTO, CPU_BUILD);
		assertEquals(Device.CPU, c.device());
		assertTrue(c.reason().contains("CPU-only native library"), c.reason());
		DeviceChoice d = DevicePolicy.choose(Device.AUTO, CUDA_NO_GPU);
		assertEquals(Device.CPU, d.device());
		assertTrue(d.reason().contains("lists no GPU (cuInit failed"), d.reason());
	}

	@Test
	void gpuRequestedWithoutGpuIsAnError() {
		EngineException e = assertThrows(EngineException.class, () -> DevicePolicy.choose(Device.GPU, CUDA_NO_GPU));
		assertTrue(e.getMessage().startsWith("--device gpu: TensorFlow's CUDA build lists no GPU"), e.getMessage());
		assertThrows(EngineException.class, () -> DevicePolicy.choose(Device.GPU, CPU_BUILD));
		assertEquals(Device.GPU, DevicePolicy.choose(Device.GPU, GPU).device());
	}

	@Test
	void cpuIsAlwaysTheCpu() {
		assertEquals(Device.CPU, DevicePolicy.choose(Device.CPU, GPU).device());
	}

	@Test
	void outOfMemoryOnTheGpuFallsBackToTheCpuOnlyForAuto() {
		DeviceChoice tried = DevicePolicy.choose(Device.AUTO, GPU);
		Exception oom = new TFResourceExhaustedException("OOM when allocating tensor with shape[1,96,96,96,32]");
		Optional<DeviceChoice> f = DevicePolicy.fallbackAfter(Device.AUTO, tried, oom);
		assertEquals(Device.CPU, f.orElseThrow().device());
		assertEquals("auto: out of GPU memory while loading the model; falling back to the CPU", f.get().reason());
		Optional<DeviceChoice> other = DevicePolicy.fallbackAfter(Device.AUTO, tried, new RuntimeException("CUDA_ERROR_LAUNCH_FAILED\nmore"));
		assertEquals("auto: loading on the GPU failed (CUDA_ERROR_LAUNCH_FAILED); falling back to the CPU",
				other.orElseThrow().reason());
		assertFalse(DevicePolicy.fallbackAfter(Device.GPU, DevicePolicy.choose(Device.GPU, GPU), oom).isPresent());
		assertFalse(DevicePolicy.fallbackAfter(Device.AUTO, DevicePolicy.choose(Device.AUTO, CPU_BUILD), oom).isPresent());
	}

	@Test
	void recognisesOutOfMemoryErrors() {
		assertTrue(DevicePolicy.isOutOfMemory(new RuntimeException("wrap", new TFResourceExhaustedException("x"))));
		assertTrue(DevicePolicy.isOutOfMemory(new RuntimeException("CUDA_ERROR_OUT_OF_MEMORY: out of memory")));
		assertFalse(DevicePolicy.isOutOfMemory(new RuntimeException("Invalid argument: shape mismatch")));
	}

	@Test
	void parsesDeviceNames() {
		assertEquals(Device.GPU, Device.parse(" GPU ", "--device"));
		InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> Device.parse("tpu", "--device"));
		assertEquals("--device: expected cpu, gpu or auto, got tpu", e.getMessage());
	}

	@Test
	void thisBuildIsTheCpuBuild() {
		// the test class path carries the linux-x86_64 (CPU) classifier: the probe must say so
		assertFalse(NativeDevices.isCudaBuild());
		assertFalse(NativeDevices.probe().hasGpu());
	}
}
