package org.volseg.nets.swinunetr;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.volseg.InvalidParameterException;
import org.volseg.nets.Architecture;
import org.volseg.nets.MonaiArchitecture;

/**
 * SwinUNETR (Hatamizadeh et al. 2022) as MONAI's {@code monai.networks.nets.SwinUNETR} builds it,
 * configured by that constructor's keyword arguments: {@code in_channels}, {@code out_channels}
 * (required), {@code feature_size} (24, a multiple of 12), {@code depths} ([2, 2, 2, 2]),
 * {@code num_heads} ([3, 6, 12, 24]), {@code window_size} (7), {@code patch_size} (2, the only
 * size SwinUNETR's decoder runs with), {@code qkv_bias} (true), {@code mlp_ratio} (4.0),
 * {@code norm_name} ("instance"; see {@link org.volseg.nets.blocks.MonaiNorm}), {@code normalize}
 * (true), {@code patch_norm} (false), {@code norm_layer} (torch.nn.LayerNorm only),
 * {@code downsample} ("merging" | "mergingv2"), {@code use_v2} (false), {@code spatial_dims} (3
 * only), {@code drop_rate}, {@code attn_drop_rate}, {@code dropout_path_rate} (0; checked to be
 * in [0, 1], inactive in inference), {@code use_checkpoint} (no effect).
 *
 * <p>{@code img_size} (MONAI &lt;= 1.4; removed in 1.5) does not change the network or its
 * weights: VolSeg builds its graph for a fixed input size and takes it from there (default 96;
 * multiples of 32 per axis, as MONAI checks).</p>
 *
 * <p>{@value #PATCH_MERGING_ORDER} ({@code "monai15"} default | {@code "monai14"}, VolSeg's own
 * argument) chooses the sub-grid order of {@code downsample="merging"}, which MONAI changed in
 * 1.5.0 (see {@link #patchMergingOrderForMonaiVersion}); recorded in model packages.</p>
 */
public final class SwinUnetr extends MonaiArchitecture {

	/** Registry name. */
	public static final String NAME = "swinunetr";

	/** VolSeg's keyword argument choosing the patch merging order: {@code "monai14"} or {@code "monai15"}. */
	public static final String PATCH_MERGING_ORDER = "patch_merging_order";

	/** For the service loader. */
	public SwinUnetr() {
		super(NAME, "SwinUNETR", k -> new SwinUnetrNetwork(SwinUnetrConfig.parse(k)));
	}

	@Override
	public Map<String, Map<String, Object>> presets() {
		Map<String, Map<String, Object>> presets = new LinkedHashMap<>();
		presets.put("swin-unetr-btcv", btcv());
		return presets;
	}

	/**
	 * The keyword arguments with those that follow from the training data: {@code in_channels},
	 * {@code out_channels} and {@code img_size} = the patch size (the size the graph is built for).
	 * The signature of {@code Architecture.withDataShape} (branch i13-nets), which this overrides
	 * once both are merged, so that {@code volseg train --arch swinunetr} builds its graph for the
	 * training patch.
	 *
	 * @param kwargs the user's arguments (not modified)
	 * @param patchSize training patch size (d0, d1, d2)
	 * @return a new map
	 */
	public Map<String, Object> withDataShape(Map<String, Object> kwargs, int inputChannels, int classes, int[] patchSize) {
		Map<String, Object> k = new LinkedHashMap<>(kwargs);
		k.put("in_channels", (long) inputChannels);
		k.put("out_channels", (long) classes);
		k.put("img_size", java.util.List.of((long) patchSize[0], (long) patchSize[1], (long) patchSize[2]));
		return k;
	}

	/**
	 * The {@value #PATCH_MERGING_ORDER} value for a network trained with the given MONAI version
	 * (for example a bundle's {@code metadata.json} {@code monai_version}): {@code "monai14"} for
	 * versions before 1.5.0 (their {@code PatchMerging} repeats two sub-grids and drops two),
	 * {@code "monai15"} from 1.5.0 on. Only the leading {@code major.minor} numbers count
	 * ({@code "1.4.0"}, {@code "1.4.0rc1"}, {@code "1.5"}, {@code "1.5.0+12.gabc"}).
	 *
	 * @throws InvalidParameterException naming {@code monai_version} if it does not start with
	 *         {@code major.minor}
	 */
	public static String patchMergingOrderForMonaiVersion(String version) {
		Matcher m = version == null ? null : Pattern.compile("\\s*v?(\\d+)\\.(\\d+).*").matcher(version);
		if (m == null || !m.matches()) {
			throw InvalidParameterException.of("monai_version", version, "a MONAI version such as 1.4.0");
		}
		int major = Integer.parseInt(m.group(1));
		int minor = Integer.parseInt(m.group(2));
		boolean old = major < 1 || (major == 1 && minor < 5);
		return old ? PatchMergingOrder.MONAI14.key() : PatchMergingOrder.MONAI15.key();
	}

	/**
	 * The model zoo's swin_unetr_btcv_segmentation network_def (13 abdominal organs + background,
	 * feature size 48, 96^3 patches), trained with MONAI 1.4's patch merging.
	 */
	private static Map<String, Object> btcv() {
		Map<String, Object> c = new LinkedHashMap<>();
		c.put("spatial_dims", 3L);
		c.put("img_size", 96L);
		c.put("in_channels", 1L);
		c.put("out_channels", 14L);
		c.put("feature_size", 48L);
		c.put("use_checkpoint", false);
		c.put(PATCH_MERGING_ORDER, PatchMergingOrder.MONAI14.key());
		return c;
	}
}
