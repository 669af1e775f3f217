package org.volseg.engine;

import org.volseg.runtime.Device;

/**
 * The device the engine runs on and why.
 *
 * @param device {@link Device#CPU} or {@link Device#GPU}, never {@link Device#AUTO}
 * @param reason one line for logs and results, for example
 *        {@code "auto: no GPU listed by TensorFlow's CUDA build; using the CPU"}
 */
record DeviceChoice(Device device, String reason) {

	public DeviceChoice {
		if (device == Device.AUTO)
			throw new IllegalArgumentException("a device choice is cpu or gpu");
	}
}
