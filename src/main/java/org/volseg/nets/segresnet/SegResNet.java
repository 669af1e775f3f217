package org.volseg.nets.segresnet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.volseg.nets.MonaiArchitecture;

/**
 * SegResNet (Myronenko, "3D MRI brain tumor segmentation using autoencoder regularization", 2018;
 * the encoder-decoder without the VAE branch) as MONAI's {@code monai.networks.nets.SegResNet}
 * (MONAI 1.5) builds it, configured by that constructor's keyword arguments: {@code spatial_dims}
 * 3 (3 only), {@code init_filters} 8, {@code in_channels} 1, {@code out_channels} 2,
 * {@code dropout_prob} null (inactive in inference), {@code act} {@code ["RELU", {"inplace": true}]}
 * (activations without parameters), {@code norm} {@code ["GROUP", {"num_groups": 8}]} (group, batch
 * or instance; eps 1e-5), {@code norm_name} "" and {@code num_groups} 8 (MONAI's deprecated way to
 * ask for group norm), {@code use_conv_final} true, {@code blocks_down} [1, 2, 2, 4],
 * {@code blocks_up} [1, 1, 1] (one fewer), {@code upsample_mode} {@code "nontrainable"} (trilinear,
 * align_corners false), {@code "deconv"} or {@code "pixelshuffle"} (MONAI's SubpixelUpsample). Stateless.
 */
public final class SegResNet extends MonaiArchitecture {

	/** Registry name. */
	public static final String NAME = "segresnet";

	/** The wholeBody_ct_segmentation bundle's network (104 structures + background). */
	public static final String PRESET_WHOLEBODY = "wholebody-ct";

	/** The brats_mri_segmentation bundle's network (4 MRI channels, 3 tumour regions). */
	public static final String PRESET_BRATS = "brats-mri";

	/** For the service loader. */
	public SegResNet() {
		super(NAME, "SegResNet", k -> new SegResNetNetwork(SegResNetConfig.parse(k)));
	}

	/**
	 * {@value #PRESET_WHOLEBODY}: MONAI model zoo wholeBody_ct_segmentation (1 CT channel, 105
	 * classes, init_filters 32, 96^3 windows); {@value #PRESET_BRATS}: brats_mri_segmentation (4 MRI
	 * channels, 3 overlapping tumour regions as sigmoid outputs, init_filters 16). Both blocks_down
	 * [1, 2, 2, 4], blocks_up [1, 1, 1], dropout_prob 0.2 (inactive in inference).
	 */
	@Override
	public Map<String, Map<String, Object>> presets() {
		Map<String, Map<String, Object>> presets = new LinkedHashMap<>();
		presets.put(PRESET_WHOLEBODY, preset(1, 105, 32));
		presets.put(PRESET_BRATS, preset(4, 3, 16));
		return presets;
	}

	private static Map<String, Object> preset(int in, int out, int filters) {
		Map<String, Object> p = new LinkedHashMap<>();
		p.put("spatial_dims", 3L);
		p.put("in_channels", (long) in);
		p.put("out_channels", (long) out);
		p.put("init_filters", (long) filters);
		p.put("blocks_down", List.of(1L, 2L, 2L, 4L));
		p.put("blocks_up", List.of(1L, 1L, 1L));
		p.put("dropout_prob", 0.2);
		return p;
	}
}
