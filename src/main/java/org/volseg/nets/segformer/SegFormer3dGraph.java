package org.volseg.nets.segformer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.volseg.InvalidParameterException;

/**
 * Builds the SegFormer3D inference graph (eval mode) in TensorFlow from a reference
 * {@code state_dict}, operation for operation as the reference {@code SegFormer3D.forward}:
 * overlapping patch embeddings (Conv3d + LayerNorm), transformer blocks with efficient self-attention
 * (keys and values from a strided Conv3d + LayerNorm of the tokens when {@code sr_ratio > 1}) and a
 * Mix-FFN (Linear, depthwise 3x3x3 Conv3d, BatchNorm3d, GELU, Linear), a LayerNorm per stage, and the
 * all-MLP decoder (Linear + LayerNorm per stage, trilinear resize to stage 1, concatenation
 * {@code [c4, c3, c2, c1]}, 1x1x1 Conv3d + BatchNorm3d + ReLU, 1x1x1 Conv3d, trilinear upsampling by 4).
 *
 * <p>Layouts: input {@code [batch, d0, d1, d2, in_channels]}, output
 * {@code [batch, 4*c1_d0, 4*c1_d1, 4*c1_d2, num_classes]} channels-last, where d0..d2 are the PyTorch
 * tensor's d0..d2 (so a token's index is {@code (i0 * n1 + i1) * n2 + i2}, PyTorch's flatten order).
 * The reference requires cubic inputs (it reshapes tokens to {@code n x n x n} with
 * {@code n = round(N^(1/3))}); for cubic inputs this graph is the same computation; for other shapes
 * it is the natural generalisation (each stage keeps its true d0 x d1 x d2 grid). Batch and spatial
 * sizes may be unknown until run time (the graph computes its reshapes and resizing indices from the
 * run-time shape); when they are static, {@link #build} checks them. Normalisation epsilons are PyTorch's defaults, 1e-5.</p>
 */
public final class SegFormer3dGraph {

	/** PyTorch's default eps of {@code nn.LayerNorm} and {@code nn.BatchNorm3d}. */
	static final float EPS = 1e-5f;

	/** Values of a state-dict entry, row-major in PyTorch layout, already checked for shape. */
	@FunctionalInterface
	public interface Weights {
		float[] get(String key);
	}

	/** Turns TensorFlow-layout values into a graph operand (a constant, or a variable with an initial value). */
	@FunctionalInterface
	public interface ParameterFactory {
		Operand<TFloat32> create(Ops tf, String name, Shape shape, float[] values);
	}

	/** Parameters as graph constants named after their state-dict key. */
	public static final ParameterFactory CONSTANTS = (tf, name, shape, values) -> tf.withName(name)
			.constant(shape, DataBuffers.of(values, true, false));

	private final Ops tf;
	private final SegFormer3dConfig config;
	private final Weights weights;
	private final ParameterFactory factory;

	private SegFormer3dGraph(Ops tf, SegFormer3dConfig config, Weights weights, ParameterFactory factory) {
		this.tf = tf;
		this.config = config;
		this.weights = weights;
		this.factory = factory;
	}

	/**
	 * Adds the network to {@code tf}'s graph.
	 *
	 * @param input {@code [batch, d0, d1, d2, in_channels]}; static in_channels, any other size
	 * @param weights the state dict (keys as {@link SegFormer3dKeys#required}), shapes already checked
	 * @return the logits, channels-last, before any softmax
	 * @throws InvalidParameterException if the input's channels or spatial size do not fit the config
	 */
	public static Operand<TFloat32> build(Ops tf, Operand<TFloat32> input, SegFormer3dConfig config, Weights weights,
			ParameterFactory factory) {
		Shape shape = input.shape();
		if (shape.numDimensions() != 5 || shape.size(4) != config.inChannels()) {
			throw InvalidParameterException.of("input shape", shape,
					"[batch, d0, d1, d2, " + config.inChannels() + "] (channels-last, in_channels of the config)");
		}
		long[] spatial = { shape.size(1), shape.size(2), shape.size(3) };
		if (spatial[0] >= 0 && spatial[1] >= 0 && spatial[2] >= 0) {
			stageSizes(config, spatial);
		}
		return new SegFormer3dGraph(tf, config, weights, factory).network(input);
	}

