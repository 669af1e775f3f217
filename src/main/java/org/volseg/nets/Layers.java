package org.volseg.nets;

import static org.volseg.engine.kernels.FusedKernels.PortableForm.floatInput;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.volseg.engine.kernels.FusedKernels;

/**
 * Builds PyTorch layers as TensorFlow graph ops with PyTorch's numerics, reading their
 * parameters from a {@link ParameterSource} by PyTorch key.
 *
 * <p>Activations are channels-last: {@code [batch, d0, d1, d2, channel]} for volumes (d0..d2 are
 * the PyTorch tensor's d0..d2), {@code [batch, tokens, features]} for sequences. Shapes must be
 * static except the batch dimension. Parameters are read in PyTorch layout and transposed to
 * TensorFlow layout once, here, while the graph is built: convolution weights
 * {@code [out, in, k0, k1, k2]} become {@code [k0, k1, k2, in, out]}, linear weights
 * {@code [out, in]} become {@code [in, out]}.</p>
 *
 * <p>Parameters become graph constants, or (with {@link WeightStorage#VARIABLES}) TensorFlow
 * variables named by their PyTorch key, which {@link #initializeVariables(Session)} fills once.
 * Not thread-safe; use one instance per graph build.</p>
 */
public final class Layers {

	/** Where parameter values live in the graph. */
	public enum WeightStorage {
		/** Constants: simplest, frozen graph. */
		CONSTANTS,
		/** VariableV2 ops named by PyTorch key, saved in a SavedModel's variables/ and trainable later. */
		VARIABLES
	}

	private final Ops tf;
	private final ParameterSource params;
	private final WeightStorage storage;
	private final List<PendingAssign> pending = new ArrayList<>();
	private final List<VariableParameter> variables = new ArrayList<>();

	/**
	 * A parameter stored as a TensorFlow variable ({@link WeightStorage#VARIABLES}), with what it
	 * takes to turn the variable's value back into the PyTorch layout: the variable holds
	 * {@code torch.permute(permutation).reshape(variable shape)}.
	 *
	 * @param key the PyTorch state_dict key
	 * @param torchShape the shape in the state dict
	 * @param permutation axis order applied before the reshape (empty: none)
	 * @param variable the graph variable
	 */
	public record VariableParameter(String key, long[] torchShape, int[] permutation, Variable<TFloat32> variable) {

		/** The variable's value (TensorFlow layout) back in PyTorch layout. */
		public FloatTensor toTorchLayout(FloatTensor value) {
			if (permutation.length == 0) return value.reshape(torchShape);
			long[] permuted = new long[torchShape.length];
			for (int i = 0; i < permuted.length; i++) permuted[i] = torchShape[permutation[i]];
			int[] inverse = new int[permutation.length];
			for (int i = 0; i < permutation.length; i++) inverse[permutation[i]] = i;
			return value.reshape(permuted).permute(inverse);
		}
	}
	private double multiplyAdds;

	private static final class PendingAssign {
		final Placeholder<TFloat32> value;
		final Assign<TFloat32> assign;
		FloatTensor data;

		PendingAssign(Placeholder<TFloat32> value, Assign<TFloat32> assign, FloatTensor data) {
			this.value = value;
			this.assign = assign;
			this.data = data;
		}
	}

	/** What the graph is built for. */
	public enum Purpose {
		/** Forward passes only: networks may rearrange operations in ways that have no TensorFlow gradient. */
		INFERENCE,
		/** Training: every operation has a TensorFlow gradient. */
		TRAINING
	}

	private final Purpose purpose;

	/** For {@link Purpose#INFERENCE}. */
	public Layers(Ops tf, ParameterSource params, WeightStorage storage) {
		this(tf, params, storage, Purpose.INFERENCE);
	}

	public Layers(Ops tf, ParameterSource params, WeightStorage storage, Purpose purpose) {
		this.tf = tf;
		this.params = params;
		this.storage = storage;
		this.purpose = purpose;
	}

