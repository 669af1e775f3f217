package org.volseg.tiling;

import java.util.Locale;

import org.volseg.InvalidParameterException;

/**
 * How the outputs of overlapping windows are weighted before they are summed, as MONAI's
 * {@code BlendMode}. See {@link ImportanceMap} for the weights.
 */
public enum BlendMode {

	/** Every voxel of a window has weight 1: overlapping outputs are averaged. MONAI's default. */
	CONSTANT,

	/** Voxels near a window's centre weigh more than voxels near its faces (a separable gaussian). */
	GAUSSIAN;

	/** The lower-case name used on the command line and in MONAI: {@code constant} or {@code gaussian}. */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * @param parameter the user-facing parameter name for the error message, for example {@code --blend}
	 * @param text {@code constant} or {@code gaussian} (case-insensitive)
	 * @throws InvalidParameterException for anything else
	 */
	public static BlendMode parse(String parameter, String text) {
		if (text != null)
			for (BlendMode m : values())
				if (m.id().equals(text.trim().toLowerCase(Locale.ROOT)))
					return m;
		throw InvalidParameterException.of(parameter, text, "constant or gaussian");
	}
}
