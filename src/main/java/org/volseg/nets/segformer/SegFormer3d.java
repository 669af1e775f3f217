package org.volseg.nets.segformer;

import java.util.LinkedHashMap;
import java.util.Map;

import org.volseg.nets.Architecture;
import org.volseg.nets.Network;

/**
 * SegFormer3D (Perera et al., CVPR Workshops 2024) as its reference code defines it
 * ({@code architectures/segformer3d.py}), configured by that constructor's keyword arguments
 * ({@link SegFormer3dConfig#KEYS}; missing ones take the reference defaults). Stateless.
 */
public final class SegFormer3d implements Architecture {

	/** Registry name. */
	public static final String NAME = "segformer3d";

	/** Name of the published BraTS configuration (128^3 crops, 4 MRI channels, 3 classes). */
	public static final String PRESET_BRATS = "segformer3d-brats";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String reference() {
		return "SegFormer3D architectures/segformer3d.py (Perera et al., CVPR Workshops 2024)";
	}

	@Override
	public Network configure(Map<String, Object> kwargs) {
		return new SegFormer3dNetwork(SegFormer3dConfig.fromMap(kwargs));
	}

	/** Sets {@code in_channels} and {@code num_classes} (the reference's name for the class count). */
	@Override
	public Map<String, Object> withDataShape(Map<String, Object> kwargs, int inputChannels, int classes, int[] patchSize) {
		Map<String, Object> k = new LinkedHashMap<>(kwargs);
		k.put("in_channels", (long) inputChannels);
		k.put("num_classes", (long) classes);
		return k;
	}

	/**
	 * {@value #PRESET_BRATS}: the reference constructor's defaults, which are the paper's BraTS model
	 * (in_channels 4, embed_dims [32, 64, 160, 256], depths [2, 2, 2, 2], num_heads [1, 2, 5, 8],
	 * sr_ratios [4, 2, 1, 1], mlp_ratios [4, 4, 4, 4], patch_kernel_size [7, 3, 3, 3], patch_stride
	 * [4, 2, 2, 2], patch_padding [3, 1, 1, 1], decoder_head_embedding_dim 256, num_classes 3), run on
	 * 128^3 crops.
	 */
	@Override
	public Map<String, Map<String, Object>> presets() {
		Map<String, Map<String, Object>> presets = new LinkedHashMap<>();
		presets.put(PRESET_BRATS, SegFormer3dConfig.defaults().toMap());
		return presets;
	}
}
