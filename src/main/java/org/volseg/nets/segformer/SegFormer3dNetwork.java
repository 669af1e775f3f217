package org.volseg.nets.segformer;

import static org.volseg.engine.kernels.FusedKernels.PortableForm.floatInput;

import org.volseg.nets.ConfiguredNetwork;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.volseg.nets.blocks.ShapeOps;
import org.volseg.nets.blocks.TrilinearResize;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.volseg.InvalidParameterException;
import org.volseg.nets.Init;
import org.volseg.engine.kernels.FusedKernels;
import org.volseg.nets.Layers;

/**
 * The SegFormer3D inference graph (eval mode) for one {@link SegFormer3dConfig}, operation for
 * operation as the reference {@code SegFormer3D.forward}, every parameter under its reference
 * state_dict key: overlapping patch embeddings ({@code segformer_encoder.embed_N}: Conv3d +
 * LayerNorm), transformer blocks ({@code segformer_encoder.tf_blockN.i}) with efficient
 * self-attention (keys and values from a strided Conv3d + LayerNorm of the tokens when
 * {@code sr_ratio > 1}) and a Mix-FFN (Linear, depthwise 3x3x3 Conv3d, BatchNorm3d, GELU, Linear), a
 * LayerNorm per stage ({@code segformer_encoder.normN}), and the all-MLP decoder
 * ({@code segformer_decoder}: Linear + LayerNorm per stage, trilinear resize to stage 1,
 * concatenation {@code [c4, c3, c2, c1]}, 1x1x1 Conv3d + BatchNorm3d + ReLU, 1x1x1 Conv3d, trilinear
 * upsampling by 4). LayerNorm and BatchNorm eps are PyTorch's default, 1e-5; GELU is the exact (erf)
 * form; attention scale {@code head_dim^-0.5}.
 *
 * <p>Layouts: input {@code [batch, d0, d1, d2, in_channels]}, output
 * {@code [batch, 4*n0, 4*n1, 4*n2, num_classes]} channels-last, where {@code n} is encoder stage 1's
 * size and d0..d2 the PyTorch tensor's d0..d2; tokens are numbered in PyTorch's flatten order
 * ({@code (i0 * n1 + i1) * n2 + i2}). Batch and spatial sizes are taken from the input at run time.
 * The reference only runs on cubic inputs (it reshapes tokens to {@code n x n x n} with
 * {@code n = round(N^(1/3))}); for those this is the same computation, for other shapes the natural
 * generalisation (every stage keeps its true grid).</p>
 */
final class SegFormer3dNetwork extends ConfiguredNetwork {

	static final double EPS = 1e-5;

	/** Patch size reported by {@link #inputSpatialShape()}: the reference's BraTS crops. */
	static final long DEFAULT_PATCH = 128;

	/** The decoder's fixed final upsampling ({@code nn.Upsample(scale_factor=4.0)}). */
	static final int UPSAMPLE = 4;

	private final SegFormer3dConfig c;

	SegFormer3dNetwork(SegFormer3dConfig config) {
		super(SegFormer3d.NAME, config.toMap(), config.inChannels(), config.numClasses());
		this.c = config;
	}

	SegFormer3dConfig configuration() {
		return c;
	}

	/** 128^3, the patch size of the reference's BraTS training; any other valid size runs too. */
	@Override
	public long[] inputSpatialShape() {
		return new long[] { DEFAULT_PATCH, DEFAULT_PATCH, DEFAULT_PATCH };
	}

	@Override
	public boolean acceptsOtherSpatialShapes() {
		return true;
	}

	@Override
	public long[] outputSpatialShape(long[] inputSpatialShape) {
		long[] c1 = stageSizes(c, inputSpatialShape)[0];
		return new long[] { UPSAMPLE * c1[0], UPSAMPLE * c1[1], UPSAMPLE * c1[2] };
	}

