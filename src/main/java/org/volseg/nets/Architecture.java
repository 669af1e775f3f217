package org.volseg.nets;

import java.util.Map;

/**
 * A network family that VolSeg can build (UNETR, SegFormer3D), configured by the keyword
 * arguments of its reference implementation's constructor. Implementations are stateless.
 */
public interface Architecture {

	/** Registry name used on the command line ({@code --arch}) and in model packages, lower case. */
	String name();

	/** The reference implementation, for example {@code "MONAI monai.networks.nets.UNETR"}. */
	String reference();

	/**
	 * A network for the given keyword arguments.
	 *
	 * @param kwargs JSON-compatible values as parsed by {@link Json}; missing arguments take the
	 *        reference's defaults
	 * @throws org.volseg.InvalidParameterException naming the argument if one is unknown, has the
	 *         wrong type or a value the reference would refuse
	 */
	Network configure(Map<String, Object> kwargs);

	/** Named configurations of published models (name -> keyword arguments). */
	Map<String, Map<String, Object>> presets();

	/**
	 * The keyword arguments with those that follow from training data set: the number of input
	 * channels, the number of classes and, for networks built for one input size, the patch size.
	 * The default sets MONAI's {@code in_channels} and {@code out_channels}.
	 *
	 * @param kwargs the user's arguments (not modified)
	 * @param patchSize training patch size (d0, d1, d2)
	 * @return a new map
	 */
	default Map<String, Object> withDataShape(Map<String, Object> kwargs, int inputChannels, int classes, int[] patchSize) {
		Map<String, Object> k = new java.util.LinkedHashMap<>(kwargs);
		k.put("in_channels", (long) inputChannels);
		k.put("out_channels", (long) classes);
		return k;
	}
}
