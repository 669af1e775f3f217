package org.volseg.nets.segresnet;

import org.volseg.nets.ConfiguredNetwork;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.volseg.InvalidParameterException;
import org.volseg.nets.Layers;
import org.volseg.nets.blocks.Upsampling;

/**
 * The SegResNet forward pass (eval mode) for one {@link SegResNetConfig}, following MONAI's module
 * tree so that every parameter has its MONAI state_dict key:
 * <ul>
 * <li>{@code convInit}: 3x3x3 convolution to init_filters (no bias; dropout after it is inactive in eval);</li>
 * <li>{@code down_layers.i}: for i &gt; 0 a 3x3x3 stride-2 convolution doubling the channels
 * ({@code .0}), then blocks_down[i] ResBlocks ({@code .1}, {@code .2}, ...);</li>
 * <li>{@code up_samples.i}: a 1x1x1 convolution halving the channels ({@code .0}) and an upsampling
 * by 2 ({@code .1}); the result plus the encoder output of the same size goes through blocks_up[i]
 * ResBlocks ({@code up_layers.i.j});</li>
 * <li>{@code conv_final}: norm ({@code .0}), activation, 1x1x1 convolution with bias ({@code .2}),
 * only if use_conv_final (MONAI creates it either way; its keys are then unused).</li>
 * </ul>
 * A ResBlock ({@code segresnet_block.ResBlock}) is norm1, act, conv1 (3x3x3, no bias), norm2, act,
 * conv2, plus its input. Input {@code [batch, d0, d1, d2, in_channels]}, any size whose axes are
 * multiples of 2^(levels - 1); output the same size with out_channels (init_filters without the final block).
 */
final class SegResNetNetwork extends ConfiguredNetwork {

	/** Patch size reported by {@link #inputSpatialShape()} (wholeBody_ct_segmentation's window). */
	static final long DEFAULT_PATCH = 96;

	private static final int[] ONE = { 1, 1, 1 };
	private static final int[] THREE = { 3, 3, 3 };
	private static final int[] TWO = { 2, 2, 2 };

	private final SegResNetConfig c;

	SegResNetNetwork(SegResNetConfig config) {
		super(SegResNet.NAME, config.resolved, config.inChannels, config.useConvFinal ? config.outChannels : config.initFilters);
		this.c = config;
	}

	/** 96^3 rounded up to a multiple of 2^(levels - 1). */
	@Override
	public long[] inputSpatialShape() {
		long d = c.divisor();
		long s = (DEFAULT_PATCH + d - 1) / d * d;
		return new long[] { s, s, s };
	}

	@Override
	public boolean acceptsOtherSpatialShapes() {
		return true;
	}

	@Override
	public long[] outputSpatialShape(long[] inputSpatialShape) {
		int d = c.divisor();
		for (long n : inputSpatialShape) {
			if (n < 1 || n % d != 0) {
				throw InvalidParameterException.of("input size", Arrays.toString(inputSpatialShape),
						"sizes that are multiples of " + d + " (2 to the number of SegResNet levels below the top)");
			}
		}
		return inputSpatialShape.clone();
	}

	@Override
	public List<String> unusedKeyPatterns() {
		return c.useConvFinal ? List.of() : List.of("conv_final.*");
	}

	@Override
	public Operand<TFloat32> build(Layers l, Operand<TFloat32> input) {
		int f = c.initFilters;
		Operand<TFloat32> x = l.conv3d("convInit.conv", input, f, THREE, ONE, ONE, false);
		List<Operand<TFloat32>> skips = new ArrayList<>();
		for (int i = 0; i < c.blocksDown.length; i++) {
			String prefix = "down_layers." + i;
			int channels = f << i;
			if (i > 0) x = l.conv3d(prefix + ".0.conv", x, channels, THREE, TWO, ONE, false);
			for (int b = 0; b < c.blocksDown[i]; b++) x = resBlock(l, prefix + "." + (b + 1), x);
			skips.add(x);
		}
		int levels = c.blocksUp.length;
		for (int i = 0; i < levels; i++) {
			int channels = (f << (levels - i)) / 2;
			String prefix = "up_samples." + i;
			Operand<TFloat32> y = l.conv3d(prefix + ".0.conv", x, channels, ONE, ONE, new int[3], false);
			y = Upsampling.upsampleByTwo(l, prefix + ".1", y, c.upsampleMode);
			x = l.tf().math.add(y, skips.get(levels - 1 - i));
			for (int b = 0; b < c.blocksUp[i]; b++) x = resBlock(l, "up_layers." + i + "." + b, x);
		}
		if (!c.useConvFinal) return x;
		x = c.act.apply(l, "conv_final.1", c.norm.apply(l, "conv_final.0", x));
		return l.conv3d("conv_final.2.conv", x, c.outChannels, ONE, ONE, new int[3], true);
	}

	/** MONAI's segresnet_block.ResBlock (kernel 3). */
	private Operand<TFloat32> resBlock(Layers l, String prefix, Operand<TFloat32> x) {
		int channels = (int) Layers.channels(x);
		Operand<TFloat32> y = c.act.apply(l, prefix + ".act", c.norm.apply(l, prefix + ".norm1", x));
		y = l.conv3d(prefix + ".conv1.conv", y, channels, THREE, ONE, ONE, false);
		y = c.act.apply(l, prefix + ".act", c.norm.apply(l, prefix + ".norm2", y));
		y = l.conv3d(prefix + ".conv2.conv", y, channels, THREE, ONE, ONE, false);
		return l.tf().math.add(y, x);
	}
}
