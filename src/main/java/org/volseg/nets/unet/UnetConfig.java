package org.volseg.nets.unet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.volseg.util.Json;
import org.volseg.nets.Kwargs;
import org.volseg.nets.blocks.ConvolutionUnits;
import org.volseg.nets.blocks.MonaiActivation;
import org.volseg.nets.blocks.MonaiNorm;

/** UNet's validated keyword arguments (see {@link Unet}). Immutable. */
final class UnetConfig {

	final int inChannels;
	final int outChannels;
	final int[] channels;
	/** Per level (one fewer than channels), per axis. */
	final int[][] strides;
	final int[] kernelSize;
	final int[] upKernelSize;
	final int numResUnits;
	final ConvolutionUnits.Settings units;
	final Map<String, Object> resolved;

	private UnetConfig(Kwargs k) {
		if (k.has("dimensions") && k.has("spatial_dims")) {
			throw k.invalid("dimensions", "given together with spatial_dims", "only spatial_dims (dimensions is its old name)");
		}
		int spatialDims = k.has("dimensions") ? k.integer("dimensions", 3) : k.integer("spatial_dims", null);
		if (spatialDims != 3) throw k.invalid(k.has("dimensions") ? "dimensions" : "spatial_dims", spatialDims, "3 (VolSeg builds 3D networks only)");
		inChannels = k.positive("in_channels", null);
		outChannels = k.positive("out_channels", null);
		channels = k.intList("channels", null);
		if (channels.length < 2) throw k.invalid("channels", Json.writeCompact(channels), "at least two channel counts");
		for (int c : channels) if (c <= 0) throw k.invalid("channels", Json.writeCompact(channels), "positive channel counts");
		strides = strides(k, channels.length - 1);
		kernelSize = odd(k, "kernel_size");
		upKernelSize = odd(k, "up_kernel_size");
		numResUnits = k.integer("num_res_units", 0);
		if (numResUnits < 0) throw k.invalid("num_res_units", numResUnits, "0 or more");
		MonaiActivation act = MonaiActivation.parse(k.raw("act", "PRELU"), "unet config.act");
		MonaiNorm norm = MonaiNorm.parse(k.raw("norm", "INSTANCE"), "unet config.norm");
		for (int c : channels) norm.checkChannels(c, "unet config.norm");
		if (numResUnits > 0) norm.checkChannels(outChannels, "unet config.norm"); // else the top's last conv has no norm
		Object dropout = k.raw("dropout", 0.0);
		if (dropout != null && !(dropout instanceof Number) && !(dropout instanceof List && ((List<?>) dropout).size() == 2)) {
			throw k.invalid("dropout", Json.writeCompact(dropout), "a probability or [name, {arguments}] (inactive in inference)");
		}
		boolean bias = k.bool("bias", true);
		Object ordering = k.raw("adn_ordering", "NDA");
		if (!(ordering instanceof String)) throw k.invalid("adn_ordering", Json.writeCompact(ordering), "a string of the letters N, D, A");
		units = new ConvolutionUnits.Settings(act, norm, ConvolutionUnits.Settings.checkOrdering((String) ordering,
				"unet config.adn_ordering"), bias);
		k.checkNoOthers();
		resolved = k.resolved();
	}

	static UnetConfig parse(Kwargs k) {
		return new UnetConfig(k);
	}

	/** MONAI's strides: one per level, each an integer or one per axis; extra values are unused (MONAI warns). */
	private static int[][] strides(Kwargs k, int levels) {
		Object v = k.raw("strides", null);
		String expectation = "a list of at least " + levels + " strides (each a positive integer or a list of 3)";
		if (!(v instanceof List) || ((List<?>) v).size() < levels) throw k.invalid("strides", v == null ? "nothing" : Json.writeCompact(v), expectation);
		List<?> list = (List<?>) v;
		int[][] s = new int[levels][];
		for (int i = 0; i < levels; i++) {
			Object e = list.get(i);
			int[] axes = new int[3];
			if (e instanceof Number) {
				java.util.Arrays.fill(axes, positiveInt(k, e, v, expectation));
			} else if (e instanceof List && ((List<?>) e).size() == 3) {
				for (int a = 0; a < 3; a++) axes[a] = positiveInt(k, ((List<?>) e).get(a), v, expectation);
			} else {
				throw k.invalid("strides", Json.writeCompact(v), expectation);
			}
			s[i] = axes;
		}
		return s;
	}

	private static int positiveInt(Kwargs k, Object e, Object all, String expectation) {
		if (!(e instanceof Number) || ((Number) e).doubleValue() != ((Number) e).intValue() || ((Number) e).intValue() < 1) {
			throw k.invalid("strides", Json.writeCompact(all), expectation);
		}
		return ((Number) e).intValue();
	}

	private static int[] odd(Kwargs k, String key) {
		int[] v = k.ints(key, 3, new int[] { 3, 3, 3 });
		for (int x : v) if (x < 1 || x % 2 != 1) throw k.invalid(key, Json.writeCompact(v), "odd kernel sizes");
		return v;
	}

	/** Product of the strides along each axis: the input sizes must be multiples of it. */
	int[] divisor() {
		int[] d = { 1, 1, 1 };
		for (int[] s : strides) for (int a = 0; a < 3; a++) d[a] *= s[a];
		return d;
	}

	static List<Object> list(int... values) {
		List<Object> l = new ArrayList<>();
		for (int v : values) l.add((long) v);
		return l;
	}
}