	@Override
	public List<String> unusedKeyPatterns() {
		// Layers.batchNorm accepts each BatchNorm3d's num_batches_tracked; nothing else is unused.
		return List.of();
	}

	/**
	 * Spatial size of each encoder stage's feature map, as the reference's Conv3d computes it
	 * ({@code floor((n + 2p - k) / s) + 1}).
	 *
	 * @return {@code [stage][axis]}
	 * @throws InvalidParameterException naming the input size if a stage would be smaller than its
	 *         sr_ratio (where the reference's reduction Conv3d fails)
	 */
	static long[][] stageSizes(SegFormer3dConfig c, long[] inputSize) {
		long[][] sizes = new long[4][3];
		long[] n = inputSize.clone();
		for (int s = 0; s < 4; s++) {
			for (int a = 0; a < 3; a++) {
				long out = n[a] < 1 ? 0
						: Math.floorDiv(n[a] + 2L * c.patchPadding()[s] - c.patchKernelSize()[s], c.patchStride()[s]) + 1;
				if (out < Math.max(1, c.srRatios()[s])) {
					throw InvalidParameterException.of("input size", Arrays.toString(inputSize),
							"a spatial size whose SegFormer3D encoder stage " + (s + 1) + " keeps at least sr_ratio = "
									+ Math.max(1, c.srRatios()[s]) + " voxel(s) per axis (with the default strides: "
									+ "a multiple of 32, such as 128)");
				}
				sizes[s][a] = out;
			}
			n = sizes[s].clone();
		}
		return sizes;
	}

	/** {@link SegFormer3dFlops#forward}: 31.1 GFLOP at 128^3 for {@code segformer3d-brats}. */
	@Override
	public double referenceFlops(long[] spatialSize) {
		return SegFormer3dFlops.forward(c, spatialSize);
	}

	@Override
	public Operand<TFloat32> build(Layers l, Operand<TFloat32> input) {
		long[] shape = Layers.staticShape(input);
		if (shape.length != 5 || shape[4] != c.inChannels()) {
			throw InvalidParameterException.of("input shape", Arrays.toString(shape),
					"[batch, d0, d1, d2, " + c.inChannels() + "] (channels-last, in_channels of the config)");
		}
		if (shape[1] > 0 && shape[2] > 0 && shape[3] > 0) {
			stageSizes(c, new long[] { shape[1], shape[2], shape[3] });
		}
		return new Builder(l).network(input);
	}

	/** Builds one graph; holds the toolkit. */
	private final class Builder {

		private final Layers l;
		private final Ops tf;

		Builder(Layers layers) {
			this.l = layers;
			this.tf = layers.tf();
		}

		Operand<TFloat32> network(Operand<TFloat32> input) {
			List<Operand<TFloat32>> features = new ArrayList<>();
			Operand<TFloat32> x = input;
			for (int s = 0; s < 4; s++) {
				x = stage(x, s);
				features.add(x);
			}
			return decoder(features);
		}

		private Operand<TFloat32> stage(Operand<TFloat32> x, int s) {
			int dim = c.embedDims()[s];
			String embed = "segformer_encoder.embed_" + (s + 1);
			int k = c.patchKernelSize()[s];
			int stride = c.patchStride()[s];
			int pad = c.patchPadding()[s];
			Operand<TFloat32> patches = s == 0 && stride > 1 ? blockedConv3d(embed + ".patch_embeddings", x, dim, k, stride, pad)
					: directConv3d(embed + ".patch_embeddings", x, dim, k, stride, pad);
			Operand<TInt32> grid = ShapeOps.dims(tf, patches, 0, 4);
			Operand<TFloat32> tokens = l.layerNorm(embed + ".norm", tokens(patches, dim), EPS);
			for (int b = 0; b < c.depths()[s]; b++) {
				tokens = block(tokens, "segformer_encoder.tf_block" + (s + 1) + "." + b, s, grid);
			}
			tokens = l.layerNorm("segformer_encoder.norm" + (s + 1), tokens, EPS);
			return volume(tokens, grid, dim);
		}

