package org.volseg.nets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.volseg.InvalidParameterException;
import org.volseg.nets.segformer.SegFormer3d;
import org.volseg.nets.swinunetr.SwinUnetr;
import org.volseg.nets.segresnet.SegResNet;
import org.volseg.nets.unet.Unet;
import org.volseg.nets.unetr.Unetr;

/** The architectures VolSeg can build, by name. Thread-safe (immutable). */
public final class Architectures {

	private static final Map<String, Architecture> BY_NAME = new LinkedHashMap<>();

	static {
		// One line per architecture.
		register(new Unetr());
		register(new SegFormer3d());
		register(new SwinUnetr());
		register(new Unet());
		register(new SegResNet());
	}

	private Architectures() {
	}

	private static void register(Architecture a) {
		BY_NAME.put(a.name(), a);
	}

	/** Registered names, in registration order. */
	public static List<String> names() {
		return new ArrayList<>(BY_NAME.keySet());
	}

	/**
	 * The architecture with this name (case-insensitive).
	 *
	 * @throws InvalidParameterException naming {@code --arch} and the known names
	 */
	public static Architecture byName(String name) {
		Architecture a = name == null ? null : BY_NAME.get(name.toLowerCase(Locale.ROOT));
		if (a == null) throw InvalidParameterException.of("--arch", name, "one of " + String.join(", ", names()));
		return a;
	}
}
