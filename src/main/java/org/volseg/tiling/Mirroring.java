package org.volseg.tiling;

import java.util.Locale;

import org.volseg.InvalidParameterException;

/**
 * Mirroring test-time augmentation, as nnU-Net does it: every window is predicted once for each
 * combination of flips along the chosen axes (2, 4 or 8 runs), each output is flipped back, and the
 * raw outputs are averaged before the activation (softmax, sigmoid or argmax) is applied. Immutable.
 *
 * <p>Text form, shared by the command line ({@code --tta none|flips}, {@code --tta-axes x,y,z}), the
 * Fiji settings ({@code tta}, {@code tta_axes}) and model packages ({@code config.volseg.tta},
 * {@code config.volseg.tta_axes}): {@code none}, or {@code flips} with the axes as a comma-separated
 * subset of {@code x}, {@code y}, {@code z} (default all three). Axes are the model grid's.</p>
 */
public final class Mirroring {

	/** No augmentation: one prediction per window. */
	public static final Mirroring NONE = new Mirroring(false, false, false);
	/** All 8 combinations of flips along x, y and z. */
	public static final Mirroring ALL_AXES = new Mirroring(true, true, true);

	private final boolean[] axes;

	private Mirroring(boolean x, boolean y, boolean z) {
		axes = new boolean[] { x, y, z };
	}

	/**
	 * Flips along the given axes.
	 *
	 * @param x flip along x
	 * @param y flip along y
	 * @param z flip along z
	 */
	public static Mirroring of(boolean x, boolean y, boolean z) {
		return new Mirroring(x, y, z);
	}

	/**
	 * Parses the text form.
	 *
	 * @param mode {@code none} or {@code flips} (case-insensitive)
	 * @param axes comma-separated subset of {@code x,y,z}, or null/blank for all three; ignored when
	 *        {@code mode} is {@code none}
	 * @param modeName the caller's name for the mode setting, for error messages ({@code --tta}, {@code tta})
	 * @param axesName the caller's name for the axes setting ({@code --tta-axes}, {@code tta_axes})
	 * @throws InvalidParameterException naming the setting and quoting the bad value
	 */
	public static Mirroring parse(String mode, String axes, String modeName, String axesName) {
		String m = mode == null ? "" : mode.trim().toLowerCase(Locale.ROOT);
		if (m.equals("none"))
			return NONE;
		if (!m.equals("flips"))
			throw InvalidParameterException.of(modeName, mode, "none or flips");
		if (axes == null || axes.isBlank())
			return ALL_AXES;
		boolean[] chosen = new boolean[3];
		for (String part : axes.split(",")) {
			String a = part.trim().toLowerCase(Locale.ROOT);
			int axis = a.equals("x") ? 0 : a.equals("y") ? 1 : a.equals("z") ? 2 : -1;
			if (axis < 0 || chosen[axis])
				throw InvalidParameterException.of(axesName, axes, "a comma-separated subset of x,y,z, each once");
			chosen[axis] = true;
		}
		return new Mirroring(chosen[0], chosen[1], chosen[2]);
	}

	/** Whether windows are predicted more than once. */
	public boolean enabled() {
		return axes[0] || axes[1] || axes[2];
	}

	/** Whether to flip along an axis (0 = x, 1 = y, 2 = z). */
	public boolean flips(int axis) {
		return axes[axis];
	}

	/** Predictions per window: 2 to the number of flipped axes. */
	public int runs() {
		return 1 << ((axes[0] ? 1 : 0) + (axes[1] ? 1 : 0) + (axes[2] ? 1 : 0));
	}

	/** The mode's text form: {@code none} or {@code flips}. */
	public String mode() {
		return enabled() ? "flips" : "none";
	}

	/** The axes' text form, for example {@code x,y,z}; empty when none. */
	public String axesText() {
		StringBuilder s = new StringBuilder();
		for (int a = 0; a < 3; a++)
			if (axes[a])
				s.append(s.length() == 0 ? "" : ",").append("xyz".charAt(a));
		return s.toString();
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof Mirroring m && m.axes[0] == axes[0] && m.axes[1] == axes[1] && m.axes[2] == axes[2];
	}

	@Override
	public int hashCode() {
		return (axes[0] ? 1 : 0) | (axes[1] ? 2 : 0) | (axes[2] ? 4 : 0);
	}

	@Override
	public String toString() {
		return enabled() ? "flips(" + axesText() + ")" : "none";
	}
}
