package org.volseg.nets.blocks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.volseg.InvalidParameterException;
import org.volseg.nets.Init;
import org.volseg.nets.Layers;
import org.volseg.util.Json;

/**
 * A 3D normalisation layer given as MONAI's layer factory takes it ({@code monai.networks.layers.Norm},
 * {@code get_norm_layer} with 3 spatial dimensions; the {@code norm} of UNet and SegResNet, the
 * {@code norm_name} of UNETR and SwinUNETR): a name, {@code [name, {arguments}]} (Python's tuple
 * form, see {@link MonaiLayerArgument}) or {@code null} for none, in eval mode:
 * <ul>
 * <li>{@code batch} ({@code BatchNorm3d}: running statistics; eps 1e-5, affine true; momentum
 * accepted, track_running_stats must stay true) - keys {@code weight}, {@code bias} (if affine),
 * {@code running_mean}, {@code running_var} (and an accepted {@code num_batches_tracked});</li>
 * <li>{@code instance} ({@code InstanceNorm3d}: each sample's statistics; eps 1e-5, affine false;
 * momentum accepted, track_running_stats must stay false) - keys {@code weight}, {@code bias} if affine;</li>
 * <li>{@code group} ({@code GroupNorm}: {@code num_groups} required, dividing the channels;
 * statistics per sample and group of consecutive channels over the channels and voxels of the
 * group, biased variance; eps 1e-5, affine true) - keys {@code weight}, {@code bias} if affine;</li>
 * <li>{@code layer} ({@code LayerNorm} on the channels-first tensor: {@code normalized_shape}
 * required, the trailing 1 to 4 sizes of {@code [channel, d0, d1, d2]}; {@code elementwise_affine}
 * (true), eps) - keys {@code weight}, {@code bias} of shape {@code normalized_shape}.</li>
 * </ul>
 * Layouts channels-last {@code [batch, d0, d1, d2, C]}; spatial sizes may be unknown until run time
 * except for layer norm. Immutable.
 */
public final class MonaiNorm {

	/** The normalisation kinds. */
	public enum Kind { NONE, BATCH, INSTANCE, GROUP, LAYER }

	private static final MonaiNorm NONE = new MonaiNorm(Kind.NONE, 1e-5, false, 0, null, "null");

	private final Kind kind;
	private final double eps;
	private final boolean affine;
	private final int groups;
	private final long[] normalizedShape;
	private final String given;

	private MonaiNorm(Kind kind, double eps, boolean affine, int groups, long[] normalizedShape, String given) {
		this.kind = kind;
		this.eps = eps;
		this.affine = affine;
		this.groups = groups;
		this.normalizedShape = normalizedShape;
		this.given = given;
	}

	/** No normalisation. */
	public static MonaiNorm none() {
		return NONE;
	}

	/** MONAI's default for the UNETR family: {@code "instance"} (no affine parameters, eps 1e-5). */
	public static MonaiNorm instance() {
		return new MonaiNorm(Kind.INSTANCE, 1e-5, false, 0, null, "\"instance\"");
	}

	/** GroupNorm with the given number of groups (eps 1e-5, affine). */
	public static MonaiNorm group(int numGroups) {
		return new MonaiNorm(Kind.GROUP, 1e-5, true, numGroups, null, "[\"group\",{\"num_groups\":" + numGroups + "}]");
	}

