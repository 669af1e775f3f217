package org.volseg.nets.unet;

import org.volseg.nets.ConfiguredNetwork;

import java.util.Arrays;
import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.volseg.InvalidParameterException;
import org.volseg.nets.Layers;
import org.volseg.nets.blocks.ConvolutionUnits;

/**
 * The UNet forward pass (eval mode) for one {@link UnetConfig}, following MONAI's module tree so
 * that every parameter has its MONAI state_dict key. MONAI builds the network recursively: level
 * {@code i} is {@code Sequential(down, SkipConnection(inner), up)} under the key {@code model}
 * (level 0) or {@code <outer>.1.submodule}; the skip concatenates {@code [down(x), inner(down(x))]}
 * along channels; the innermost {@code inner} is the bottom layer (stride 1).
 * <ul>
 * <li>down ({@code .0}): a ResidualUnit with {@code num_res_units} subunits, or a Convolution when
 * {@code num_res_units} is 0, with the level's stride;</li>
 * <li>up ({@code .2}): a transposed Convolution (up_kernel_size, stride, output_padding stride-1)
 * followed, with residual units, by a one-subunit ResidualUnit ({@code .2.0}, {@code .2.1}); at the
 * top the last convolution has no norm/activation.</li>
 * </ul>
 * Input {@code [batch, d0, d1, d2, in_channels]}, any size whose axes are multiples of the product
 * of the strides along them; output the same size with {@code out_channels}.
 */
final class UnetNetwork extends ConfiguredNetwork {

	/** Patch size reported by {@link #inputSpatialShape()} (any size the strides divide runs too). */
	static final long DEFAULT_PATCH = 96;

	private final UnetConfig c;

	UnetNetwork(UnetConfig config) {
		super(Unet.NAME, config.resolved, config.inChannels, config.outChannels);
		this.c = config;
	}

	/** 96^3 rounded up to a multiple of the strides' product along each axis. */
	@Override
	public long[] inputSpatialShape() {
		int[] d = c.divisor();
		long[] s = new long[3];
		for (int a = 0; a < 3; a++) s[a] = (DEFAULT_PATCH + d[a] - 1) / d[a] * d[a];
		return s;
	}

	@Override
	public boolean acceptsOtherSpatialShapes() {
		return true;
	}

	@Override
	public long[] outputSpatialShape(long[] inputSpatialShape) {
		int[] d = c.divisor();
		for (int a = 0; a < 3; a++) {
			if (inputSpatialShape[a] < 1 || inputSpatialShape[a] % d[a] != 0) {
				throw InvalidParameterException.of("input size", Arrays.toString(inputSpatialShape),
						"sizes that are multiples of " + Arrays.toString(d) + " (the product of the UNet's strides along each axis)");
			}
		}
		return inputSpatialShape.clone();
	}

	@Override
	public List<String> unusedKeyPatterns() {
		// BatchNorm's num_batches_tracked is accepted where it is read; nothing else is unused.
		return List.of();
	}

	@Override
	public Operand<TFloat32> build(Layers l, Operand<TFloat32> input) {
		return level(l, "model", input, c.outChannels, 0);
	}

	/** MONAI's {@code _create_block} for level {@code i} (the top is level 0). */
	private Operand<TFloat32> level(Layers l, String prefix, Operand<TFloat32> x, int out, int i) {
		int ch = c.channels[i];
		int[] stride = c.strides[i];
		boolean top = i == 0;
		Operand<TFloat32> down = down(l, prefix + ".0", x, ch, stride);
		String inner = prefix + ".1.submodule";
		Operand<TFloat32> sub = c.channels.length - i > 2 ? level(l, inner, down, ch, i + 1)
				: down(l, inner, down, c.channels[i + 1], new int[] { 1, 1, 1 });
		return up(l, prefix + ".2", l.concatChannels(down, sub), out, stride, top);
	}

	private Operand<TFloat32> down(Layers l, String prefix, Operand<TFloat32> x, int out, int[] stride) {
		if (c.numResUnits > 0) {
			return ConvolutionUnits.residualUnit(l, prefix, x, out, stride, c.kernelSize, c.numResUnits, c.units, false);
		}
		return ConvolutionUnits.convolution(l, prefix, x, out, stride, c.kernelSize, c.units, false, false);
	}

	private Operand<TFloat32> up(Layers l, String prefix, Operand<TFloat32> x, int out, int[] stride, boolean top) {
		boolean residual = c.numResUnits > 0;
		Operand<TFloat32> y = ConvolutionUnits.convolution(l, residual ? prefix + ".0" : prefix, x, out, stride, c.upKernelSize, c.units,
				top && !residual, true);
		if (!residual) return y;
		return ConvolutionUnits.residualUnit(l, prefix + ".1", y, out, new int[] { 1, 1, 1 }, c.kernelSize, 1, c.units, top);
	}
}