	private int fusedKernelThreads;

	/**
	 * Lets networks build VolSeg's fused CPU ops ({@link FusedKernels})
	 * directly, for a graph that runs in this process on the CPU; by default (0) they build
	 * TensorFlow's ops, marked where a fused op can take their place when a saved graph is loaded.
	 * Ignored for {@link Purpose#TRAINING}.
	 *
	 * @param threads threads each fused op uses (the session's intra-op count), or 0 for none
	 * @return this
	 * @throws IllegalStateException if threads &gt; 0 and the fused kernels are not available
	 */
	public Layers fuseKernels(int threads) {
		if (threads < 0 || threads > FusedKernels.MAX_THREADS)
			throw new IllegalArgumentException("threads must be 0 to " + FusedKernels.MAX_THREADS
					+ ", got " + threads);
		if (threads > 0 && !FusedKernels.available())
			throw new IllegalStateException(FusedKernels.status());
		this.fusedKernelThreads = threads;
		return this;
	}

	/** Threads of the fused ops networks build directly, 0 when they build TensorFlow's ops (see {@link #fuseKernels}). */
	public int fusedKernelThreads() {
		return training() ? 0 : fusedKernelThreads;
	}

	/** Whether the graph must have TensorFlow gradients ({@link Purpose#TRAINING}). */
	public boolean training() {
		return purpose == Purpose.TRAINING;
	}

	/**
	 * Multiply-adds per batch sample of the convolutions, linear layers and attention products
	 * built so far (the dominant cost; element-wise ops are not counted). FLOPs are twice this.
	 * NaN if one of them had spatial sizes unknown until run time.
	 */
	public double multiplyAdds() {
		return multiplyAdds;
	}

	private void count(double... factors) {
		double n = 1;
		for (double f : factors) n *= f < 0 ? Double.NaN : f;
		multiplyAdds += n;
	}

	/** Adds multiply-adds per sample for ops built directly with {@link #tf()}. */
	public void countMultiplyAdds(double n) {
		multiplyAdds += n;
	}

	/** The raw TensorFlow ops, for what this class does not cover. */
	public Ops tf() {
		return tf;
	}

	/** The parameter source, for keys taken without a graph op (see {@link ParameterSource#acceptIfPresent}). */
	public ParameterSource parameters() {
		return params;
	}

	// ----------------------------------------------------------------- parameters

	/**
	 * A parameter as a graph operand in TensorFlow layout.
	 *
	 * @param key PyTorch state_dict key
	 * @param torchShape its shape in the checkpoint
	 * @param init rule for random weights
	 * @param permutation axis order of the TensorFlow layout ({@link FloatTensor#permute}); none
	 *        for the same layout
	 */
	public Operand<TFloat32> parameter(String key, long[] torchShape, Init init, int... permutation) {
		FloatTensor t = params.take(key, torchShape, init);
		if (permutation.length > 0) t = t.permute(permutation);
		return constantOrVariable(key, t, torchShape, permutation);
	}

	/** A parameter reshaped (after an optional permutation) to {@code tfShape}. */
	public Operand<TFloat32> parameterReshaped(String key, long[] torchShape, Init init, long[] tfShape, int... permutation) {
		FloatTensor t = params.take(key, torchShape, init);
		if (permutation.length > 0) t = t.permute(permutation);
		return constantOrVariable(key, t.reshape(tfShape), torchShape, permutation);
	}

	/**
	 * The parameters created as variables so far, in creation order (empty with
	 * {@link WeightStorage#CONSTANTS}); for training and for reading trained weights back.
	 */
	public List<VariableParameter> variables() {
		return java.util.Collections.unmodifiableList(variables);
	}

