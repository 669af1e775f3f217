package org.volseg.runtime;

import java.util.Locale;

import org.volseg.InvalidParameterException;

/** Where a model runs: the choice a user makes ({@code --device cpu|gpu|auto}). */
public enum Device {
	/** The CPU (always available). */
	CPU,
	/** An NVIDIA GPU through TensorFlow's CUDA build; an error if there is none. */
	GPU,
	/** The GPU when there is one and the model fits, else the CPU (with the reason logged). */
	AUTO;

	/** The lower-case name used on command lines and in logs. */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Parses {@code cpu}, {@code gpu} or {@code auto} (any case).
	 *
	 * @param parameter the parameter's name for the error message, for example {@code --device}
	 * @throws InvalidParameterException for anything else
	 */
	public static Device parse(String value, String parameter) {
		if (value != null)
			for (Device d : values())
				if (d.label().equals(value.trim().toLowerCase(Locale.ROOT)))
					return d;
		throw InvalidParameterException.of(parameter, value, "cpu, gpu or auto");
	}
}
