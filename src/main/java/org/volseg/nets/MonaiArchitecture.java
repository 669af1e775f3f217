package org.volseg.nets;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * An {@link Architecture} whose reference is a MONAI network class
 * ({@code monai.networks.nets.<class>}): its registry name, its reference and how its keyword
 * arguments become a {@link Network} (read through a {@link Kwargs} named after the architecture,
 * so that errors say {@code "<name> config.<key>"}). Subclasses add presets and data-shape rules.
 * Stateless.
 */
public abstract class MonaiArchitecture implements Architecture {

	private final String name;
	private final String monaiClass;
	private final Function<Kwargs, Network> build;

	/**
	 * @param name the registry name, for example {@code "unet"}
	 * @param monaiClass the class in {@code monai.networks.nets}, for example {@code "UNet"}
	 * @param build parses the keyword arguments and builds the network
	 */
	protected MonaiArchitecture(String name, String monaiClass, Function<Kwargs, Network> build) {
		this.name = Objects.requireNonNull(name);
		this.monaiClass = Objects.requireNonNull(monaiClass);
		this.build = Objects.requireNonNull(build);
	}

	@Override
	public final String name() {
		return name;
	}

	@Override
	public final String reference() {
		return "MONAI monai.networks.nets." + monaiClass;
	}

	@Override
	public final Network configure(Map<String, Object> kwargs) {
		return build.apply(new Kwargs(name, kwargs));
	}
}