	private Operand<TFloat32> constantOrVariable(String key, FloatTensor t, long[] torchShape, int[] permutation) {
		Shape shape = Shape.of(t.shape());
		if (storage == WeightStorage.CONSTANTS) {
			return tf.withName(opName(key)).constant(shape, DataBuffers.of(t.data(), true, false));
		}
		Variable<TFloat32> v = tf.withName(opName(key)).variable(shape, TFloat32.class);
		Placeholder<TFloat32> value = tf.withName(opName(key) + "_value").placeholder(TFloat32.class, Placeholder.shape(shape));
		Assign<TFloat32> assign = tf.withName(opName(key) + "_assign").assign(v, value);
		pending.add(new PendingAssign(value, assign, t));
		variables.add(new VariableParameter(key, torchShape.clone(), permutation.clone(), v));
		return v;
	}

	/** A valid, unique-by-key TensorFlow op name for a PyTorch key (the name of its variable). */
	public static String opName(String key) {
		return key.replaceAll("[^A-Za-z0-9_.\\-]", "_");
	}

	/**
	 * Assigns every variable its value (once, after the session is created) and drops the Java
	 * copies. Does nothing with {@link WeightStorage#CONSTANTS}.
	 */
	public void initializeVariables(Session session) {
		for (PendingAssign p : pending) {
			try (TFloat32 value = TFloat32.tensorOf(Shape.of(p.data.shape()), DataBuffers.of(p.data.data(), true, false))) {
				session.runner().feed(p.value, value).addTarget(p.assign).run();
			}
			p.data = null;
		}
		pending.clear();
	}

	// ----------------------------------------------------------------- convolutions

	/**
	 * PyTorch {@code Conv3d} (groups 1, dilation 1, zero padding): keys {@code prefix.weight}
	 * {@code [out, in, k0, k1, k2]} and, if {@code bias}, {@code prefix.bias} {@code [out]}.
	 *
	 * @param padding zeros added on both sides of each spatial axis
	 */
	public Operand<TFloat32> conv3d(String prefix, Operand<TFloat32> x, int outChannels, int[] kernel, int[] stride,
			int[] padding, boolean bias) {
		long in = channels(x);
		long[] wShape = { outChannels, in, kernel[0], kernel[1], kernel[2] };
		Init init = Init.fanIn(in * kernel[0] * kernel[1] * kernel[2]);
		Operand<TFloat32> w = parameter(prefix + ".weight", wShape, init, 2, 3, 4, 1, 0);
		Operand<TFloat32> y = convolve3d(tf, x, w, stride, padding);
		if (bias) y = tf.nn.biasAdd(y, parameter(prefix + ".bias", new long[] { outChannels }, init));
		long[] ys = staticShape(y);
		count(ys[1], ys[2], ys[3], outChannels, in, kernel[0], kernel[1], kernel[2]);
		return y;
	}

	/**
	 * The convolution of {@link #conv3d} without its parameters: {@code x} {@code [n, d0, d1, d2, in]}
	 * convolved with {@code w} {@code [k0, k1, k2, in, out]}, {@code padding} zeros on both sides of
	 * each spatial axis, as TensorFlow's {@code Conv3D} ("SAME" where that is the same padding).
	 */
	public static Operand<TFloat32> convolve3d(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w, int[] stride, int[] padding) {
		long[] kernel = staticShape(w);
		List<Long> strides = Arrays.asList(1L, (long) stride[0], (long) stride[1], (long) stride[2], 1L);
		boolean noPadding = padding[0] == 0 && padding[1] == 0 && padding[2] == 0;
		boolean samePadding = true;
		for (int a = 0; a < 3; a++) samePadding &= stride[a] == 1 && 2L * padding[a] == kernel[a] - 1;
		if (noPadding)
			return tf.nn.conv3d(x, w, strides, "VALID");
		if (samePadding)
			return tf.nn.conv3d(x, w, strides, "SAME");
		int[][] pads = { { 0, 0 }, { padding[0], padding[0] }, { padding[1], padding[1] }, { padding[2], padding[2] }, { 0, 0 } };
		return tf.nn.conv3d(tf.pad(x, tf.constant(pads), tf.constant(0f)), w, strides, "VALID");
	}

