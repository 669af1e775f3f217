package org.volseg.nets.blocks;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.volseg.InvalidParameterException;
import org.volseg.util.Json;
import org.volseg.nets.Init;
import org.volseg.nets.Layers;

/**
 * A 3D normalisation layer given as MONAI's layer factory takes it ({@code monai.networks.layers.Norm}):
 * a name or {@code [name, {arguments}]} (Python's tuple form), or {@code null} for none, in eval mode:
 * <ul>
 * <li>{@code batch} ({@code BatchNorm3d}: running statistics; eps 1e-5, affine true; momentum
 * accepted, track_running_stats must stay true) - keys {@code weight}, {@code bias},
 * {@code running_mean}, {@code running_var} (and an accepted {@code num_batches_tracked});</li>
 * <li>{@code instance} ({@code InstanceNorm3d}: each sample's statistics; eps 1e-5, affine false;
 * track_running_stats must stay false) - keys {@code weight}, {@code bias} if affine;</li>
 * <li>{@code group} ({@code GroupNorm}: {@code num_groups} required, statistics per sample and group
 * of consecutive channels over the channels and voxels of the group, biased variance; eps 1e-5,
 * affine true) - keys {@code weight}, {@code bias} if affine.</li>
 * </ul>
 * Layouts channels-last {@code [batch, d0, d1, d2, C]}; spatial sizes may be unknown until run time.
 * Immutable.
 */
public final class MonaiNorm {

	/** The normalisation kinds. */
	public enum Kind { NONE, BATCH, INSTANCE, GROUP }

	private static final MonaiNorm NONE = new MonaiNorm(Kind.NONE, 1e-5, false, 0);

	private final Kind kind;
	private final double eps;
	private final boolean affine;
	private final int groups;

	private MonaiNorm(Kind kind, double eps, boolean affine, int groups) {
		this.kind = kind;
		this.eps = eps;
		this.affine = affine;
		this.groups = groups;
	}

	/** No normalisation. */
	public static MonaiNorm none() {
		return NONE;
	}

	/** GroupNorm with the given number of groups (eps 1e-5, affine). */
	public static MonaiNorm group(int numGroups) {
		return new MonaiNorm(Kind.GROUP, 1e-5, true, numGroups);
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
		Map<?, ?> args = Map.of();
		String name;
		if (value instanceof String) {
			name = (String) value;
		} else if (value instanceof List && ((List<?>) value).size() == 2 && ((List<?>) value).get(0) instanceof String
				&& ((List<?>) value).get(1) instanceof Map) {
			name = (String) ((List<?>) value).get(0);
			args = (Map<?, ?>) ((List<?>) value).get(1);
		} else {
			throw InvalidParameterException.of(setting, Json.writeCompact(value), "a norm name or [name, {arguments}]");
		}
		Kind kind;
		switch (name.toLowerCase(Locale.ROOT)) {
			case "batch": kind = Kind.BATCH; break;
			case "instance": kind = Kind.INSTANCE; break;
			case "group": kind = Kind.GROUP; break;
			default:
				throw InvalidParameterException.of(setting, Json.writeCompact(value),
						"batch, instance, group (with num_groups) or null (" + name + " is not supported)");
		}
		double eps = 1e-5;
		boolean affine = kind != Kind.INSTANCE;
		int groups = 0;
		for (Map.Entry<?, ?> e : args.entrySet()) {
			String key = String.valueOf(e.getKey());
			Object v = e.getValue();
			boolean ok;
			switch (key) {
				case "eps":
					ok = v instanceof Number && ((Number) v).doubleValue() >= 0;
					if (ok) eps = ((Number) v).doubleValue();
					break;
				case "affine":
					ok = v instanceof Boolean;
					if (ok) affine = (Boolean) v;
					break;
				case "momentum":
					ok = kind != Kind.GROUP && (v == null || v instanceof Number);
					break;
				case "track_running_stats":
					ok = Boolean.valueOf(kind == Kind.BATCH).equals(v);
					break;
				case "num_groups":
					ok = kind == Kind.GROUP && v instanceof Number && ((Number) v).doubleValue() == ((Number) v).intValue()
							&& ((Number) v).intValue() >= 1;
					if (ok) groups = ((Number) v).intValue();
					break;
				default:
					ok = false;
			}
			if (!ok) {
				throw InvalidParameterException.of(setting, Json.writeCompact(value), "arguments that " + name.toLowerCase(Locale.ROOT)
						+ " norm takes (" + key + "=" + Json.writeCompact(v) + " is not supported)");
			}
		}
		if (kind == Kind.GROUP && groups == 0) {
			throw InvalidParameterException.of(setting, Json.writeCompact(value), "[\"group\", {\"num_groups\": N}] (GroupNorm needs num_groups)");
		}
		return new MonaiNorm(kind, eps, affine, groups);
	}

	/** The kind. */
	public Kind kind() {
		return kind;
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
	 * @param x {@code [batch, d0, d1, d2, C]}, C static
	 */
	public Operand<TFloat32> apply(Layers l, String prefix, Operand<TFloat32> x) {
		switch (kind) {
			case NONE: return x;
			case BATCH:
				if (affine) return l.batchNorm(prefix, x, eps);
				return runningStatistics(l, prefix, x);
			case INSTANCE: return l.instanceNorm3d(prefix, x, affine, eps);
			case GROUP: return groupNorm(l, prefix, x);
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
			throw new InvalidParameterException("GroupNorm " + prefix + ": " + c + " channels are not divisible by num_groups " + groups);
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
}
