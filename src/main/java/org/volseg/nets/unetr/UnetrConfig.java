package org.volseg.nets.unetr;

import java.util.Map;

import org.volseg.util.Json;
import org.volseg.nets.Kwargs;
import org.volseg.nets.blocks.MonaiNorm;

/** UNETR's validated keyword arguments (see {@link Unetr}). Immutable. */
final class UnetrConfig {

	static final int PATCH = 16;
	static final int LAYERS = 12;

	final int inChannels;
	final int outChannels;
	final int[] imgSize;
	final int featureSize;
	final int hiddenSize;
	final int mlpDim;
	final int numHeads;
	final String projType;
	final MonaiNorm norm;
	final boolean convBlock;
	final boolean resBlock;
	final boolean qkvBias;
	final Map<String, Object> resolved;

	private UnetrConfig(Kwargs k) {
		inChannels = k.positive("in_channels", null);
		outChannels = k.positive("out_channels", null);
		int spatialDims = k.integer("spatial_dims", 3);
		if (spatialDims != 3) throw k.invalid("spatial_dims", spatialDims, "3 (VolSeg builds 3D networks only)");
		imgSize = k.ints("img_size", 3, null);
		for (int s : imgSize) {
			if (s < PATCH || s % PATCH != 0) {
				throw k.invalid("img_size", Json.writeCompact(imgSize), "sizes that are positive multiples of the patch size " + PATCH);
			}
		}
		featureSize = k.positive("feature_size", 16);
		hiddenSize = k.positive("hidden_size", 768);
		mlpDim = k.positive("mlp_dim", 3072);
		numHeads = k.positive("num_heads", 12);
		if (hiddenSize % numHeads != 0) {
			throw k.invalid("hidden_size", hiddenSize, "a multiple of num_heads (" + numHeads + ")");
		}
		if (k.has("pos_embed") && k.has("proj_type")) {
			throw k.invalid("pos_embed", "given together with proj_type", "only one of them (pos_embed is the old name of proj_type)");
		}
		projType = k.has("pos_embed") ? k.choice("pos_embed", "conv", "conv", "perceptron")
				: k.choice("proj_type", "conv", "conv", "perceptron");
		norm = MonaiNorm.parse(k.raw("norm_name", "instance"), k.setting("norm_name"));
		convBlock = k.bool("conv_block", true);
		resBlock = k.bool("res_block", true);
		double dropout = k.number("dropout_rate", 0.0);
		if (dropout < 0 || dropout > 1) throw k.invalid("dropout_rate", dropout, "a number in [0, 1]");
		qkvBias = k.bool("qkv_bias", false);
		k.ignore("save_attn");
		k.checkNoOthers();
		resolved = k.resolved();
	}

	static UnetrConfig parse(Kwargs k) {
		return new UnetrConfig(k);
	}

	int[] featureGrid() {
		return new int[] { imgSize[0] / PATCH, imgSize[1] / PATCH, imgSize[2] / PATCH };
	}
}
