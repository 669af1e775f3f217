package org.volseg.nets;

import java.util.Map;

/**
 * What every {@link Network} holds the same way: its architecture's registry name, its resolved
 * keyword arguments and its channel counts. Subclasses add the graph. Immutable.
 */
public abstract class ConfiguredNetwork implements Network {

	private final String architecture;
	private final Map<String, Object> config;
	private final int inputChannels;
	private final int outputChannels;

	/**
	 * @param architecture the registry name ({@link Architecture#name()})
	 * @param config the complete keyword arguments, defaults filled in (kept as given: pass an
	 *        unmodifiable map)
	 * @param inputChannels channels of each input voxel
	 * @param outputChannels channels of each output voxel
	 */
	protected ConfiguredNetwork(String architecture, Map<String, Object> config, int inputChannels, int outputChannels) {
		this.architecture = architecture;
		this.config = config;
		this.inputChannels = inputChannels;
		this.outputChannels = outputChannels;
	}

	@Override
	public final String architecture() {
		return architecture;
	}

	@Override
	public final Map<String, Object> config() {
		return config;
	}

	@Override
	public final int inputChannels() {
		return inputChannels;
	}

	@Override
	public final int outputChannels() {
		return outputChannels;
	}
}
