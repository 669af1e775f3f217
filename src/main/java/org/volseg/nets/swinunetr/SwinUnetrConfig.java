package org.volseg.nets.swinunetr;

import java.util.List;
import java.util.Map;

import org.volseg.util.Json;
import org.volseg.nets.Kwargs;
import org.volseg.nets.blocks.MonaiNorm;

/** SwinUNETR's validated keyword arguments (see {@link SwinUnetr}). Immutable. */
final class SwinUnetrConfig {

	/** Stages of the Swin encoder (MONAI's layers1..layers4). */
	static final int STAGES = 4;

	final int inChannels;
	final int outChannels;
	final int[] imgSize;
	final int patchSize;
	final int[] depths;
	final int[] numHeads;
	final int[] windowSize;
	final boolean qkvBias;
	final double mlpRatio;
	final int featureSize;
	final MonaiNorm norm;
	final boolean normalize;
	final boolean patchNorm;
	final boolean useV2;
	final PatchMergingOrder merging;
	final Map<String, Object> resolved;

	private SwinUnetrConfig(Kwargs k) {
		inChannels = k.positive("in_channels", null);
		outChannels = k.positive("out_channels", null);
		int spatialDims = k.integer("spatial_dims", 3);
		if (spatialDims != 3) {
			throw k.invalid("spatial_dims", spatialDims, "3 (VolSeg builds the 3-D SwinUNETR only; 2-D is not supported)");
		}
		patchSize = k.positive("patch_size", 2);
		if (patchSize != 2) {
			throw k.invalid("patch_size", patchSize, "2 (SwinUNETR's decoder joins the full-resolution skip after "
					+ "five 2x upsamplings, so other patch sizes cannot run in MONAI either)");
		}
		int divisor = (int) Math.pow(patchSize, 5);
		imgSize = k.ints("img_size", 3, new int[] { 96, 96, 96 });
		for (int s : imgSize) {
			if (s <= 0 || s % divisor != 0) {
				throw k.invalid("img_size", Json.writeCompact(imgSize), "positive multiples of " + divisor
						+ " (patch_size^5; MONAI checks the input size the same way)");
			}
		}
		depths = k.intList("depths", new int[] { 2, 2, 2, 2 });
		numHeads = k.intList("num_heads", new int[] { 3, 6, 12, 24 });
		if (depths.length != STAGES) throw k.invalid("depths", Json.writeCompact(depths), STAGES + " stage depths");
		if (numHeads.length != STAGES) throw k.invalid("num_heads", Json.writeCompact(numHeads), STAGES + " head counts");
		for (int d : depths) if (d < 0) throw k.invalid("depths", Json.writeCompact(depths), "depths >= 0");
		windowSize = k.ints("window_size", 3, new int[] { 7, 7, 7 });
		for (int w : windowSize) if (w <= 0) throw k.invalid("window_size", Json.writeCompact(windowSize), "positive sizes");
		qkvBias = k.bool("qkv_bias", true);
		mlpRatio = k.number("mlp_ratio", 4.0);
		if (!(mlpRatio > 0)) throw k.invalid("mlp_ratio", mlpRatio, "a positive number");
		featureSize = k.positive("feature_size", 24);
		if (featureSize % 12 != 0) throw k.invalid("feature_size", featureSize, "a multiple of 12 (MONAI requires it)");
		for (int i = 0; i < STAGES; i++) {
			if (numHeads[i] <= 0 || stageChannels(i) % numHeads[i] != 0) {
				throw k.invalid("num_heads", Json.writeCompact(numHeads), "head counts dividing each stage's channels "
						+ "(feature_size * 2^stage; stage " + (i + 1) + " has " + stageChannels(i) + ")");
			}
		}
		norm = MonaiNorm.parse(k.raw("norm_name", "instance"), k.setting("norm_name"));
		for (String rate : List.of("drop_rate", "attn_drop_rate", "dropout_path_rate")) {
			double r = k.number(rate, 0.0);
			if (r < 0 || r > 1) throw k.invalid(rate, r, "a number in [0, 1] (inactive in inference)");
		}
		normalize = k.bool("normalize", true);
		Object normLayer = k.raw("norm_layer", "torch.nn.LayerNorm");
		if (!List.of("torch.nn.LayerNorm", "nn.LayerNorm", "LayerNorm", "$torch.nn.LayerNorm", "$nn.LayerNorm").contains(normLayer)) {
			throw k.invalid("norm_layer", Json.writeCompact(normLayer), "torch.nn.LayerNorm (the only norm_layer VolSeg builds)");
		}
		patchNorm = k.bool("patch_norm", false);
		k.bool("use_checkpoint", false);
		String downsample = k.choice("downsample", "merging", "merging", "mergingv2");
		useV2 = k.bool("use_v2", false);
		String order = k.choice(SwinUnetr.PATCH_MERGING_ORDER, PatchMergingOrder.MONAI15.key(), PatchMergingOrder.MONAI14.key(),
				PatchMergingOrder.MONAI15.key());
		merging = downsample.equals("mergingv2") ? PatchMergingOrder.PRODUCT : PatchMergingOrder.of(order);
		k.checkNoOthers();
		resolved = k.resolved();
	}

	static SwinUnetrConfig parse(Kwargs k) {
		return new SwinUnetrConfig(k);
	}

	/** Channels of stage i (0-based) of the Swin encoder: {@code feature_size * 2^i}. */
	int stageChannels(int i) {
		return featureSize << i;
	}
}
