package org.volseg.nets.blocks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.volseg.InvalidParameterException;
import org.volseg.util.Json;
import org.volseg.nets.Init;
import org.volseg.nets.Kwargs;
import org.volseg.nets.Layers;

/**
 * MONAI's {@code norm_name} argument ({@code monai.networks.layers.utils.get_norm_layer} with 3
 * spatial dimensions) and the layer it names, applied to channels-last volumes
 * {@code [batch, d0, d1, d2, channel]} in eval mode.
 *
 * <p>Accepted forms: a name, or {@code [name, {arguments}]} (JSON for Python's
 * {@code (name, {args})}). Names and arguments:</p>
 * <ul>
 * <li>{@code instance}: {@code InstanceNorm3d}; {@code affine} (false), {@code eps} (1e-5),
 * {@code momentum} (unused), {@code track_running_stats} false only;</li>
 * <li>{@code batch}: {@code BatchNorm3d} with running statistics; {@code affine} must stay true,
 * {@code eps}, {@code momentum} (unused), {@code track_running_stats} true only;</li>
 * <li>{@code group}: {@code GroupNorm}; {@code num_groups} (required, divides the channels),
 * {@code affine} (true), {@code eps};</li>
 * <li>{@code layer}: {@code LayerNorm} on the channels-first tensor; {@code normalized_shape}
 * (required: the trailing 1 to 4 sizes of {@code [channel, d0, d1, d2]}),
 * {@code elementwise_affine} (true), {@code eps}.</li>
 * </ul>
 * Immutable.
 */
public final class Norms {

	/** A parsed {@code norm_name}. */
	public static final class Spec {
		private final String name;
		private final boolean affine;
		private final double eps;
		private final int numGroups;
		private final long[] normalizedShape;
		private final String given;

		private Spec(String name, boolean affine, double eps, int numGroups, long[] normalizedShape, String given) {
			this.name = name;
			this.affine = affine;
			this.eps = eps;
			this.numGroups = numGroups;
			this.normalizedShape = normalizedShape;
			this.given = given;
		}

		/** The norm's name, lower case: {@code instance}, {@code batch}, {@code group} or {@code layer}. */
		public String name() {
			return name;
		}

		/** Whether the layer has a learnt scale and shift. */
		public boolean affine() {
			return affine;
		}

		/** The epsilon added to the variance. */
		public double eps() {
			return eps;
		}
	}

	private Norms() {
	}

	/** MONAI's default for the UNETR family: {@code "instance"} (no affine parameters, eps 1e-5). */
	public static Spec instance() {
		return new Spec("instance", false, 1e-5, 0, null, "\"instance\"");
	}

	/**
	 * Parses a {@code norm_name} value.
	 *
	 * @param k the keyword arguments being read, for error messages
	 * @param key the argument's name, for example {@code norm_name}
	 * @param value a String or a two-element list {@code [name, {arguments}]}
	 * @throws InvalidParameterException naming {@code key} for an unknown norm or argument
	 */
	public static Spec parse(Kwargs k, String key, Object value) {
		String name;
		Map<?, ?> args = Map.of();
		String given = Json.writeCompact(value);
		if (value instanceof String) {
			name = (String) value;
		} else if (value instanceof List && ((List<?>) value).size() == 2 && ((List<?>) value).get(0) instanceof String
				&& ((List<?>) value).get(1) instanceof Map) {
			name = (String) ((List<?>) value).get(0);
			args = (Map<?, ?>) ((List<?>) value).get(1);
		} else if (value instanceof List && ((List<?>) value).size() == 1 && ((List<?>) value).get(0) instanceof String) {
			name = (String) ((List<?>) value).get(0);
		} else {
			throw k.invalid(key, given, "\"instance\", \"batch\", \"group\", \"layer\" or [name, {arguments}]");
		}
		name = name.toLowerCase(Locale.ROOT);
		if (!List.of("instance", "batch", "group", "layer").contains(name)) {
			throw k.invalid(key, given, "\"instance\", \"batch\", \"group\" or \"layer\" (other norms are not supported)");
		}
		boolean affine = !name.equals("instance");
		double eps = 1e-5;
		int groups = 0;
		long[] normalizedShape = null;
		for (Map.Entry<?, ?> e : args.entrySet()) {
			String a = String.valueOf(e.getKey());
			Object v = e.getValue();
			boolean ok;
			switch (a) {
				case "eps":
					ok = v instanceof Number && ((Number) v).doubleValue() >= 0;
					if (ok) eps = ((Number) v).doubleValue();
					break;
				case "affine":
					ok = !name.equals("layer") && v instanceof Boolean;
					if (ok) affine = (Boolean) v;
					break;
				case "elementwise_affine":
					ok = name.equals("layer") && v instanceof Boolean;
					if (ok) affine = (Boolean) v;
					break;
				case "momentum":
					ok = (name.equals("instance") || name.equals("batch")) && (v == null || v instanceof Number);
					break;
				case "track_running_stats":
					ok = (name.equals("instance") || name.equals("batch")) && Boolean.valueOf(name.equals("batch")).equals(v);
					break;
				case "num_groups":
					ok = name.equals("group") && isWhole(v) && ((Number) v).intValue() > 0;
					if (ok) groups = ((Number) v).intValue();
					break;
				case "normalized_shape":
					normalizedShape = name.equals("layer") ? shape(v) : null;
					ok = normalizedShape != null;
					break;
				default:
					ok = false;
			}
			if (!ok) {
				throw k.invalid(key, given, "supported " + name + " norm arguments (" + a + "=" + Json.writeCompact(v)
						+ " is not supported)");
			}
		}
		if (name.equals("batch") && !affine) {
			throw k.invalid(key, given, "batch norm with affine parameters (affine=false is not supported)");
		}
		if (name.equals("group") && groups == 0) throw k.invalid(key, given, "[\"group\", {\"num_groups\": N}]");
		if (name.equals("layer") && normalizedShape == null) {
			throw k.invalid(key, given, "[\"layer\", {\"normalized_shape\": [...]}]");
		}
		return new Spec(name, affine, eps, groups, normalizedShape, given);
	}

