package org.volseg.nets.unetr;

import org.volseg.nets.ConfiguredNetwork;

import java.util.ArrayList;
import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.op.core.Split;
import org.tensorflow.types.TFloat32;
import org.volseg.nets.Init;
import org.volseg.nets.Layers;
import org.volseg.nets.blocks.UnetrBlocks;

/**
 * The UNETR forward pass (eval mode) for one {@link UnetrConfig}, following MONAI's module tree
 * so that every parameter has its MONAI state_dict key: {@code vit.*} (ViT encoder),
 * {@code encoder1..4}, {@code decoder5..2}, {@code out}.
 */
final class UnetrNetwork extends ConfiguredNetwork {

	private static final double LAYER_NORM_EPS = 1e-5;

	private final UnetrConfig c;

	UnetrNetwork(UnetrConfig config) {
		super(Unetr.NAME, config.resolved, config.inChannels, config.outChannels);
		this.c = config;
	}

	@Override
	public long[] inputSpatialShape() {
		return new long[] { c.imgSize[0], c.imgSize[1], c.imgSize[2] };
	}

	@Override
	public List<String> unusedKeyPatterns() {
		// MONAI's TransformerBlock creates cross-attention modules even when with_cross_attention is false.
		return List.of("vit.blocks.*.cross_attn.*", "vit.blocks.*.norm_cross_attn.*");
	}

	@Override
	public Operand<TFloat32> build(Layers l, Operand<TFloat32> input) {
		List<Operand<TFloat32>> hidden = new ArrayList<>();
		Operand<TFloat32> x = vit(l, input, hidden);
		UnetrBlocks b = new UnetrBlocks(l, c.norm);
		int fs = c.featureSize;
		boolean res = c.resBlock;
		Operand<TFloat32> enc1 = b.unetrBasicBlock("encoder1", input, fs, 3, 1, res);
		Operand<TFloat32> enc2 = b.prUpBlock("encoder2", projectFeatures(l, hidden.get(3)), fs * 2, 2, 3, 2, c.convBlock, res);
		Operand<TFloat32> enc3 = b.prUpBlock("encoder3", projectFeatures(l, hidden.get(6)), fs * 4, 1, 3, 2, c.convBlock, res);
		Operand<TFloat32> enc4 = b.prUpBlock("encoder4", projectFeatures(l, hidden.get(9)), fs * 8, 0, 3, 2, c.convBlock, res);
		Operand<TFloat32> dec4 = projectFeatures(l, x);
		Operand<TFloat32> dec3 = b.upBlock("decoder5", dec4, enc4, fs * 8, 3, 2, res);
		Operand<TFloat32> dec2 = b.upBlock("decoder4", dec3, enc3, fs * 4, 3, 2, res);
		Operand<TFloat32> dec1 = b.upBlock("decoder3", dec2, enc2, fs * 2, 3, 2, res);
		Operand<TFloat32> out = b.upBlock("decoder2", dec1, enc1, fs, 3, 2, res);
		return b.outBlock("out", out, c.outChannels);
	}

	// ------------------------------------------------------------------ ViT

	/** The ViT encoder: returns the normed final tokens and collects every block's output. */
	private Operand<TFloat32> vit(Layers l, Operand<TFloat32> input, List<Operand<TFloat32>> hidden) {
		int[] g = c.featureGrid();
		long tokens = (long) g[0] * g[1] * g[2];
		int p = UnetrConfig.PATCH;
		Operand<TFloat32> x;
		if (c.projType.equals("conv")) {
			Operand<TFloat32> conv = l.conv3d("vit.patch_embedding.patch_embeddings", input, c.hiddenSize,
					new int[] { p, p, p }, new int[] { p, p, p }, zeros(), true);
			x = l.reshape(conv, -1, tokens, c.hiddenSize);
		} else {
			// einops "b c (h p1) (w p2) (d p3) -> b (h w d) (p1 p2 p3 c)" on a channels-last tensor
			Operand<TFloat32> split = l.reshape(input, -1, g[0], p, g[1], p, g[2], p, c.inChannels);
			Operand<TFloat32> patches = l.transpose(split, 0, 1, 3, 5, 2, 4, 6, 7);
			x = l.linear("vit.patch_embedding.patch_embeddings.1",
					l.reshape(patches, -1, tokens, (long) p * p * p * c.inChannels), c.hiddenSize, true);
		}
		Operand<TFloat32> position = l.parameter("vit.patch_embedding.position_embeddings",
				new long[] { 1, tokens, c.hiddenSize }, Init.normal(0.02));
		x = l.tf().math.add(x, position);
		for (int i = 0; i < UnetrConfig.LAYERS; i++) {
			x = transformerBlock(l, "vit.blocks." + i, x);
			hidden.add(x);
		}
		return l.layerNorm("vit.norm", x, LAYER_NORM_EPS);
	}

	private Operand<TFloat32> transformerBlock(Layers l, String prefix, Operand<TFloat32> x) {
		Operand<TFloat32> a = selfAttention(l, prefix + ".attn", l.layerNorm(prefix + ".norm1", x, LAYER_NORM_EPS));
		x = l.tf().math.add(x, a);
		Operand<TFloat32> h = l.layerNorm(prefix + ".norm2", x, LAYER_NORM_EPS);
		h = l.gelu(l.linear(prefix + ".mlp.linear1", h, c.mlpDim, true));
		h = l.linear(prefix + ".mlp.linear2", h, c.hiddenSize, true);
		return l.tf().math.add(x, h);
	}

	/** MONAI's SABlock: one qkv projection laid out (qkv, head, dim), softmax(q k^T / sqrt(dim)) v, out_proj. */
	private Operand<TFloat32> selfAttention(Layers l, String prefix, Operand<TFloat32> x) {
		long tokens = Layers.staticShape(x)[1];
		int heads = c.numHeads;
		int dim = c.hiddenSize / heads;
		Operand<TFloat32> qkv = l.linear(prefix + ".qkv", x, 3 * c.hiddenSize, c.qkvBias);
		Operand<TFloat32> split = l.transpose(l.reshape(qkv, -1, tokens, 3, heads, dim), 2, 0, 3, 1, 4);
		Split<TFloat32> parts = l.tf().split(l.tf().constant(0), split, 3L);
		Operand<TFloat32> q = l.reshape(parts.output().get(0), -1, heads, tokens, dim);
		Operand<TFloat32> k = l.reshape(parts.output().get(1), -1, heads, tokens, dim);
		Operand<TFloat32> v = l.reshape(parts.output().get(2), -1, heads, tokens, dim);
		Operand<TFloat32> att = l.attention(q, k, v, 1.0 / Math.sqrt(dim));
		Operand<TFloat32> merged = l.reshape(l.transpose(att, 0, 2, 1, 3), -1, tokens, c.hiddenSize);
		return l.linear(prefix + ".out_proj", merged, c.hiddenSize, true);
	}

	/** MONAI's proj_feat: tokens back to a channels-last feature grid. */
	private Operand<TFloat32> projectFeatures(Layers l, Operand<TFloat32> tokens) {
		int[] g = c.featureGrid();
		return l.reshape(tokens, -1, g[0], g[1], g[2], c.hiddenSize);
	}

	private static int[] zeros() {
		return new int[] { 0, 0, 0 };
	}
}