		/**
		 * {@link Layers#conv3d} with bias (same keys, shapes and initialisation) computed by
		 * {@link BlockedConv3d}, or VolSeg's fused {@code VolsegConv3d} ({@link #fusable}): for the
		 * first patch embedding, whose few input channels (the MRI modalities) make TensorFlow's
		 * Conv3D slow.
		 */
		private Operand<TFloat32> blockedConv3d(String prefix, Operand<TFloat32> x, int out, int k, int stride, int pad) {
			return fusableConv3d(prefix, x, out, k, stride, pad,
					(ops, inputs) -> BlockedConv3d.apply(ops, floatInput(inputs, 0), floatInput(inputs, 1), floatInput(inputs, 2), k, stride, pad));
		}

		/**
		 * {@link Layers#conv3d} with bias and the same kernel, stride and padding on every axis (same
		 * keys, shapes and initialisation), marked for or built as VolSeg's fused {@code VolsegConv3d}
		 * ({@link #fusableConv3d}), with {@link Layers#convolve3d} and a bias as the portable form:
		 * the patch embeddings of stages 2–4 and the spatial reduction of the keys' and values'
		 * tokens (kernel = stride = sr_ratio), whose small outputs oneDNN's Conv3D computes in two to
		 * four times the fused op's time (at 128^3).
		 */
		private Operand<TFloat32> directConv3d(String prefix, Operand<TFloat32> x, int out, int k, int stride, int pad) {
			int[] strides = { stride, stride, stride };
			int[] padding = { pad, pad, pad };
			return fusableConv3d(prefix, x, out, k, stride, pad, (ops, inputs) -> ops.nn.biasAdd(
					Layers.convolve3d(ops, floatInput(inputs, 0), floatInput(inputs, 1), strides, padding), floatInput(inputs, 2)));
		}

		/**
		 * A convolution with bias and the same kernel, stride and padding on every axis, as {@link
		 * Layers#conv3d} holds it (keys {@code prefix.weight} and {@code prefix.bias}, shapes,
		 * initialisation, order), marked for or built as the fused {@code VolsegConv3d} when that op
		 * takes the kernel and padding ({@link FusedKernels.Fusion#CONV3D}); {@code portable} computes
		 * it from the inputs (x, weight {@code [k, k, k, in, out]}, bias) where the fused op does not run.
		 */
		private Operand<TFloat32> fusableConv3d(String prefix, Operand<TFloat32> x, int out, int k, int stride, int pad,
				FusedKernels.PortableForm portable) {
			long in = Layers.channels(x);
			Init init = Init.fanIn(in * k * k * k);
			Operand<TFloat32> w = l.parameter(prefix + ".weight", new long[] { out, in, k, k, k }, init, 2, 3, 4, 1, 0);
			Operand<TFloat32> b = l.parameter(prefix + ".bias", new long[] { out }, init);
			long[] xs = Layers.staticShape(x);
			long[] shape = { xs[0], -1, -1, -1, out }; // -1 where the input's size is known only at run time
			double voxels = 1;
			for (int a = 1; a <= 3; a++) {
				shape[a] = xs[a] < 0 ? -1 : Math.floorDiv(xs[a] + 2L * pad - k, stride) + 1;
				voxels *= shape[a] < 0 ? Double.NaN : shape[a];
			}
			l.countMultiplyAdds(voxels * out * in * k * k * k);
			if (k > FusedKernels.CONV3D_MAX_KERNEL || pad >= k) {
				return portable.build(tf, List.of(x, w, b));
			}
			Operand<TFloat32> y = fusable(FusedKernels.Fusion.CONV3D, portable, x, w, b, tf.constant(stride), tf.constant(pad));
			// the fused op's shape function cannot read the stride and padding: the sizes known here
			return l.fusedKernelThreads() == 0 ? y : tf.ensureShape(y, org.tensorflow.ndarray.Shape.of(shape));
		}