	/**
	 * Spatial size of each encoder stage's feature map for an input size, as the reference computes it
	 * (Conv3d output {@code floor((n + 2p - k) / s) + 1}).
	 *
	 * @return {@code [stage][axis]}
	 * @throws InvalidParameterException if a stage would be empty or smaller than its sr_ratio
	 */
	public static long[][] stageSizes(SegFormer3dConfig c, long[] inputSize) {
		long[][] sizes = new long[4][3];
		long[] n = inputSize.clone();
		for (int s = 0; s < 4; s++) {
			for (int a = 0; a < 3; a++) {
				if (n[a] < 1) {
					throw InvalidParameterException.of("input size", Arrays.toString(inputSize),
							"static, positive spatial sizes");
				}
				long out = Math.floorDiv(n[a] + 2L * c.patchPadding()[s] - c.patchKernelSize()[s], c.patchStride()[s])
						+ 1;
				if (out < Math.max(1, c.srRatios()[s])) {
					throw InvalidParameterException.of("input size", Arrays.toString(inputSize),
							"a size whose encoder stage " + (s + 1) + " keeps at least sr_ratio = "
									+ c.srRatios()[s] + " voxels per axis (a multiple of 32, such as 128, with the "
									+ "default strides)");
				}
				sizes[s][a] = out;
			}
			n = sizes[s].clone();
		}
		return sizes;
	}

	/** Output spatial size for an input size: stage 1's size times 4 (the decoder's fixed upsampling). */
	public static long[] outputSize(SegFormer3dConfig c, long[] inputSize) {
		long[] c1 = stageSizes(c, inputSize)[0];
		return new long[] { 4 * c1[0], 4 * c1[1], 4 * c1[2] };
	}

	private Operand<TFloat32> network(Operand<TFloat32> input) {
		List<Operand<TFloat32>> features = new ArrayList<>();
		Operand<TFloat32> x = input;
		int inChannels = config.inChannels();
		for (int s = 0; s < 4; s++) {
			x = stage(x, s, inChannels);
			inChannels = config.embedDims()[s];
			features.add(x);
		}
		return decoder(features);
	}

	private Operand<TFloat32> stage(Operand<TFloat32> x, int s, int inChannels) {
		int dim = config.embedDims()[s];
		String embed = "segformer_encoder.embed_" + (s + 1);
		Operand<TFloat32> patches = conv3d(x, embed + ".patch_embeddings", inChannels, dim,
				config.patchKernelSize()[s], config.patchStride()[s], config.patchPadding()[s], true);
		Operand<TInt32> grid = ShapeOps.dims(tf, patches, 0, 4);
		Operand<TFloat32> tokens = layerNorm(tokens(patches, dim), embed + ".norm", dim);
		for (int b = 0; b < config.depths()[s]; b++) {
			tokens = block(tokens, "segformer_encoder.tf_block" + (s + 1) + "." + b, s, grid);
		}
		tokens = layerNorm(tokens, "segformer_encoder.norm" + (s + 1), dim);
		return volume(tokens, grid, dim);
	}

	private Operand<TFloat32> block(Operand<TFloat32> x, String p, int s, Operand<TInt32> grid) {
		int dim = config.embedDims()[s];
		Operand<TFloat32> attended = attention(layerNorm(x, p + ".norm1", dim), p + ".attention", s, grid);
		x = tf.math.add(x, attended);
		Operand<TFloat32> mixed = mixFfn(layerNorm(x, p + ".norm2", dim), p + ".mlp", s, grid);
		return tf.math.add(x, mixed);
	}

	private Operand<TFloat32> attention(Operand<TFloat32> x, String p, int s, Operand<TInt32> grid) {
		int dim = config.embedDims()[s];
		int heads = config.numHeads()[s];
		int headDim = dim / heads;
		int sr = config.srRatios()[s];
		Operand<TInt32> batchTokens = ShapeOps.dims(tf, x, 0, 2);
		Operand<TFloat32> q = tf.linalg.transpose(tf.reshape(linear(x, p + ".query", dim, dim),
				ShapeOps.concat(tf, batchTokens, tf.constant(new int[] { heads, headDim }))),
				tf.constant(new int[] { 0, 2, 1, 3 }));
		Operand<TFloat32> kvSource = x;
		if (sr > 1) {
			Operand<TFloat32> reduced = conv3d(volume(x, grid, dim), p + ".sr", dim, dim, sr, sr, 0, true);
			kvSource = layerNorm(tokens(reduced, dim), p + ".sr_norm", dim);
		}
		Operand<TFloat32> kv = tf.reshape(linear(kvSource, p + ".key_value", dim, 2 * dim), ShapeOps.concat(tf,
				ShapeOps.dims(tf, kvSource, 0, 2), tf.constant(new int[] { 2, heads, headDim })));
		Operand<TFloat32> k = tf.linalg.transpose(tf.stridedSlice(kv, Indices.all(), Indices.all(), Indices.at(0)),
				tf.constant(new int[] { 0, 2, 1, 3 }));
		Operand<TFloat32> v = tf.linalg.transpose(tf.stridedSlice(kv, Indices.all(), Indices.all(), Indices.at(1)),
				tf.constant(new int[] { 0, 2, 1, 3 }));
		Operand<TFloat32> scores = tf.math.mul(tf.train.batchMatMul(q, k, TFloat32.class, BatchMatMul.adjY(true)),
				tf.constant((float) (1.0 / Math.sqrt(headDim))));
		Operand<TFloat32> context = tf.train.batchMatMul(tf.nn.softmax(scores), v, TFloat32.class);
		Operand<TFloat32> merged = tf.reshape(tf.linalg.transpose(context, tf.constant(new int[] { 0, 2, 1, 3 })),
				ShapeOps.concat(tf, batchTokens, tf.constant(new int[] { dim })));
		return linear(merged, p + ".proj", dim, dim);
	}