	/**
	 * PyTorch {@code ConvTranspose3d} (groups 1, dilation 1): keys {@code prefix.weight}
	 * {@code [in, out, k0, k1, k2]} and, if {@code bias}, {@code prefix.bias}. Output size per axis
	 * {@code (n - 1) * stride - 2 * padding + kernel + outputPadding}. When kernel equals stride
	 * and there is no padding (UNETR's upsampling) it runs as one matrix product and a
	 * depth-to-space rearrangement, which is the same arithmetic and has gradients in
	 * TensorFlow; otherwise as {@code Conv3DBackpropInputV2}.
	 */
	public Operand<TFloat32> convTranspose3d(String prefix, Operand<TFloat32> x, int outChannels, int[] kernel,
			int[] stride, int[] padding, int[] outputPadding, boolean bias) {
		long[] xs = staticShape(x);
		long in = xs[4];
		long[] wShape = { in, outChannels, kernel[0], kernel[1], kernel[2] };
		Init init = Init.fanIn(outChannels * (long) kernel[0] * kernel[1] * kernel[2]);
		boolean pixelShuffle = true;
		for (int a = 0; a < 3; a++) pixelShuffle &= kernel[a] == stride[a] && padding[a] == 0 && outputPadding[a] == 0;
		Operand<TFloat32> y;
		if (pixelShuffle) {
			long k = (long) kernel[0] * kernel[1] * kernel[2];
			Operand<TFloat32> w = parameterReshaped(prefix + ".weight", wShape, init, new long[] { in, k * outChannels }, 0, 2, 3, 4, 1);
			Operand<TFloat32> flat = tf.linalg.matMul(tf.reshape(x, tf.constant(new long[] { -1, in })), w);
			Operand<TFloat32> split = reshape(flat, -1, xs[1], xs[2], xs[3], kernel[0], kernel[1], kernel[2], outChannels);
			Operand<TFloat32> interleaved = transpose(split, 0, 1, 4, 2, 5, 3, 6, 7);
			y = reshape(interleaved, -1, xs[1] * kernel[0], xs[2] * kernel[1], xs[3] * kernel[2], outChannels);
		} else {
			Operand<TFloat32> w = parameter(prefix + ".weight", wShape, init, 2, 3, 4, 1, 0);
			long[] full = new long[3];
			for (int a = 0; a < 3; a++) full[a] = (xs[a + 1] - 1) * stride[a] + kernel[a] + outputPadding[a];
			Operand<TInt32> batch = tf.slice(tf.shape(x), tf.constant(new int[] { 0 }), tf.constant(new int[] { 1 }));
			Operand<TInt32> sizes = tf.concat(Arrays.asList(batch,
					tf.constant(new int[] { (int) full[0], (int) full[1], (int) full[2], outChannels })), tf.constant(0));
			List<Long> strides = Arrays.asList(1L, (long) stride[0], (long) stride[1], (long) stride[2], 1L);
			y = tf.nn.conv3dBackpropInput(sizes, w, x, strides, "VALID");
			if (padding[0] != 0 || padding[1] != 0 || padding[2] != 0) {
				y = tf.slice(y, tf.constant(new long[] { 0, padding[0], padding[1], padding[2], 0 }),
						tf.constant(new long[] { -1, full[0] - 2L * padding[0], full[1] - 2L * padding[1], full[2] - 2L * padding[2], -1 }));
			}
		}
		if (bias) y = tf.nn.biasAdd(y, parameter(prefix + ".bias", new long[] { outChannels }, init));
		count(xs[1], xs[2], xs[3], in, outChannels, kernel[0], kernel[1], kernel[2]);
		return y;
	}

	// ----------------------------------------------------------------- dense

	/**
	 * PyTorch {@code Linear} on the last axis: keys {@code prefix.weight} {@code [out, in]} and, if
	 * {@code bias}, {@code prefix.bias} {@code [out]}.
	 */
	public Operand<TFloat32> linear(String prefix, Operand<TFloat32> x, int outFeatures, boolean bias) {
		return linear(prefix, x, outFeatures, bias, 1);
	}