		private Operand<TFloat32> block(Operand<TFloat32> x, String p, int s, Operand<TInt32> grid) {
			Operand<TFloat32> attended = attention(l.layerNorm(p + ".norm1", x, EPS), p + ".attention", s, grid);
			x = tf.math.add(x, attended);
			Operand<TFloat32> mixed = mixFfn(l.layerNorm(p + ".norm2", x, EPS), p + ".mlp", s, grid);
			return tf.math.add(x, mixed);
		}

		/** Efficient self-attention: queries from every token, keys and values from the spatially reduced tokens. */
		private Operand<TFloat32> attention(Operand<TFloat32> x, String p, int s, Operand<TInt32> grid) {
			int dim = c.embedDims()[s];
			int heads = c.numHeads()[s];
			int headDim = dim / heads;
			if (heads == 1 && !l.training()) {
				return singleHeadAttention(x, p, s, grid);
			}
			Operand<TInt32> batchTokens = ShapeOps.dims(tf, x, 0, 2);
			Operand<TInt32> perHead = tf.constant(new int[] { 0, 2, 1, 3 });
			// (B, N, C) -> (B, N, heads, head_dim) -> (B, heads, N, head_dim)
			Operand<TFloat32> q = tf.linalg.transpose(tf.reshape(l.linear(p + ".query", x, dim, true),
					ShapeOps.concat(tf, batchTokens, tf.constant(new int[] { heads, headDim }))), perHead);
			Operand<TFloat32> kvSource = keyValueSource(x, p, s, grid);
			// key_value's 2C outputs are laid out (2, heads, head_dim): keys first, then values
			Operand<TFloat32> kv = tf.reshape(l.linear(p + ".key_value", kvSource, 2 * dim, true), ShapeOps.concat(tf,
					ShapeOps.dims(tf, kvSource, 0, 2), tf.constant(new int[] { 2, heads, headDim })));
			Operand<TFloat32> k = tf.linalg.transpose(scaledKeys(tf.stridedSlice(kv, Indices.all(), Indices.all(), Indices.at(0)),
					headDim), perHead);
			Operand<TFloat32> v = tf.linalg.transpose(tf.stridedSlice(kv, Indices.all(), Indices.all(), Indices.at(1)),
					perHead);
			Operand<TFloat32> context = attend(q, k, v);
			Operand<TFloat32> merged = tf.reshape(tf.linalg.transpose(context, perHead),
					ShapeOps.concat(tf, batchTokens, tf.constant(new int[] { dim })));
			return l.linear(p + ".proj", merged, dim, true);
		}

		/** The tokens keys and values are computed from: the spatially reduced tokens if {@code sr_ratio > 1}, else x. */
		private Operand<TFloat32> keyValueSource(Operand<TFloat32> x, String p, int s, Operand<TInt32> grid) {
			int dim = c.embedDims()[s];
			int sr = c.srRatios()[s];
			if (sr == 1) {
				return x;
			}
			Operand<TFloat32> reduced = directConv3d(p + ".sr", volume(x, grid, dim), dim, sr, sr, 0);
			return l.layerNorm(p + ".sr_norm", tokens(reduced, dim), EPS);
		}