	private static boolean isWhole(Object v) {
		return v instanceof Number && ((Number) v).doubleValue() == Math.rint(((Number) v).doubleValue());
	}

	private static long[] shape(Object v) {
		List<?> l = v instanceof List ? (List<?>) v : isWhole(v) ? List.of(v) : null;
		if (l == null || l.isEmpty() || l.size() > 4) return null;
		long[] s = new long[l.size()];
		for (int i = 0; i < s.length; i++) {
			if (!isWhole(l.get(i)) || ((Number) l.get(i)).longValue() <= 0) return null;
			s[i] = ((Number) l.get(i)).longValue();
		}
		return s;
	}

	/**
	 * The norm layer {@code prefix} (keys {@code prefix.weight}, {@code prefix.bias}, and for batch
	 * norm {@code prefix.running_mean}, {@code prefix.running_var}) on {@code x}
	 * {@code [batch, d0, d1, d2, channel]} with static d0..d2 and channel.
	 *
	 * @throws InvalidParameterException if group or layer norm arguments do not fit the tensor
	 */
	public static Operand<TFloat32> apply(Layers l, Spec s, String prefix, Operand<TFloat32> x) {
		switch (s.name) {
			case "batch":
				return l.batchNorm(prefix, x, s.eps);
			case "group":
				return groupNorm(l, s, prefix, x);
			case "layer":
				return layerNorm(l, s, prefix, x);
			default:
				return l.instanceNorm3d(prefix, x, s.affine, s.eps);
		}
	}

	/** PyTorch {@code GroupNorm}: statistics per sample and group of consecutive channels, over d0..d2. */
	private static Operand<TFloat32> groupNorm(Layers l, Spec s, String prefix, Operand<TFloat32> x) {
		long[] xs = Layers.staticShape(x);
		long c = xs[4];
		if (c % s.numGroups != 0) {
			throw new InvalidParameterException("norm_name " + s.given + ": num_groups " + s.numGroups + " does not divide the "
					+ c + " channels of " + prefix);
		}
		Operand<TFloat32> grouped = l.reshape(x, -1, xs[1], xs[2], xs[3], s.numGroups, c / s.numGroups);
		Operand<TFloat32> y = l.reshape(l.normalize(grouped, new int[] { 1, 2, 3, 5 }, s.eps), -1, xs[1], xs[2], xs[3], c);
		if (!s.affine) return y;
		Operand<TFloat32> w = l.parameter(prefix + ".weight", new long[] { c }, Init.ones());
		Operand<TFloat32> b = l.parameter(prefix + ".bias", new long[] { c }, Init.zeros());
		return l.tf().math.add(l.tf().math.mul(y, w), b);
	}

	/**
	 * PyTorch {@code LayerNorm(normalized_shape)} on the channels-first tensor: over its trailing
	 * k axes of {@code [channel, d0, d1, d2]}, which channels-last are {d2}, {d1, d2}, {d0, d1, d2}
	 * or all four; the affine parameters have the shape {@code normalized_shape}.
	 */
	private static Operand<TFloat32> layerNorm(Layers l, Spec s, String prefix, Operand<TFloat32> x) {
		long[] xs = Layers.staticShape(x);
		long[] channelsFirst = { xs[4], xs[1], xs[2], xs[3] };
		int k = s.normalizedShape.length;
		long[] trailing = Arrays.copyOfRange(channelsFirst, 4 - k, 4);
		if (!Arrays.equals(trailing, s.normalizedShape)) {
			throw new InvalidParameterException("norm_name " + s.given + ": normalized_shape " + Arrays.toString(s.normalizedShape)
					+ " does not match the trailing sizes " + Arrays.toString(trailing) + " of " + prefix
					+ "'s input [channel, d0, d1, d2] " + Arrays.toString(channelsFirst));
		}
		int[] axes = k == 4 ? new int[] { 1, 2, 3, 4 } : Arrays.copyOfRange(new int[] { 1, 2, 3 }, 3 - k, 3);
		Operand<TFloat32> y = l.normalize(x, axes, s.eps);
		if (!s.affine) return y;
		Operand<TFloat32> w;
		Operand<TFloat32> b;
		if (k == 4) {
			w = l.parameter(prefix + ".weight", s.normalizedShape, Init.ones(), 1, 2, 3, 0);
			b = l.parameter(prefix + ".bias", s.normalizedShape, Init.zeros(), 1, 2, 3, 0);
		} else {
			long[] broadcast = Arrays.copyOf(s.normalizedShape, k + 1);
			broadcast[k] = 1;
			w = l.parameterReshaped(prefix + ".weight", s.normalizedShape, Init.ones(), broadcast);
			b = l.parameterReshaped(prefix + ".bias", s.normalizedShape, Init.zeros(), broadcast);
		}
		return l.tf().math.add(l.tf().math.mul(y, w), b);
	}
}