	/**
	 * {@link #linear(String, Operand, int, boolean)} of {@code inputScale * x}, the scale applied to
	 * the weight (out x in values) instead of the input.
	 */
	public Operand<TFloat32> linear(String prefix, Operand<TFloat32> x, int outFeatures, boolean bias, double inputScale) {
		long[] xs = staticShape(x);
		long in = xs[xs.length - 1];
		Init init = Init.fanIn(in);
		Operand<TFloat32> w = parameter(prefix + ".weight", new long[] { outFeatures, in }, init, 1, 0);
		if (inputScale != 1) w = tf.math.mul(w, tf.constant((float) inputScale));
		Operand<TFloat32> y = tf.linalg.matMul(tf.reshape(x, tf.constant(new long[] { -1, in })), w);
		if (bias) y = tf.nn.biasAdd(y, parameter(prefix + ".bias", new long[] { outFeatures }, init));
		double rows = 1;
		for (int i = 1; i < xs.length - 1; i++) rows *= xs[i] < 0 ? Double.NaN : xs[i];
		count(rows, in, outFeatures);
		long unknown = Arrays.stream(xs, 1, xs.length).filter(d -> d < 0).count();
		if (unknown > 0) {
			// sizes known only at run time: the input's leading dimensions, then outFeatures
			Operand<TInt32> lead = tf.slice(tf.shape(x), tf.constant(new int[] { 0 }), tf.constant(new int[] { xs.length - 1 }));
			return tf.reshape(y, tf.concat(Arrays.asList(lead, tf.constant(new int[] { outFeatures })), tf.constant(0)));
		}
		long[] outShape = xs.clone();
		outShape[0] = -1;
		outShape[outShape.length - 1] = outFeatures;
		return reshape(y, outShape);
	}

	// ----------------------------------------------------------------- normalisation

	/**
	 * PyTorch {@code LayerNorm} over the last axis (biased variance): keys {@code prefix.weight},
	 * {@code prefix.bias}. With {@link #fuseKernels fused kernels}, VolSeg's {@code VolsegLayerNorm};
	 * else, unless for training, TensorFlow's ops inside the op's mark ({@link FusedKernels#marked}),
	 * so that a package's LayerNorms run fused where the kernels are available. TensorFlow's ops:
	 * with weights as constants laid out in the pattern TensorFlow's graph optimiser fuses into one
	 * oneDNN {@code _MklLayerNorm} kernel (see {@link #fusableLayerNorm}); with weights as variables
	 * the plain normalisation.
	 */
	public Operand<TFloat32> layerNorm(String prefix, Operand<TFloat32> x, double eps) {
		long[] xs = staticShape(x);
		long c = xs[xs.length - 1];
		Operand<TFloat32> w = parameter(prefix + ".weight", new long[] { c }, Init.ones());
		Operand<TFloat32> b = parameter(prefix + ".bias", new long[] { c }, Init.zeros());
		FusedKernels.PortableForm portable = (ops, in) -> portableLayerNorm(ops, floatInput(in, 0), floatInput(in, 1), floatInput(in, 2), eps);
		Operand<TFloat32> epsilon = tf.constant((float) eps);
		if (fusedKernelThreads() > 0)
			return FusedKernels.fused(tf, FusedKernels.Fusion.LAYER_NORM, fusedKernelThreads(), x, w, b, epsilon);
		if (training())
			return portable.build(tf, List.of(x, w, b, epsilon));
		return FusedKernels.marked(tf, FusedKernels.Fusion.LAYER_NORM, portable, x, w, b, epsilon);
	}

