package org.volseg.nets.unetr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.volseg.nets.MonaiArchitecture;

/**
 * UNETR (Hatamizadeh et al., WACV 2022) as MONAI's {@code monai.networks.nets.UNETR} (MONAI 1.5)
 * defines it, configured by that constructor's keyword arguments: {@code in_channels},
 * {@code out_channels}, {@code img_size} (required), {@code feature_size} (16),
 * {@code hidden_size} (768), {@code mlp_dim} (3072), {@code num_heads} (12), {@code proj_type}
 * ({@code "conv"}; older MONAI's {@code pos_embed} is accepted too), {@code norm_name}
 * ({@code "instance"}), {@code conv_block} (true), {@code res_block} (true), {@code dropout_rate}
 * (0, inactive in inference), {@code spatial_dims} (3 only), {@code qkv_bias} (false),
 * {@code save_attn} (ignored). Patch size 16, 12 transformer layers.
 */
public final class Unetr extends MonaiArchitecture {

	/** Registry name. */
	public static final String NAME = "unetr";

	/** For the service loader. */
	public Unetr() {
		super(NAME, "UNETR", k -> new UnetrNetwork(UnetrConfig.parse(k)));
	}

	/** Also sets {@code img_size}: UNETR is built for one input size. */
	@Override
	public Map<String, Object> withDataShape(Map<String, Object> kwargs, int inputChannels, int classes, int[] patchSize) {
		Map<String, Object> k = super.withDataShape(kwargs, inputChannels, classes, patchSize);
		k.put("img_size", List.of((long) patchSize[0], (long) patchSize[1], (long) patchSize[2]));
		return k;
	}

	@Override
	public Map<String, Map<String, Object>> presets() {
		Map<String, Map<String, Object>> presets = new LinkedHashMap<>();
		presets.put("monai-unetr-btcv", btcv("conv"));
		presets.put("monai-unetr-btcv-perceptron", btcv("perceptron"));
		return presets;
	}

	/** The BTCV multi-organ configuration (96^3 patches, 1 channel, 14 classes). */
	private static Map<String, Object> btcv(String projType) {
		Map<String, Object> c = new LinkedHashMap<>();
		c.put("in_channels", 1L);
		c.put("out_channels", 14L);
		c.put("img_size", List.of(96L, 96L, 96L));
		c.put("feature_size", 16L);
		c.put("hidden_size", 768L);
		c.put("mlp_dim", 3072L);
		c.put("num_heads", 12L);
		c.put("proj_type", projType);
		c.put("norm_name", "instance");
		c.put("res_block", true);
		c.put("dropout_rate", 0.0);
		return c;
	}
}