		/**
		 * {@link #attention} with one head (stage 1 of the published configurations), the output
		 * projection applied to the values (inference only): every row of the softmax P sums to 1, so
		 * {@code P V Wp^T + bp = P (V Wp^T + bp)}, which is computed on the m reduced tokens instead
		 * of the n tokens (at 128^3, 512 rows instead of 32768). With one head no transposition is
		 * needed. Same parameters (keys, shapes, initialisation, order) as the general form; equal to
		 * it up to float rounding.
		 */
		private Operand<TFloat32> singleHeadAttention(Operand<TFloat32> x, String p, int s, Operand<TInt32> grid) {
			int dim = c.embedDims()[s];
			Operand<TFloat32> query = l.linear(p + ".query", x, dim, true);
			Operand<TFloat32> kvSource = keyValueSource(x, p, s, grid);
			Operand<TFloat32> kv = l.linear(p + ".key_value", kvSource, 2 * dim, true);
			Operand<TFloat32> keys = scaledKeys(tf.slice(kv, tf.constant(new int[] { 0, 0, 0 }), tf.constant(new int[] { -1, -1, dim })),
					dim);
			Operand<TFloat32> values = tf.slice(kv, tf.constant(new int[] { 0, 0, dim }), tf.constant(new int[] { -1, -1, dim }));
			Operand<TFloat32> projectedValues = l.linear(p + ".proj", values, dim, true);
			return tf.reshape(attend(oneHead(query), oneHead(keys), oneHead(projectedValues)), ShapeOps.dims(tf, query, 0, 3));
		}

		/** {@code [batch, n, C]} as {@code [batch, 1, n, C]}. */
		private Operand<TFloat32> oneHead(Operand<TFloat32> tokens) {
			return tf.expandDims(tokens, tf.constant(1));
		}

		/**
		 * The keys times the attention scale {@code head_dim^-0.5}, which is applied to them (m x
		 * head_dim values) rather than to the queries (n) or the logits (n x m).
		 */
		private Operand<TFloat32> scaledKeys(Operand<TFloat32> keys, int headDim) {
			return tf.math.mul(keys, tf.constant((float) (1.0 / Math.sqrt(headDim))));
		}

		/**
		 * softmax(q k^T) v per batch sample and head, softmax over the keys; k already scaled.
		 * Batched matmuls rather than {@link Layers#attention}'s Einsum: about half the CPU time for
		 * these shapes (32768 queries x 512 keys x 32 at stage 1). The logits are a
		 * {@code BatchMatMulV3} (TensorFlow's own kernel), the weighted sum a {@code BatchMatMulV2},
		 * which TensorFlow hands to oneDNN: each the faster of the two for its shape (the thin
		 * 32-wide product takes about 0.6 of the own kernel's time in oneDNN, the logits about 1.3).
		 * Marked for, or built as, VolSeg's fused {@code VolsegAttention} ({@link #fusable}), which
		 * never writes the n x m logits to memory.
		 */
		private Operand<TFloat32> attend(Operand<TFloat32> q, Operand<TFloat32> k, Operand<TFloat32> v) {
			long[] qs = Layers.staticShape(q);
			long[] ks = Layers.staticShape(k);
			l.countMultiplyAdds((qs[1] < 0 || qs[2] < 0 || ks[2] < 0) ? Double.NaN : (double) qs[1] * qs[2] * ks[2] * (qs[3] + ks[3]));
			return fusable(FusedKernels.Fusion.ATTENTION, (ops, in) -> batchMatMulV2(ops,
					ops.nn.softmax(ops.train.batchMatMul(floatInput(in, 0), floatInput(in, 1), TFloat32.class, BatchMatMul.adjY(true))),
					floatInput(in, 2)), q, k, v);
		}

		/** {@code a b} per batch entry as a {@code BatchMatMulV2} op, which TF Java's {@code Ops} do not build. */
		private static Operand<TFloat32> batchMatMulV2(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
			return tf.scope().opBuilder("BatchMatMulV2", "BatchMatMulV2").addInput(a.asOutput()).addInput(b.asOutput())
					.build().output(0);
		}