	/**
	 * Parses MONAI's norm argument.
	 *
	 * @param value a name, {@code [name, {arguments}]} or {@code null}
	 * @param setting the setting named in errors, for example {@code "unet config.norm"}
	 * @throws InvalidParameterException naming the setting for an unsupported norm or argument
	 */
	public static MonaiNorm parse(Object value, String setting) {
		if (value == null) return NONE;
		String given = Json.writeCompact(value);
		MonaiLayerArgument form = MonaiLayerArgument.of(value);
		if (form == null) throw InvalidParameterException.of(setting, given, "a norm name or [name, {arguments}]");
		String name = form.name().toLowerCase(Locale.ROOT);
		Kind kind;
		switch (name) {
			case "batch": kind = Kind.BATCH; break;
			case "instance": kind = Kind.INSTANCE; break;
			case "group": kind = Kind.GROUP; break;
			case "layer": kind = Kind.LAYER; break;
			default:
				throw InvalidParameterException.of(setting, given, "batch, instance, group (with num_groups), layer (with "
						+ "normalized_shape) or null (" + form.name() + " is not supported)");
		}
		double eps = 1e-5;
		boolean affine = kind != Kind.INSTANCE;
		int groups = 0;
		long[] normalizedShape = null;
		for (Map.Entry<?, ?> e : form.args().entrySet()) {
			String key = String.valueOf(e.getKey());
			Object v = e.getValue();
			boolean ok;
			switch (key) {
				case "eps":
					ok = v instanceof Number && ((Number) v).doubleValue() >= 0;
					if (ok) eps = ((Number) v).doubleValue();
					break;
				case "affine":
					ok = kind != Kind.LAYER && v instanceof Boolean;
					if (ok) affine = (Boolean) v;
					break;
				case "elementwise_affine":
					ok = kind == Kind.LAYER && v instanceof Boolean;
					if (ok) affine = (Boolean) v;
					break;
				case "momentum":
					ok = (kind == Kind.BATCH || kind == Kind.INSTANCE) && (v == null || v instanceof Number);
					break;
				case "track_running_stats":
					ok = (kind == Kind.BATCH || kind == Kind.INSTANCE) && Boolean.valueOf(kind == Kind.BATCH).equals(v);
					break;
				case "num_groups":
					ok = kind == Kind.GROUP && isWhole(v) && ((Number) v).intValue() >= 1;
					if (ok) groups = ((Number) v).intValue();
					break;
				case "normalized_shape":
					normalizedShape = kind == Kind.LAYER ? shape(v) : null;
					ok = normalizedShape != null;
					break;
				default:
					ok = false;
			}
			if (!ok) {
				throw InvalidParameterException.of(setting, given, "arguments that " + name + " norm takes (" + key + "="
						+ Json.writeCompact(v) + " is not supported)");
			}
		}
		if (kind == Kind.GROUP && groups == 0) {
			throw InvalidParameterException.of(setting, given, "[\"group\", {\"num_groups\": N}] (GroupNorm needs num_groups)");
		}
		if (kind == Kind.LAYER && normalizedShape == null) {
			throw InvalidParameterException.of(setting, given, "[\"layer\", {\"normalized_shape\": [...]}] (LayerNorm needs "
					+ "normalized_shape)");
		}
		return new MonaiNorm(kind, eps, affine, groups, normalizedShape, given);
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

	/** The kind. */
	public Kind kind() {
		return kind;
	}

	/** Whether the layer has a learnt scale and shift. */
	public boolean affine() {
		return affine;
	}

	/** The epsilon added to the variance. */
	public double eps() {
		return eps;
	}

	/** Number of groups of a group norm (0 otherwise). */
	public int groups() {
		return groups;
	}

	/**
	 * Checks that the norm can run on {@code channels} channels (GroupNorm: divisible by num_groups).
	 *
	 * @throws InvalidParameterException naming the setting
	 */
	public void checkChannels(int channels, String setting) {
		if (kind == Kind.GROUP && channels % groups != 0) {
			throw InvalidParameterException.of(setting, "num_groups " + groups, "a number of groups that divides every normalised "
					+ "channel count (" + channels + " channels here)");
		}
	}

	/**
	 * Applies the norm.
	 *
	 * @param prefix the module's state_dict key, for example {@code model.0.conv.unit0.adn.N}
	 * @param x {@code [batch, d0, d1, d2, C]}, C static (and d0..d2 for layer norm)
	 * @throws InvalidParameterException if group or layer norm arguments do not fit the tensor
	 */
	public Operand<TFloat32> apply(Layers l, String prefix, Operand<TFloat32> x) {
		switch (kind) {
			case NONE: return x;
			case BATCH:
				if (affine) return l.batchNorm(prefix, x, eps);
				return runningStatistics(l, prefix, x);
			case INSTANCE: return l.instanceNorm3d(prefix, x, affine, eps);
			case GROUP: return groupNorm(l, prefix, x);
			case LAYER: return layerNorm(l, prefix, x);
			default: throw new IllegalStateException(kind.name());
		}
	}

	/** BatchNorm3d without affine parameters: running statistics only. */
	private Operand<TFloat32> runningStatistics(Layers l, String prefix, Operand<TFloat32> x) {
		long c = Layers.channels(x);
		Operand<TFloat32> mean = l.parameter(prefix + ".running_mean", new long[] { c }, Init.zeros());
		Operand<TFloat32> var = l.parameter(prefix + ".running_var", new long[] { c }, Init.ones());
		l.parameters().acceptIfPresent(prefix + ".num_batches_tracked");
		Ops tf = l.tf();
		Operand<TFloat32> scale = tf.math.rsqrt(tf.math.add(var, tf.constant((float) eps)));
		return tf.math.mul(tf.math.sub(x, mean), scale);
	}

	/**
	 * PyTorch {@code GroupNorm}: x viewed as {@code [batch, d0, d1, d2, G, C/G]}, mean and biased
	 * variance over (d0, d1, d2, C/G) per sample and group, then the per-channel affine. Computed as
	 * one scale and shift per (sample, channel) applied in a single pass.
	 */
	private Operand<TFloat32> groupNorm(Layers l, String prefix, Operand<TFloat32> x) {
		Ops tf = l.tf();
		long c = Layers.channels(x);
		if (c % groups != 0) {
			throw new InvalidParameterException("norm " + given + ": num_groups " + groups + " does not divide the " + c
					+ " channels of " + prefix);
		}
		long perGroup = c / groups;
		Operand<TFloat32> grouped = tf.reshape(x, ShapeOps.concat(tf, ShapeOps.dims(tf, x, 0, 4),
				tf.constant(new int[] { groups, (int) perGroup })));
		Operand<TInt32> axes = tf.constant(new int[] { 1, 2, 3, 5 });
		Operand<TFloat32> mean = tf.math.mean(grouped, axes, Mean.keepDims(true));
		Operand<TFloat32> var = tf.math.mean(tf.math.squaredDifference(grouped, mean), axes, Mean.keepDims(true));
		Operand<TFloat32> inv = tf.math.rsqrt(tf.math.add(var, tf.constant((float) eps))); // [B, 1, 1, 1, G, 1]
		Operand<TFloat32> scale = inv;
		Operand<TFloat32> shift = tf.math.neg(tf.math.mul(mean, inv));
		if (affine) {
			Operand<TFloat32> w = l.parameterReshaped(prefix + ".weight", new long[] { c }, Init.ones(), new long[] { groups, perGroup });
			Operand<TFloat32> b = l.parameterReshaped(prefix + ".bias", new long[] { c }, Init.zeros(), new long[] { groups, perGroup });
			scale = tf.math.mul(inv, w); // [B, 1, 1, 1, G, C/G]
			shift = tf.math.add(tf.math.mul(shift, w), b);
		}
		Operand<TFloat32> y = tf.math.add(tf.math.mul(grouped, scale), shift);
		return ShapeOps.withStaticShape(tf, y, Layers.staticShape(x));
	}

	/**
	 * PyTorch {@code LayerNorm(normalized_shape)} on the channels-first tensor: over its trailing
	 * k axes of {@code [channel, d0, d1, d2]}, which channels-last are {d2}, {d1, d2}, {d0, d1, d2}
	 * or all four; the affine parameters have the shape {@code normalized_shape}.
	 */
	private Operand<TFloat32> layerNorm(Layers l, String prefix, Operand<TFloat32> x) {
		long[] xs = Layers.staticShape(x);
		long[] channelsFirst = { xs[4], xs[1], xs[2], xs[3] };
		int k = normalizedShape.length;
		long[] trailing = Arrays.copyOfRange(channelsFirst, 4 - k, 4);
		if (!Arrays.equals(trailing, normalizedShape)) {
			throw new InvalidParameterException("norm " + given + ": normalized_shape " + Arrays.toString(normalizedShape)
					+ " does not match the trailing sizes " + Arrays.toString(trailing) + " of " + prefix
					+ "'s input [channel, d0, d1, d2] " + Arrays.toString(channelsFirst));
		}
		int[] axes = k == 4 ? new int[] { 1, 2, 3, 4 } : Arrays.copyOfRange(new int[] { 1, 2, 3 }, 3 - k, 3);
		Operand<TFloat32> y = l.normalize(x, axes, eps);
		if (!affine) return y;
		Operand<TFloat32> w;
		Operand<TFloat32> b;
		if (k == 4) {
			w = l.parameter(prefix + ".weight", normalizedShape, Init.ones(), 1, 2, 3, 0);
			b = l.parameter(prefix + ".bias", normalizedShape, Init.zeros(), 1, 2, 3, 0);
		} else {
			long[] broadcast = Arrays.copyOf(normalizedShape, k + 1);
			broadcast[k] = 1;
			w = l.parameterReshaped(prefix + ".weight", normalizedShape, Init.ones(), broadcast);
			b = l.parameterReshaped(prefix + ".bias", normalizedShape, Init.zeros(), broadcast);
		}
		return l.tf().math.add(l.tf().math.mul(y, w), b);
	}
}
