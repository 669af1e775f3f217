package org.volseg.nets.blocks;

import java.util.Locale;
import java.util.Map;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.volseg.InvalidParameterException;
import org.volseg.util.Json;
import org.volseg.nets.Init;
import org.volseg.nets.Layers;

/**
 * An activation given as MONAI's layer factory takes it ({@code monai.networks.layers.Act}): a
 * name ({@code "PRELU"}, {@code "relu"}, case-insensitive) or a pair {@code [name, {arguments}]}
 * (Python's tuple form, for example {@code ["leakyrelu", {"negative_slope": 0.1}]}; see
 * {@link MonaiLayerArgument}), or
 * {@code null} for none. Supported: {@code relu}, {@code leakyrelu} (negative_slope 0.01),
 * {@code prelu} (num_parameters 1, init 0.25; the only one with a parameter, {@code weight}),
 * {@code elu} / {@code celu} (alpha 1), {@code selu}, {@code relu6}, {@code gelu} (approximate
 * "none" or "tanh"), {@code sigmoid}, {@code tanh}, {@code swish} (alpha 1), {@code memswish},
 * {@code mish}; {@code inplace} is accepted and has no effect. Immutable.
 */
public final class MonaiActivation {

	private static final MonaiActivation NONE = new MonaiActivation("none", 0, 0, false);

	private final String name;
	private final double alpha;
	private final int parameters;
	private final boolean tanhApproximation;

	private MonaiActivation(String name, double alpha, int parameters, boolean tanhApproximation) {
		this.name = name;
		this.alpha = alpha;
		this.parameters = parameters;
		this.tanhApproximation = tanhApproximation;
	}

	/** No activation (MONAI's {@code act=None}). */
	public static MonaiActivation none() {
		return NONE;
	}

	/**
	 * Parses MONAI's activation argument.
	 *
	 * @param value a name, {@code [name, {arguments}]} or {@code null}
	 * @param setting the setting named in errors, for example {@code "unet config.act"}
	 * @throws InvalidParameterException naming the setting for an unknown activation or argument
	 */
	public static MonaiActivation parse(Object value, String setting) {
		if (value == null) return NONE;
		MonaiLayerArgument form = MonaiLayerArgument.of(value);
		if (form == null)
			throw InvalidParameterException.of(setting, Json.writeCompact(value), "an activation name or [name, {arguments}]");
		String name = form.name();
		Map<?, ?> args = form.args();
		name = name.toLowerCase(Locale.ROOT);
		double alpha = name.equals("leakyrelu") ? 0.01 : 1.0;
		int parameters = 1;
		boolean tanh = false;
		for (Map.Entry<?, ?> e : args.entrySet()) {
			String key = String.valueOf(e.getKey());
			Object v = e.getValue();
			boolean ok;
			switch (key) {
				case "inplace":
					ok = v instanceof Boolean;
					break;
				case "negative_slope":
					ok = name.equals("leakyrelu") && v instanceof Number;
					if (ok) alpha = ((Number) v).doubleValue();
					break;
				case "alpha":
					ok = (name.equals("elu") || name.equals("celu") || name.equals("swish")) && v instanceof Number;
					if (ok) alpha = ((Number) v).doubleValue();
					break;
				case "num_parameters":
					ok = name.equals("prelu") && v instanceof Number && ((Number) v).intValue() >= 1;
					if (ok) parameters = ((Number) v).intValue();
					break;
				case "init":
					ok = name.equals("prelu") && v instanceof Number;
					break;
				case "approximate":
					ok = name.equals("gelu") && ("none".equals(v) || "tanh".equals(v));
					tanh = "tanh".equals(v);
					break;
				default:
					ok = false;
			}
			if (!ok) {
				throw InvalidParameterException.of(setting, Json.writeCompact(value),
						"arguments that " + name + " takes (" + key + "=" + Json.writeCompact(v) + " is not supported)");
			}
		}
		switch (name) {
			case "relu": case "leakyrelu": case "prelu": case "elu": case "celu": case "selu": case "relu6": case "gelu":
			case "sigmoid": case "tanh": case "swish": case "memswish": case "mish":
				return new MonaiActivation(name, alpha, parameters, tanh);
			default:
				throw InvalidParameterException.of(setting, Json.writeCompact(value), "one of relu, leakyrelu, prelu, elu, celu, "
						+ "selu, relu6, gelu, sigmoid, tanh, swish, memswish, mish or null (" + name + " is not supported)");
		}
	}

	/** Whether this is no activation. */
	public boolean isNone() {
		return this == NONE;
	}

	/** Whether it has a parameter ({@code prelu}'s {@code weight}). */
	public boolean hasParameters() {
		return name.equals("prelu");
	}

	/** The lower-case MONAI name ({@code "none"} for none). */
	public String name() {
		return name;
	}

	/**
	 * Applies the activation element-wise.
	 *
	 * @param prefix the module's state_dict key (PReLU's weight is {@code prefix.weight},
	 *        {@code [num_parameters]}, broadcast over the channel axis, which is last)
	 * @param x any channels-last tensor
	 */
	public Operand<TFloat32> apply(Layers l, String prefix, Operand<TFloat32> x) {
		Ops tf = l.tf();
		switch (name) {
			case "none": return x;
			case "relu": return tf.nn.relu(x);
			case "leakyrelu": return l.leakyRelu(x, alpha);
			case "prelu": {
				if (parameters > 1 && Layers.channels(x) != parameters) {
					throw new InvalidParameterException("PReLU " + prefix + " has num_parameters " + parameters + " but its input has "
							+ Layers.channels(x) + " channels");
				}
				Operand<TFloat32> w = l.parameter(prefix + ".weight", new long[] { parameters }, Init.uniform(0.25));
				return tf.math.add(tf.nn.relu(x), tf.math.mul(w, tf.math.minimum(x, tf.constant(0f))));
			}
			case "elu": return alpha == 1 ? tf.nn.elu(x) : elu(tf, x, alpha);
			case "celu": // alpha * elu(x / alpha)
				return tf.math.mul(tf.constant((float) alpha), tf.nn.elu(tf.math.div(x, tf.constant((float) alpha))));
			case "selu": return tf.nn.selu(x);
			case "relu6": return tf.nn.relu6(x);
			case "gelu":
				if (!tanhApproximation) return l.gelu(x);
				return tf.math.mul(tf.math.mul(x, tf.constant(0.5f)), tf.math.add(tf.constant(1f), tf.math.tanh(tf.math.mul(
						tf.constant((float) Math.sqrt(2 / Math.PI)), tf.math.add(x, tf.math.mul(tf.constant(0.044715f),
								tf.math.mul(x, tf.math.mul(x, x))))))));
			case "sigmoid": return tf.math.sigmoid(x);
			case "tanh": return tf.math.tanh(x);
			case "swish": return tf.math.mul(x, tf.math.sigmoid(tf.math.mul(x, tf.constant((float) alpha))));
			case "memswish": return tf.math.mul(x, tf.math.sigmoid(x));
			case "mish": return tf.math.mul(x, tf.math.tanh(tf.math.softplus(x)));
			default: throw new IllegalStateException(name);
		}
	}

	/** ELU with a given alpha: x for x > 0, alpha * (exp(x) - 1) otherwise. */
	private static Operand<TFloat32> elu(Ops tf, Operand<TFloat32> x, double alpha) {
		return tf.math.add(tf.nn.relu(x), tf.math.mul(tf.constant((float) alpha), tf.math.minimum(tf.constant(0f),
				tf.math.sub(tf.math.exp(x), tf.constant(1f)))));
	}
}
