package org.volseg.pipeline;

import java.util.Locale;

import org.volseg.InvalidParameterException;
import org.volseg.runtime.Device;
import org.volseg.tiling.BlendMode;
import org.volseg.tiling.Mirroring;
import org.volseg.tiling.Padding;

/**
 * The one parser of VolSeg's text settings, for the command line ({@code volseg segment},
 * {@code volseg batch}), the Fiji commands and the macro API. Each setting has one key
 * ({@code roi}, {@code overlap}, {@code blend}, {@code sigma_scale}, {@code device}, {@code batch},
 * {@code threads}, {@code series}, {@code min_component_size}, {@code threshold}, {@code pad},
 * {@code display}, {@code opacity}, ...); an error names it as the caller knows it: {@code --roi},
 * {@code --min-component-size} on the command line ({@link Style#CLI}), {@code roi},
 * {@code min_component_size} in Fiji and macros ({@link Style#FIJI}).
 *
 * <p>Numbers are read as ImageJ writes them: {@code Dialog.getNumber} gives {@code 40.0} for 40, so
 * an integer setting accepts {@code 40}, {@code 40.0} and {@code 4e1}, and refuses {@code 40.5}.
 * Blank text (and {@code model} where a model default exists) means "the model's value".
 * Stateless, thread-safe.</p>
 */
public final class SettingText {

	/** How a caller names settings in error messages. */
	public enum Style {
		/** {@code --min-component-size}. */
		CLI,
		/** {@code min_component_size}. */
		FIJI;

		/** The setting {@code key} ({@code snake_case}) as this caller writes it. */
		public String name(String key) {
			return this == CLI ? "--" + key.replace('_', '-') : key;
		}
	}

	/** The command line's naming. */
	public static final SettingText CLI = new SettingText(Style.CLI);

	/** Fiji's and the macro API's naming. */
	public static final SettingText FIJI = new SettingText(Style.FIJI);

	private final Style style;

	private SettingText(Style style) {
		this.style = style;
	}

	/** The setting {@code key} as this caller writes it. */
	public String name(String key) {
		return style.name(key);
	}

	private static boolean modelDefault(String text) {
		return text == null || text.isBlank() || text.trim().equalsIgnoreCase("model");
	}

	/** {@code X,Y,Z} ({@code x} or spaces also separate) or one number for a cube, each at least 1; blank/{@code model}: null. */
	public int[] roi(String text) {
		if (modelDefault(text))
			return null;
		String[] parts = text.trim().split("\\s*[,x ]\\s*");
		if (parts.length == 1 || parts.length == 3) {
			int[] roi = new int[3];
			for (int i = 0; i < 3; i++) {
				Double v = parse(parts[parts.length == 1 ? 0 : i]);
				if (v == null || v != Math.rint(v) || v < 1 || v > Integer.MAX_VALUE)
					roi = null;
				if (roi == null)
					break;
				roi[i] = v.intValue();
			}
			if (roi != null)
				return roi;
		}
		throw InvalidParameterException.of(name("roi"), text, "three window sizes X,Y,Z of at least 1 (for example 96,96,96), "
				+ "one size for a cube, or blank for the model's");
	}

	/** A number in [0, 1); blank/{@code model}: null. */
	public Double overlap(String text) {
		if (modelDefault(text))
			return null;
		Double v = parse(text);
		if (v == null || !(v >= 0 && v < 1))
			throw InvalidParameterException.of(name("overlap"), text, "a number in [0, 1) (for example 0.5), or blank for the model's");
		return v;
	}

	/** {@code constant} or {@code gaussian}; blank/{@code model}: null. */
	public BlendMode blend(String text) {
		return modelDefault(text) ? null : BlendMode.parse(name("blend"), text);
	}

	/**
	 * Test-time mirroring: {@code none} or {@code flips} with optional axes (a subset of {@code x,y,z},
	 * default all); a blank or {@code model} mode gives null (the model's default), and axes without
	 * {@code flips} are refused.
	 */
	public Mirroring tta(String mode, String axes) {
		boolean axesGiven = axes != null && !axes.isBlank();
		if (modelDefault(mode)) {
			if (axesGiven)
				throw InvalidParameterException.of(name("tta_axes"), axes, "to be given with " + name("tta") + " flips");
			return null;
		}
		Mirroring m = Mirroring.parse(mode, axes, name("tta"), name("tta_axes"));
		if (!m.enabled() && axesGiven)
			throw InvalidParameterException.of(name("tta_axes"), axes, "to be given with " + name("tta")
					+ " flips, not none");
		return m;
	}

	/** {@code cpu}, {@code gpu} or {@code auto}; blank: auto. */
	public Device device(String text) {
		return text == null || text.isBlank() ? Device.AUTO : Device.parse(text, name("device"));
	}

	/** {@code constant}, {@code edge} or {@code reflect}, with the value of constant padding. */
	public Padding padding(String text, double value) {
		return Padding.parse(name("pad"), text == null || text.isBlank() ? "constant" : text, value);
	}

	/**
	 * An integer from {@code min} to {@code max}; {@code 40.0} (as ImageJ's dialogs write numbers) is 40.
	 *
	 * @throws InvalidParameterException naming the setting, for a fraction, text or a value out of range
	 */
	public int integer(String key, String text, int min, int max) {
		Double v = parse(text);
		String range = max == Integer.MAX_VALUE ? "of at least " + min : "from " + min + " to " + max;
		if (v == null)
			throw InvalidParameterException.of(name(key), text, "an integer " + range);
		if (v != Math.rint(v))
			throw InvalidParameterException.of(name(key), text, "an integer " + range + " (no fraction)");
		if (v < min || v > max)
			throw InvalidParameterException.of(name(key), text, "an integer " + range);
		return v.intValue();
	}

	/** A finite number from {@code min} to {@code max} (both included). */
	public double number(String key, String text, double min, double max) {
		Double v = parse(text);
		if (v == null || v < min || v > max)
			throw InvalidParameterException.of(name(key), text, "a number from " + min + " to " + max);
		return v;
	}

	/** {@code true/false}, {@code yes/no}, {@code on/off}, {@code 1/0}. */
	public boolean flag(String key, String text) {
		switch (text == null ? "" : text.trim().toLowerCase(Locale.ROOT)) {
		case "true": case "yes": case "1": case "on":
			return true;
		case "false": case "no": case "0": case "off":
			return false;
		default:
			throw InvalidParameterException.of(name(key), text, "true or false");
		}
	}

	private static Double parse(String text) {
		if (text == null || text.isBlank())
			return null;
		try {
			double v = Double.parseDouble(text.trim());
			return Double.isFinite(v) ? v : null;
		} catch (NumberFormatException e) {
			return null;
		}
	}
}
