package org.volseg.nets.segresnet;

import java.util.List;
import java.util.Map;

import org.volseg.util.Json;
import org.volseg.nets.Kwargs;
import org.volseg.nets.blocks.MonaiActivation;
import org.volseg.nets.blocks.MonaiNorm;
import org.volseg.nets.blocks.Upsampling;

/** SegResNet's validated keyword arguments (see {@link SegResNet}). Immutable. */
final class SegResNetConfig {

	final int initFilters;
	final int inChannels;
	final int outChannels;
	final MonaiActivation act;
	final MonaiNorm norm;
	final boolean useConvFinal;
	final int[] blocksDown;
	final int[] blocksUp;
	final Upsampling.Mode upsampleMode;
	final Map<String, Object> resolved;

	private SegResNetConfig(Kwargs k) {
		int spatialDims = k.integer("spatial_dims", 3);
		if (spatialDims != 3) throw k.invalid("spatial_dims", spatialDims, "3 (VolSeg builds 3D networks only)");
		initFilters = k.positive("init_filters", 8);
		inChannels = k.positive("in_channels", 1);
		outChannels = k.positive("out_channels", 2);
		Object dropout = k.raw("dropout_prob", null);
		if (dropout != null && (!(dropout instanceof Number) || ((Number) dropout).doubleValue() < 0
				|| ((Number) dropout).doubleValue() > 1)) {
			throw k.invalid("dropout_prob", Json.writeCompact(dropout), "null or a probability (inactive in inference)");
		}
		act = MonaiActivation.parse(k.raw("act", List.of("RELU", Map.of("inplace", true))), "segresnet config.act");
		if (act.hasParameters()) {
			throw k.invalid("act", act.name(), "an activation without parameters (MONAI's SegResNet shares one activation module "
					+ "between blocks; VolSeg does not build " + act.name() + " there)");
		}
		Object normName = k.raw("norm_name", "");
		int numGroups = k.positive("num_groups", 8);
		Object normValue = k.raw("norm", List.of("GROUP", Map.of("num_groups", 8L)));
		if (normName != null && !"".equals(normName)) {
			if (!(normName instanceof String) || !((String) normName).equalsIgnoreCase("group")) {
				throw k.invalid("norm_name", Json.writeCompact(normName), "\"group\" or \"\" (MONAI deprecated norm_name; use norm)");
			}
			norm = MonaiNorm.group(numGroups);
		} else {
			norm = MonaiNorm.parse(normValue, "segresnet config.norm");
		}
		useConvFinal = k.bool("use_conv_final", true);
		blocksDown = k.intList("blocks_down", new int[] { 1, 2, 2, 4 });
		blocksUp = k.intList("blocks_up", new int[] { 1, 1, 1 });
		if (blocksDown.length < 1) throw k.invalid("blocks_down", Json.writeCompact(blocksDown), "at least one level");
		if (blocksUp.length != blocksDown.length - 1) {
			throw k.invalid("blocks_up", Json.writeCompact(blocksUp), "one value per level below the top: "
					+ (blocksDown.length - 1) + " values for blocks_down " + Json.writeCompact(blocksDown)
					+ " (otherwise MONAI's decoder channels do not match)");
		}
		for (int b : blocksDown) if (b < 0) throw k.invalid("blocks_down", Json.writeCompact(blocksDown), "counts of 0 or more");
		for (int b : blocksUp) if (b < 0) throw k.invalid("blocks_up", Json.writeCompact(blocksUp), "counts of 0 or more");
		upsampleMode = Upsampling.Mode.parse(k.raw("upsample_mode", "nontrainable"), "segresnet config.upsample_mode");
		for (int i = 0; i < blocksDown.length; i++) norm.checkChannels(initFilters << i, "segresnet config.norm");
		k.checkNoOthers();
		resolved = k.resolved();
	}

	static SegResNetConfig parse(Kwargs k) {
		return new SegResNetConfig(k);
	}

	/** Levels below the top: the input sizes must be multiples of 2^levels. */
	int divisor() {
		return 1 << (blocksDown.length - 1);
	}
}
