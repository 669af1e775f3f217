package org.volseg.tiling;

import java.util.Locale;
import java.util.Objects;

import org.volseg.InvalidParameterException;

/**
 * How a volume smaller than the window is extended to the window's size (the sliding window pads
 * only then, symmetrically, as MONAI's {@code sliding_window_inference} does; the padding is
 * cropped from the output). Immutable.
 *
 * <ul>
 * <li>{@link Kind#CONSTANT}: every padded voxel has one value (MONAI {@code padding_mode="constant"}
 * with {@code cval}; the default, with value 0).</li>
 * <li>{@link Kind#EDGE}: the nearest edge voxel is repeated (MONAI/PyTorch {@code "replicate"},
 * numpy {@code "edge"}).</li>
 * <li>{@link Kind#REFLECT}: mirrored about the edge voxel, which is not repeated: a row
 * {@code a b c d} is padded as {@code ... c b | a b c d | c b ...} (PyTorch and numpy
 * {@code "reflect"}; numpy's {@code "symmetric"}, which repeats the edge voxel, is not offered).
 * Where the padding is wider than the volume, the reflection repeats periodically as in numpy
 * (PyTorch refuses that case); an axis of one voxel is padded with that voxel.</li>
 * </ul>
 */
public final class Padding {

	/** The padding rule. */
	public enum Kind {
		CONSTANT, EDGE, REFLECT;

		/** The lower-case name used on the command line: {@code constant}, {@code edge}, {@code reflect}. */
		public String id() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	private static final Padding EDGE = new Padding(Kind.EDGE, 0);
	private static final Padding REFLECT = new Padding(Kind.REFLECT, 0);

	private final Kind kind;
	private final float value;

	private Padding(Kind kind, float value) {
		this.kind = kind;
		this.value = value;
	}

	/**
	 * @param value the value of every padded voxel, finite
	 * @throws InvalidParameterException for NaN or an infinite value
	 */
	public static Padding constant(double value) {
		if (!Double.isFinite(value) || Math.abs(value) > Float.MAX_VALUE)
			throw InvalidParameterException.of("pad value", value, "a finite float32 number");
		return new Padding(Kind.CONSTANT, (float) value);
	}

	/** Repeats the nearest edge voxel. */
	public static Padding edge() {
		return EDGE;
	}

	/** Mirrors about the edge voxel without repeating it (numpy/PyTorch {@code reflect}). */
	public static Padding reflect() {
		return REFLECT;
	}

	/**
	 * @param parameter the user-facing parameter name for the error message, for example {@code --pad}
	 * @param text {@code constant}, {@code edge} or {@code reflect} (case-insensitive)
	 * @param constantValue the value used when {@code text} is {@code constant}
	 */
	public static Padding parse(String parameter, String text, double constantValue) {
		String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
		switch (t) {
		case "constant":
			return constant(constantValue);
		case "edge":
			return edge();
		case "reflect":
			return reflect();
		default:
			throw InvalidParameterException.of(parameter, text, "constant, edge or reflect");
		}
	}

	public Kind kind() {
		return kind;
	}

	/** The padded voxels' value for {@link Kind#CONSTANT}; 0 otherwise. */
	public float value() {
		return value;
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof Padding && ((Padding) o).kind == kind
				&& Float.floatToIntBits(((Padding) o).value) == Float.floatToIntBits(value);
	}

	@Override
	public int hashCode() {
		return Objects.hash(kind, value);
	}

	@Override
	public String toString() {
		return kind == Kind.CONSTANT ? "constant(" + value + ")" : kind.id();
	}
}