	private Operand<TFloat32> mixFfn(Operand<TFloat32> x, String p, int s, Operand<TInt32> grid) {
		int dim = config.embedDims()[s];
		int hidden = config.mlpRatios()[s] * dim;
		Operand<TFloat32> h = volume(linear(x, p + ".fc1", dim, hidden), grid, hidden);
		String dw = p + ".dwconv.dwconv";
		Operand<TFloat32> filter = param(dw + ".weight", Shape.of(3, 3, 3, hidden),
				DepthwiseConv3d.filterFromPyTorch(weights.get(dw + ".weight"), hidden, 3));
		Operand<TFloat32> bias = param(dw + ".bias", Shape.of(hidden), weights.get(dw + ".bias"));
		h = DepthwiseConv3d.apply(tf, h, filter, bias, 3, 1);
		h = batchNorm(h, p + ".dwconv.bn", hidden);
		h = gelu(tokens(h, hidden));
		return linear(h, p + ".fc2", hidden, dim);
	}

	private Operand<TFloat32> decoder(List<Operand<TFloat32>> features) {
		int d = config.decoderHeadEmbeddingDim();
		Operand<TFloat32> c1 = features.get(0);
		List<Operand<TFloat32>> projected = new ArrayList<>();
		for (int s = 3; s >= 0; s--) {
			Operand<TFloat32> c = features.get(s);
			int dim = config.embedDims()[s];
			String p = "segformer_decoder.linear_c" + (s + 1);
			Operand<TFloat32> t = linear(tokens(c, dim), p + ".proj", dim, d);
			Operand<TFloat32> v = volume(layerNorm(t, p + ".bn", d), ShapeOps.dims(tf, c, 0, 4), d);
			projected.add(s == 0 ? v : TrilinearResize.toSizeOf(tf, v, c1));
		}
		Operand<TFloat32> fused = tf.concat(projected, tf.constant(4));
		String fuse = "segformer_decoder.linear_fuse";
		Operand<TFloat32> t = pointwise(tokens(fused, 4 * d), fuse + ".0", 4 * d, d, false);
		t = tf.nn.relu(batchNorm(t, fuse + ".1", d));
		t = pointwise(t, "segformer_decoder.linear_pred", d, config.numClasses(), true);
		return TrilinearResize.byFactor(tf, volume(t, ShapeOps.dims(tf, c1, 0, 4), config.numClasses()), 4);
	}

	// ---- layers (PyTorch semantics, channels-last) ----

	private Operand<TFloat32> param(String key, Shape shape, float[] values) {
		if (values.length != shape.size()) {
			throw new IllegalStateException(key + ": " + values.length + " values for shape " + shape);
		}
		return factory.create(tf, key, shape, values);
	}

	/** {@code nn.Linear} on the last axis of {@code [batch, n, in]}. */
	private Operand<TFloat32> linear(Operand<TFloat32> x, String p, int in, int out) {
		Operand<TFloat32> w = param(p + ".weight", Shape.of(in, out), TorchLayouts.linear(weights.get(p + ".weight"), out, in));
		Operand<TFloat32> b = param(p + ".bias", Shape.of(out), weights.get(p + ".bias"));
		Operand<TFloat32> flat = tf.reshape(x, tf.constant(new long[] { -1, in }));
		Operand<TFloat32> y = tf.nn.biasAdd(tf.linalg.matMul(flat, w), b);
		return tf.reshape(y, ShapeOps.concat(tf, ShapeOps.dims(tf, x, 0, 2), tf.constant(new int[] { out })));
	}

	/** A 1x1x1 {@code nn.Conv3d} applied to tokens {@code [batch, n, in]}: a linear map of the channels. */
	private Operand<TFloat32> pointwise(Operand<TFloat32> x, String p, int in, int out, boolean bias) {
		Operand<TFloat32> w = param(p + ".weight", Shape.of(in, out), TorchLayouts.linear(weights.get(p + ".weight"), out, in));
		Operand<TFloat32> y = tf.linalg.matMul(tf.reshape(x, tf.constant(new long[] { -1, in })), w);
		if (bias) {
			y = tf.nn.biasAdd(y, param(p + ".bias", Shape.of(out), weights.get(p + ".bias")));
		}
		return tf.reshape(y, ShapeOps.concat(tf, ShapeOps.dims(tf, x, 0, 2), tf.constant(new int[] { out })));
	}