		/**
		 * Linear, depthwise 3x3x3 Conv3d + BatchNorm3d on the token grid, GELU, Linear. The
		 * BatchNorm (eval mode: a per-channel affine map) is folded into the depthwise kernel and
		 * bias, and so are half of GELU's constants (the other half into fc2's weight).
		 */
		private Operand<TFloat32> mixFfn(Operand<TFloat32> x, String p, int s, Operand<TInt32> grid) {
			int dim = c.embedDims()[s];
			int hidden = c.mlpRatios()[s] * dim;
			Operand<TFloat32> h = volume(l.linear(p + ".fc1", x, hidden, true), grid, hidden);
			String dw = p + ".dwconv.dwconv";
			// [C, 1, 3, 3, 3] -> [3, 3, 3, C, 1] -> [3, 3, 3, C]
			Operand<TFloat32> filter = l.parameterReshaped(dw + ".weight", new long[] { hidden, 1, 3, 3, 3 },
					Init.normal(Math.sqrt(2.0 / 27)), new long[] { 3, 3, 3, hidden }, 2, 3, 4, 0, 1);
			Operand<TFloat32> bias = l.parameter(dw + ".bias", new long[] { hidden }, Init.zeros());
			List<Operand<TFloat32>> bn = l.batchNormScaleShift(p + ".dwconv.bn", hidden, EPS);
			// GELU(h) = h' (1 + erf(h')) / sqrt 2 with h' = h / sqrt 2: one 1 / sqrt 2 goes into the
			// depthwise kernel and bias, the other into fc2's weight (3 element-wise passes instead of 5)
			double geluScale = 1 / Math.sqrt(2);
			Operand<TFloat32> scale = tf.math.mul(bn.get(0), tf.constant((float) geluScale));
			filter = tf.math.mul(filter, scale);
			bias = tf.math.add(tf.math.mul(bias, scale), tf.math.mul(bn.get(1), tf.constant((float) geluScale)));
			h = tokens(depthwiseConvErfGate(h, filter, bias), hidden);
			return l.linear(p + ".fc2", h, dim, true, geluScale);
		}

		/**
		 * {@code h (1 + erf h)} with {@code h} the depthwise 3x3x3 convolution plus bias: VolSeg's
		 * fused CPU op when the graph runs here with {@link Layers#fuseKernels fused kernels}, else
		 * TensorFlow's ops, marked for the fused op (for inference) so that a model package loaded
		 * on a CPU with the kernels runs it fused.
		 */
		private Operand<TFloat32> depthwiseConvErfGate(Operand<TFloat32> h, Operand<TFloat32> filter, Operand<TFloat32> bias) {
			return fusable(FusedKernels.Fusion.DEPTHWISE_CONV3D_GELU,
					(ops, in) -> erfGate(ops, DepthwiseConv3d.apply(ops, floatInput(in, 0), floatInput(in, 1), floatInput(in, 2), 3, 1)), h, filter,
					bias);
		}

		/**
		 * The fused op when the graph runs here with {@link Layers#fuseKernels fused kernels}; else
		 * the portable form, marked for the fused op unless the graph is for training.
		 */
		private Operand<TFloat32> fusable(FusedKernels.Fusion fusion, FusedKernels.PortableForm portable, Operand<?>... inputs) {
			if (l.fusedKernelThreads() > 0)
				return FusedKernels.fused(tf, fusion, l.fusedKernelThreads(), inputs);
			if (l.training())
				return portable.build(tf, List.of(inputs));
			return FusedKernels.marked(tf, fusion, portable, inputs);
		}

		private static Operand<TFloat32> erfGate(Ops tf, Operand<TFloat32> h) {
			return tf.math.mul(h, tf.math.add(tf.math.erf(h), tf.constant(1f)));
		}