	/** {@link #layerNorm} from TensorFlow's ops (the epsilon input is not read: {@code eps} is). */
	private Operand<TFloat32> portableLayerNorm(Ops tf, Operand<TFloat32> x, Operand<TFloat32> gamma, Operand<TFloat32> beta,
			double eps) {
		long[] xs = staticShape(x);
		if (storage == WeightStorage.CONSTANTS) {
			if (xs.length == 2 || xs.length == 3) return fusableLayerNorm(tf, x, gamma, beta, eps);
			Operand<TFloat32> rows = tf.reshape(x, tf.constant(new long[] { -1, xs[xs.length - 1] }));
			return tf.reshape(fusableLayerNorm(tf, rows, gamma, beta, eps), tf.shape(x));
		}
		Operand<TFloat32> y = normalize(tf, x, new int[] { xs.length - 1 }, eps);
		return tf.math.add(tf.math.mul(y, gamma), beta);
	}

	/**
	 * LayerNorm of a rank-2 or rank-3 tensor over its last axis as TensorFlow's remapper matches it
	 * for oneDNN ({@code x * s + (beta - mean * s)}, {@code s = gamma * rsqrt(var + eps)}, with
	 * {@code SquaredDifference} and {@code AddV2}); it then runs as one kernel instead of about nine
	 * memory-bound passes. The fused kernel ignores the graph's epsilon and uses its own default,
	 * {@value #FUSED_LAYER_NORM_EPSILON}; LayerNorm with {@code eps} of {@code x} equals LayerNorm
	 * with that epsilon of {@code k x}, {@code k = sqrt(FUSED_LAYER_NORM_EPSILON / eps)}, so the input
	 * is scaled by {@code k} and the graph's epsilon is {@value #FUSED_LAYER_NORM_EPSILON}: the
	 * result is the same whether the optimiser fuses or not.
	 */
	private static Operand<TFloat32> fusableLayerNorm(Ops tf, Operand<TFloat32> x, Operand<TFloat32> gamma,
			Operand<TFloat32> beta, double eps) {
		Operand<TInt32> last = tf.constant(staticShape(x).length - 1);
		Operand<TFloat32> scaled = tf.math.mul(x, tf.constant((float) Math.sqrt(FUSED_LAYER_NORM_EPSILON / eps)));
		Operand<TFloat32> mean = tf.math.mean(scaled, last, Mean.keepDims(true));
		Operand<TFloat32> var = tf.math.mean(tf.math.squaredDifference(scaled, mean), last, Mean.keepDims(true));
		Operand<TFloat32> s = tf.math.mul(tf.math.rsqrt(addV2(tf, var, tf.constant((float) FUSED_LAYER_NORM_EPSILON))), gamma);
		return addV2(tf, tf.math.mul(scaled, s), tf.math.sub(beta, tf.math.mul(s, mean)));
	}

	/** The epsilon of TensorFlow's oneDNN {@code _MklLayerNorm} kernel (its attribute's default). */
	static final double FUSED_LAYER_NORM_EPSILON = 1e-3;

	/** {@code AddV2} (the remapper's patterns name it; {@code tf.math.add} builds {@code Add}). */
	private static Operand<TFloat32> addV2(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
		return tf.scope().opBuilder("AddV2", "AddV2").addInput(a.asOutput()).addInput(b.asOutput()).build().output(0);
	}

	/**
	 * PyTorch {@code InstanceNorm3d} (statistics of each sample and channel over d0..d2, biased
	 * variance, no running statistics); with {@code affine}, keys {@code prefix.weight} and
	 * {@code prefix.bias}. The statistics are taken axis by axis ({@link #meanOverAxes}), so that
	 * a 96^3 window (884,736 voxels per channel) keeps float32 accuracy.
	 */
	public Operand<TFloat32> instanceNorm3d(String prefix, Operand<TFloat32> x, boolean affine, double eps) {
		long c = staticShape(x)[4];
		// Not FusedBatchNorm: in training mode its statistics are one float32 sum over all voxels of a
		// channel (~1e-3 of the value off at 96^3), in inference mode no gradient reaches the statistics.
		Operand<TFloat32> y = normalize(x, new int[] { 1, 2, 3 }, eps);
		if (!affine) return y;
		Operand<TFloat32> w = parameter(prefix + ".weight", new long[] { c }, Init.ones());
		Operand<TFloat32> b = parameter(prefix + ".bias", new long[] { c }, Init.zeros());
		return tf.math.add(tf.math.mul(y, w), b);
	}