	/** {@code nn.Conv3d(in, out, k, stride, padding)} on {@code [batch, d0, d1, d2, in]}: zero padding, then VALID. */
	private Operand<TFloat32> conv3d(Operand<TFloat32> x, String p, int in, int out, int k, int stride, int padding,
			boolean bias) {
		Operand<TFloat32> w = param(p + ".weight", Shape.of(k, k, k, in, out),
				TorchLayouts.conv3d(weights.get(p + ".weight"), out, in, k));
		if (padding > 0) {
			x = tf.pad(x, tf.constant(new int[][] { { 0, 0 }, { padding, padding }, { padding, padding },
					{ padding, padding }, { 0, 0 } }), tf.constant(0f));
		}
		long s = stride;
		Operand<TFloat32> y = tf.nn.conv3d(x, w, List.of(1L, s, s, s, 1L), "VALID");
		return bias ? tf.nn.biasAdd(y, param(p + ".bias", Shape.of(out), weights.get(p + ".bias"))) : y;
	}

	/** {@code nn.LayerNorm(dim)} (eps 1e-5, biased variance) over the last axis. */
	private Operand<TFloat32> layerNorm(Operand<TFloat32> x, String p, int dim) {
		Operand<TFloat32> gamma = param(p + ".weight", Shape.of(dim), weights.get(p + ".weight"));
		Operand<TFloat32> beta = param(p + ".bias", Shape.of(dim), weights.get(p + ".bias"));
		Operand<TInt32> axis = tf.constant(new int[] { -1 });
		Operand<TFloat32> centred = tf.math.sub(x, tf.math.mean(x, axis, org.tensorflow.op.math.Mean.keepDims(true)));
		Operand<TFloat32> variance = tf.math.mean(tf.math.square(centred), axis,
				org.tensorflow.op.math.Mean.keepDims(true));
		Operand<TFloat32> normed = tf.math.mul(centred, tf.math.rsqrt(tf.math.add(variance, tf.constant(EPS))));
		return tf.math.add(tf.math.mul(normed, gamma), beta);
	}

	/**
	 * {@code nn.BatchNorm3d} in eval mode on the last axis: {@code x * a + b} with
	 * {@code a = weight / sqrt(running_var + eps)}, {@code b = bias - running_mean * a}, folded at
	 * conversion as PyTorch's CPU kernel folds them.
	 */
	private Operand<TFloat32> batchNorm(Operand<TFloat32> x, String p, int dim) {
		float[] weight = weights.get(p + ".weight");
		float[] bias = weights.get(p + ".bias");
		float[] mean = weights.get(p + ".running_mean");
		float[] var = weights.get(p + ".running_var");
		float[] scale = new float[dim];
		float[] shift = new float[dim];
		for (int i = 0; i < dim; i++) {
			float invStd = (float) (1.0 / Math.sqrt(var[i] + (double) EPS));
			scale[i] = weight[i] * invStd;
			shift[i] = bias[i] - mean[i] * scale[i];
		}
		return tf.nn.biasAdd(tf.math.mul(x, param(p + ".scale", Shape.of(dim), scale)),
				param(p + ".shift", Shape.of(dim), shift));
	}

	/** {@code nn.GELU()}: the exact form {@code 0.5 x (1 + erf(x / sqrt 2))}. */
	private Operand<TFloat32> gelu(Operand<TFloat32> x) {
		Operand<TFloat32> erf = tf.math.erf(tf.math.mul(x, tf.constant((float) (1 / Math.sqrt(2)))));
		return tf.math.mul(tf.math.mul(x, tf.constant(0.5f)), tf.math.add(erf, tf.constant(1f)));
	}

	// ---- token <-> volume reshapes (PyTorch flatten order: d2 fastest) ----

	/** {@code [batch, d0, d1, d2, C]} to {@code [batch, d0 * d1 * d2, C]}. */
	private Operand<TFloat32> tokens(Operand<TFloat32> volume, int channels) {
		return tf.reshape(volume, ShapeOps.concat(tf, ShapeOps.dims(tf, volume, 0, 1),
				tf.constant(new int[] { -1, channels })));
	}

	/** {@code [batch, n, C]} to {@code [batch, d0, d1, d2, C]}, {@code grid} = (batch, d0, d1, d2). */
	private Operand<TFloat32> volume(Operand<TFloat32> tokens, Operand<TInt32> grid, int channels) {
		return tf.reshape(tokens, ShapeOps.concat(tf, grid, tf.constant(new int[] { channels })));
	}
}