		/**
		 * The all-MLP decoder. {@code linear_fuse} (a 1x1x1 Conv3d without bias on the concatenation
		 * {@code [c4, c3, c2, c1]}, 4d -> d channels) is the sum of four d x d blocks, one per stage;
		 * each block is applied at its stage's own resolution before the trilinear resize (a linear map
		 * per voxel commutes with interpolation, whose weights sum to 1), which cuts the decoder's
		 * multiply-adds at 128^3 from 4.5 G to 1.2 G and never builds the 4d-channel concatenation.
		 * The eval-mode BatchNorm after it is folded into the blocks (its scale) and one bias (its
		 * shift). For inference each stage's Linear, LayerNorm and block run as one
		 * {@link NormalizedProjection} (no d-wide intermediate; 0.3 G multiply-adds instead of 1.4 G
		 * at 128^3), the LayerNorms' shifts joining the BatchNorm's bias, which is added to stage 4's
		 * tokens before the resize instead of to the 32^3 x d sum. Equal to the reference up to
		 * float rounding.
		 */
		private Operand<TFloat32> decoder(List<Operand<TFloat32>> features) {
			int d = c.decoderHeadEmbeddingDim();
			Operand<TFloat32> c1 = features.get(0);
			String fuse = "segformer_decoder.linear_fuse";
			Operand<TFloat32> fuseWeight = l.parameterReshaped(fuse + ".0.weight", new long[] { d, 4L * d, 1, 1, 1 },
					Init.normal(Math.sqrt(2.0 / d)), new long[] { 4L * d, d }, 1, 0, 2, 3, 4);
			List<Operand<TFloat32>> bn = l.batchNormScaleShift(fuse + ".1", d, EPS);
			List<Operand<TFloat32>> fused = new ArrayList<>();
			List<Operand<TFloat32>> shifts = new ArrayList<>(List.of(bn.get(1)));
			for (int block = 0; block < 4; block++) {
				// concatenation order [c4, c3, c2, c1]: block i reads stage 4 - i through rows [i d, (i + 1) d)
				int stage = 3 - block;
				Operand<TFloat32> w = tf.math.mul(tf.slice(fuseWeight, tf.constant(new int[] { block * d, 0 }),
						tf.constant(new int[] { d, d })), bn.get(0));
				String p = "segformer_decoder.linear_c" + (stage + 1);
				Operand<TFloat32> f = features.get(stage);
				Operand<TFloat32> x = tf.reshape(f, tf.constant(new long[] { -1, c.embedDims()[stage] }));
				if (l.training()) {
					Operand<TFloat32> projected = l.layerNorm(p + ".bn", l.linear(p + ".proj", x, d, true), EPS);
					fused.add(tf.linalg.matMul(projected, w));
				} else {
					NormalizedProjection.Parts n = normalizedProjection(p, x, w, tokensPerSample(f));
					fused.add(n.scaled());
					shifts.add(n.shift());
				}
			}
			// the constant shifts join the coarsest stage's 64 tokens: interpolation weights sum to 1
			fused.set(0, tf.nn.biasAdd(fused.get(0), tf.math.addN(shifts)));
			List<Operand<TFloat32>> volumes = new ArrayList<>();
			for (int block = 0; block < 4; block++)
				volumes.add(volume(fused.get(block), ShapeOps.dims(tf, features.get(3 - block), 0, 4), d));
			// dropout: inactive in eval mode
			String pred = "segformer_decoder.linear_pred";
			Operand<TFloat32> predWeight = pointwiseWeight(pred, d, c.numClasses());
			Operand<TFloat32> predBias = l.parameter(pred + ".bias", new long[] { c.numClasses() }, Init.zeros());
			Operand<TFloat32> logits = fusable(FusedKernels.Fusion.RESIZE_SUM_RELU_LINEAR,
					(ops, in) -> resizeSumReluLinear(ops, floatInput(in, 0), List.of(floatInput(in, 1), floatInput(in, 2), floatInput(in, 3)), floatInput(in, 4),
							floatInput(in, 5)),
					volumes.get(3), volumes.get(0), volumes.get(1), volumes.get(2), predWeight, predBias);
			return TrilinearResize.byFactor(tf, logits, UPSAMPLE);
		}