	/**
	 * PyTorch {@code BatchNorm3d} in eval mode (running statistics): keys {@code prefix.weight},
	 * {@code prefix.bias}, {@code prefix.running_mean}, {@code prefix.running_var}; an optional
	 * {@code prefix.num_batches_tracked} is accepted and unused. Works on any rank: the channel
	 * is the last axis.
	 */
	public Operand<TFloat32> batchNorm(String prefix, Operand<TFloat32> x, double eps) {
		List<Operand<TFloat32>> scaleShift = batchNormScaleShift(prefix, channels(x), eps);
		return tf.math.add(tf.math.mul(x, scaleShift.get(0)), scaleShift.get(1));
	}

	/**
	 * The parameters of {@link #batchNorm} (same keys, shapes and initialisation) reduced to the
	 * per-channel affine map it applies, {@code y = x * scale + shift} with
	 * {@code scale = weight / sqrt(running_var + eps)} and {@code shift = bias - running_mean * scale}:
	 * for networks that fold the BatchNorm into a preceding linear operation.
	 *
	 * @return {@code [scale, shift]}, each {@code [channels]}
	 */
	public List<Operand<TFloat32>> batchNormScaleShift(String prefix, long channels, double eps) {
		long[] s = { channels };
		Operand<TFloat32> w = parameter(prefix + ".weight", s, Init.ones());
		Operand<TFloat32> b = parameter(prefix + ".bias", s, Init.zeros());
		Operand<TFloat32> mean = parameter(prefix + ".running_mean", s, Init.zeros());
		Operand<TFloat32> var = parameter(prefix + ".running_var", s, Init.ones());
		params.acceptIfPresent(prefix + ".num_batches_tracked");
		Operand<TFloat32> scale = tf.math.mul(w, tf.math.rsqrt(tf.math.add(var, tf.constant((float) eps))));
		Operand<TFloat32> shift = tf.math.sub(b, tf.math.mul(mean, scale));
		return List.of(scale, shift);
	}

	/**
	 * (x - mean) / sqrt(var + eps) over the given axes, biased variance; the statistics are
	 * taken with {@link #meanOverAxes}.
	 */
	public Operand<TFloat32> normalize(Operand<TFloat32> x, int[] axes, double eps) {
		return normalize(tf, x, axes, eps);
	}

	private static Operand<TFloat32> normalize(Ops tf, Operand<TFloat32> x, int[] axes, double eps) {
		Operand<TFloat32> mean = meanOverAxes(tf, x, axes);
		Operand<TFloat32> centered = tf.math.sub(x, mean);
		Operand<TFloat32> var = meanOverAxes(tf, tf.math.square(centered), axes);
		return tf.math.mul(centered, tf.math.rsqrt(tf.math.add(var, tf.constant((float) eps))));
	}

	/**
	 * The mean over the given axes, kept as size-1 axes, taken one axis at a time (the last
	 * first). Every slice along an axis has the same count, so the mean of the partial means is
	 * the mean; each float32 sum runs over one axis' length instead of all the axes' product
	 * (TensorFlow's CPU reduction of a non-innermost block of 96^3 voxels accumulates an error of
	 * ~1e-3 of the value, PyTorch's does not).
	 */
	public Operand<TFloat32> meanOverAxes(Operand<TFloat32> x, int[] axes) {
		return meanOverAxes(tf, x, axes);
	}

	private static Operand<TFloat32> meanOverAxes(Ops tf, Operand<TFloat32> x, int[] axes) {
		int[] sorted = axes.clone();
		Arrays.sort(sorted);
		Operand<TFloat32> m = x;
		for (int i = sorted.length - 1; i >= 0; i--) m = tf.math.mean(m, tf.constant(sorted[i]), Mean.keepDims(true));
		return m;
	}

	// ----------------------------------------------------------------- activations

