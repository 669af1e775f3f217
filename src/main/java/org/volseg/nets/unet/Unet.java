package org.volseg.nets.unet;

import java.util.LinkedHashMap;
import java.util.Map;

import org.volseg.nets.MonaiArchitecture;

/**
 * UNet with residual units (Kerfoot et al. 2018) as MONAI's {@code monai.networks.nets.UNet}
 * (MONAI 1.5) builds it, configured by that constructor's keyword arguments:
 * {@code spatial_dims} (3 only; required; {@code dimensions} is its old name), {@code in_channels},
 * {@code out_channels}, {@code channels} (at least 2), {@code strides} (one per level below the
 * top, each an integer or one per axis) (all required); {@code kernel_size} 3,
 * {@code up_kernel_size} 3 (odd, integer or 3 values), {@code num_res_units} 0, {@code act}
 * {@code "PRELU"}, {@code norm} {@code "INSTANCE"} (see {@link org.volseg.nets.blocks.MonaiActivation}
 * and {@link org.volseg.nets.blocks.MonaiNorm} for the accepted forms), {@code dropout} 0 (inactive
 * in inference), {@code bias} true, {@code adn_ordering} {@code "NDA"}. Stateless.
 */
public final class Unet extends MonaiArchitecture {

	/** Registry name. */
	public static final String NAME = "unet";

	/** The spleen_ct_segmentation bundle's network (MONAI model zoo). */
	public static final String PRESET_SPLEEN = "spleen-ct";

	/** For the service loader. */
	public Unet() {
		super(NAME, "UNet", k -> new UnetNetwork(UnetConfig.parse(k)));
	}

	/**
	 * {@value #PRESET_SPLEEN}: the MONAI model zoo's spleen_ct_segmentation network (1 CT channel, 2
	 * classes, channels 16..256, strides 2, 2 residual units, batch norm; the bundle runs it on 160^3
	 * windows).
	 */
	@Override
	public Map<String, Map<String, Object>> presets() {
		Map<String, Object> spleen = new LinkedHashMap<>();
		spleen.put("spatial_dims", 3L);
		spleen.put("in_channels", 1L);
		spleen.put("out_channels", 2L);
		spleen.put("channels", UnetConfig.list(16, 32, 64, 128, 256));
		spleen.put("strides", UnetConfig.list(2, 2, 2, 2));
		spleen.put("num_res_units", 2L);
		spleen.put("norm", "batch");
		Map<String, Map<String, Object>> presets = new LinkedHashMap<>();
		presets.put(PRESET_SPLEEN, spleen);
		return presets;
	}
}