		/**
		 * {@code relu(fine + coarse inputs resized to fine's size) weight + bias} on
		 * {@code [batch, d0, d1, d2, C]} volumes, weight {@code [C, K]}: the decoder head from TensorFlow's
		 * ops, the portable form of VolSeg's fused {@code VolsegResizeSumReluLinear} ({@link #fusable}).
		 */
		private static Operand<TFloat32> resizeSumReluLinear(Ops tf, Operand<TFloat32> fine, List<Operand<TFloat32>> coarse,
				Operand<TFloat32> weight, Operand<TFloat32> bias) {
			List<Operand<TFloat32>> parts = new ArrayList<>();
			for (Operand<TFloat32> v : coarse)
				parts.add(TrilinearResize.toSizeOf(tf, v, fine));
			parts.add(fine);
			Operand<TFloat32> sum = tf.nn.relu(tf.math.addN(parts));
			long channels = Layers.channels(fine);
			Operand<TFloat32> y = tf.nn.biasAdd(tf.linalg.matMul(tf.reshape(sum, tf.constant(new long[] { -1, channels })), weight),
					bias);
			return tf.reshape(y, ShapeOps.concat(tf, ShapeOps.dims(tf, fine, 0, 4), ShapeOps.dims(tf, weight, 1, 2)));
		}

		/**
		 * {@code LayerNorm(x W + b) block} of a decoder stage ({@code prefix.proj}, {@code prefix.bn}: the
		 * keys, shapes and initialisation of {@link Layers#linear} and {@link Layers#layerNorm}); x is
		 * {@code [tokens, C]}.
		 */
		private NormalizedProjection.Parts normalizedProjection(String prefix, Operand<TFloat32> x, Operand<TFloat32> block,
				double tokensPerSample) {
			long in = Layers.channels(x);
			int d = c.decoderHeadEmbeddingDim();
			Init init = Init.fanIn(in);
			Operand<TFloat32> w = l.parameter(prefix + ".proj.weight", new long[] { d, in }, init, 1, 0);
			Operand<TFloat32> b = l.parameter(prefix + ".proj.bias", new long[] { d }, init);
			Operand<TFloat32> gamma = l.parameter(prefix + ".bn.weight", new long[] { d }, Init.ones());
			Operand<TFloat32> beta = l.parameter(prefix + ".bn.bias", new long[] { d }, Init.zeros());
			l.countMultiplyAdds(tokensPerSample * ((in + 1) * d + in * NormalizedProjection.squaresPerToken(in, d)));
			return NormalizedProjection.apply(tf, x, w, b, gamma, beta, block, EPS);
		}

		/** The {@code [in, out]} matrix of a 1x1x1 Conv3d {@code p} ({@code p.weight}, {@code [out, in, 1, 1, 1]}). */
		private Operand<TFloat32> pointwiseWeight(String p, int in, int out) {
			return l.parameterReshaped(p + ".weight", new long[] { out, in, 1, 1, 1 }, Init.normal(Math.sqrt(2.0 / out)),
					new long[] { in, out }, 1, 0, 2, 3, 4);
		}

		/** d0 * d1 * d2 of a {@code [batch, d0, d1, d2, C]} volume; NaN if one is known only at run time. */
		private double tokensPerSample(Operand<TFloat32> volume) {
			long[] s = Layers.staticShape(volume);
			return s[1] < 0 || s[2] < 0 || s[3] < 0 ? Double.NaN : (double) s[1] * s[2] * s[3];
		}

		/** {@code [batch, d0, d1, d2, C]} to {@code [batch, d0 * d1 * d2, C]} (PyTorch's {@code flatten(2).transpose(1, 2)}). */
		private Operand<TFloat32> tokens(Operand<TFloat32> volume, int channels) {
			return tf.reshape(volume, ShapeOps.concat(tf, ShapeOps.dims(tf, volume, 0, 1),
					tf.constant(new int[] { -1, channels })));
		}

		/** {@code [batch, n, C]} to {@code [batch, d0, d1, d2, C]}; {@code grid} = (batch, d0, d1, d2). */
		private Operand<TFloat32> volume(Operand<TFloat32> tokens, Operand<TInt32> grid, int channels) {
			return tf.reshape(tokens, ShapeOps.concat(tf, grid, tf.constant(new int[] { channels })));
		}
	}
}