	/** PyTorch {@code GELU} (exact: x * (1 + erf(x / sqrt 2)) / 2). */
	public Operand<TFloat32> gelu(Operand<TFloat32> x) {
		Operand<TFloat32> erf = tf.math.erf(tf.math.mul(x, tf.constant((float) (1 / Math.sqrt(2)))));
		return tf.math.mul(tf.math.mul(x, tf.constant(0.5f)), tf.math.add(erf, tf.constant(1f)));
	}

	/** PyTorch {@code LeakyReLU(negative_slope)}. */
	public Operand<TFloat32> leakyRelu(Operand<TFloat32> x, double negativeSlope) {
		return tf.nn.leakyRelu(x, LeakyRelu.alpha((float) negativeSlope));
	}

	/** PyTorch {@code ReLU}. */
	public Operand<TFloat32> relu(Operand<TFloat32> x) {
		return tf.nn.relu(x);
	}

	/** Softmax over the last axis. */
	public Operand<TFloat32> softmax(Operand<TFloat32> x) {
		return tf.nn.softmax(x);
	}

	/**
	 * Scaled dot-product attention: softmax(q k^T * scale) v, softmax over keys.
	 *
	 * @param q {@code [..., n, d]}
	 * @param k {@code [..., m, d]}
	 * @param v {@code [..., m, e]}
	 * @return {@code [..., n, e]}
	 */
	public Operand<TFloat32> attention(Operand<TFloat32> q, Operand<TFloat32> k, Operand<TFloat32> v, double scale) {
		long[] qs = staticShape(q);
		long[] ks = staticShape(k);
		long[] vs = staticShape(v);
		double groups = 1;
		for (int i = 1; i < qs.length - 2; i++) groups *= qs[i] < 0 ? Double.NaN : qs[i];
		count(groups, qs[qs.length - 2], ks[ks.length - 2], qs[qs.length - 1] + vs[vs.length - 1]);
		if (qs.length == 4) {
			// Einsum becomes oneDNN's batched matmul; BatchMatMulV3 (the op TF Java offers) runs in Eigen, ~10x slower here
			Operand<TFloat32> logits = tf.linalg.einsum(Arrays.asList(q, k), "bhnd,bhmd->bhnm");
			Operand<TFloat32> weights = tf.nn.softmax(tf.math.mul(logits, tf.constant((float) scale)));
			return tf.linalg.einsum(Arrays.asList(weights, v), "bhnm,bhme->bhne");
		}
		Operand<TFloat32> logits = tf.train.batchMatMul(q, k, TFloat32.class, BatchMatMul.adjY(true));
		Operand<TFloat32> weights = tf.nn.softmax(tf.math.mul(logits, tf.constant((float) scale)));
		return tf.train.batchMatMul(weights, v, TFloat32.class);
	}

	// ----------------------------------------------------------------- shapes

	/** Reshape; use -1 for the (dynamic) batch dimension. */
	public Operand<TFloat32> reshape(Operand<TFloat32> x, long... shape) {
		return tf.reshape(x, tf.constant(shape));
	}

	/** Axis permutation (axis i of the result is axis {@code perm[i]} of x). */
	public Operand<TFloat32> transpose(Operand<TFloat32> x, int... perm) {
		return tf.linalg.transpose(x, tf.constant(perm));
	}

	/** Concatenation along the last (channel) axis, in the given order (PyTorch {@code cat(dim=1)}). */
	@SafeVarargs
	public final Operand<TFloat32> concatChannels(Operand<TFloat32>... parts) {
		int axis = staticShape(parts[0]).length - 1;
		return tf.concat(Arrays.asList(parts), tf.constant(axis));
	}

	/** Number of channels (size of the last axis), which must be static. */
	public static long channels(Operand<TFloat32> x) {
		long[] s = staticShape(x);
		return s[s.length - 1];
	}

	/** The static shape, -1 for unknown dimensions. */
	public static long[] staticShape(Operand<?> x) {
		return x.shape().asArray();
	}
}
