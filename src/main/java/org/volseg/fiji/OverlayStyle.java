package org.volseg.fiji;

import java.util.Locale;

import org.volseg.InvalidParameterException;

/** How labels are drawn on the scan: filled with transparency, as outlines, or not at all. */
enum OverlayStyle {
	/** Each label's area filled with its colour, at the chosen opacity; background transparent. */
	FILLED,
	/** Each label's boundary on each slice, in its colour. */
	OUTLINES,
	/** No overlay. */
	NONE;

	/** The lower-case name used in dialogs and macro options. */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Parses {@code filled}, {@code outlines} (also {@code outline}) or {@code none}, any case.
	 *
	 * @throws InvalidParameterException naming {@code parameter} for anything else
	 */
	public static OverlayStyle parse(String parameter, String text) {
		String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
		if (t.equals("outline"))
			return OUTLINES;
		for (OverlayStyle s : values())
			if (s.id().equals(t))
				return s;
		throw InvalidParameterException.of(parameter, text, "filled, outlines or none");
	}
}
