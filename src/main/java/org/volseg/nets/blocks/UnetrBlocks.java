package org.volseg.nets.blocks;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.volseg.InvalidParameterException;
import org.volseg.nets.Layers;

/**
 * The convolutional blocks of MONAI's UNETR family ({@code monai.networks.blocks.dynunet_block}
 * and {@code unetr_block}) in eval mode, shared by UNETR and SwinUNETR: each block takes its
 * parameters by MONAI's state_dict keys under the given prefix. Volumes are channels-last
 * {@code [batch, d0, d1, d2, channel]} with static d0..d2; convolutions are 3-D, without bias,
 * with MONAI's {@code get_padding}; the activation is MONAI's default for these blocks,
 * LeakyReLU with slope 0.01; dropout is inactive in eval mode.
 *
 * <p>Bound to one {@link Layers} (one graph build) and one norm; not thread-safe.</p>
 */
public final class UnetrBlocks {

	/** LeakyReLU slope of MONAI's {@code ("leakyrelu", {"inplace": True, "negative_slope": 0.01})}. */
	public static final double LEAKY_SLOPE = 0.01;

	private final Layers l;
	private final MonaiNorm norm;

	/**
	 * @param layers the layer toolkit of the graph being built
	 * @param norm the blocks' {@code norm_name}
	 */
	public UnetrBlocks(Layers layers, MonaiNorm norm) {
		this.l = layers;
		this.norm = norm;
	}

	/** The layer toolkit these blocks build with. */
	public Layers layers() {
		return l;
	}

	/**
	 * {@code UnetResBlock}: conv(kernel, stride) - norm1 - LeakyReLU - conv(kernel, 1) - norm2,
	 * plus the input (through a 1x1x1 convolution {@code conv3} with stride and {@code norm3} when
	 * the channels or the stride change), then LeakyReLU. Keys {@code prefix.conv1.conv.weight},
	 * {@code prefix.norm1.*}, {@code prefix.conv2.conv.weight}, {@code prefix.norm2.*},
	 * {@code prefix.conv3.conv.weight}, {@code prefix.norm3.*}.
	 */
	public Operand<TFloat32> resBlock(String prefix, Operand<TFloat32> x, int out, int kernel, int stride) {
		long in = Layers.channels(x);
		Operand<TFloat32> y = conv(prefix + ".conv1.conv", x, out, kernel, stride);
		y = l.leakyRelu(norm(prefix + ".norm1", y), LEAKY_SLOPE);
		y = norm(prefix + ".norm2", conv(prefix + ".conv2.conv", y, out, kernel, 1));
		Operand<TFloat32> residual = x;
		if (in != out || stride != 1) {
			residual = norm(prefix + ".norm3", conv(prefix + ".conv3.conv", x, out, 1, stride));
		}
		return l.leakyRelu(l.tf().math.add(y, residual), LEAKY_SLOPE);
	}

	/**
	 * {@code UnetBasicBlock}: conv(kernel, stride) - norm1 - LeakyReLU - conv(kernel, 1) - norm2 -
	 * LeakyReLU. Keys {@code prefix.conv1.conv.weight}, {@code prefix.norm1.*},
	 * {@code prefix.conv2.conv.weight}, {@code prefix.norm2.*}.
	 */
	public Operand<TFloat32> basicBlock(String prefix, Operand<TFloat32> x, int out, int kernel, int stride) {
		Operand<TFloat32> y = l.leakyRelu(norm(prefix + ".norm1", conv(prefix + ".conv1.conv", x, out, kernel, stride)), LEAKY_SLOPE);
		return l.leakyRelu(norm(prefix + ".norm2", conv(prefix + ".conv2.conv", y, out, kernel, 1)), LEAKY_SLOPE);
	}

	/** {@link #resBlock} or {@link #basicBlock}. */
	public Operand<TFloat32> block(String prefix, Operand<TFloat32> x, int out, int kernel, int stride, boolean res) {
		return res ? resBlock(prefix, x, out, kernel, stride) : basicBlock(prefix, x, out, kernel, stride);
	}

	/** {@code UnetrBasicBlock}: a res or basic block under {@code prefix.layer}. */
	public Operand<TFloat32> unetrBasicBlock(String prefix, Operand<TFloat32> x, int out, int kernel, int stride, boolean res) {
		return block(prefix + ".layer", x, out, kernel, stride, res);
	}

	/**
	 * {@code UnetrUpBlock}: a transposed convolution {@code prefix.transp_conv.conv} (kernel and
	 * stride {@code upsampleKernel}), concatenation (upsampled, skip) along channels, then a res or
	 * basic block {@code prefix.conv_block} (kernel, stride 1).
	 */
	public Operand<TFloat32> upBlock(String prefix, Operand<TFloat32> x, Operand<TFloat32> skip, int out, int kernel,
			int upsampleKernel, boolean res) {
		Operand<TFloat32> up = transposedConv(prefix + ".transp_conv.conv", x, out, upsampleKernel, upsampleKernel);
		return block(prefix + ".conv_block", l.concatChannels(up, skip), out, kernel, 1, res);
	}

	/**
	 * {@code UnetrPrUpBlock}: a transposed convolution {@code prefix.transp_conv_init.conv}, then
	 * {@code numLayer} times a transposed convolution followed (with {@code convBlock}) by a res or
	 * basic block (keys {@code prefix.blocks.i.0.conv}, {@code prefix.blocks.i.1}; without:
	 * {@code prefix.blocks.i.conv}).
	 */
	public Operand<TFloat32> prUpBlock(String prefix, Operand<TFloat32> x, int out, int numLayer, int kernel,
			int upsampleKernel, boolean convBlock, boolean res) {
		x = transposedConv(prefix + ".transp_conv_init.conv", x, out, upsampleKernel, upsampleKernel);
		for (int i = 0; i < numLayer; i++) {
			String b = prefix + ".blocks." + i;
			if (convBlock) {
				x = transposedConv(b + ".0.conv", x, out, upsampleKernel, upsampleKernel);
				x = block(b + ".1", x, out, kernel, 1, res);
			} else {
				x = transposedConv(b + ".conv", x, out, upsampleKernel, upsampleKernel);
			}
		}
		return x;
	}

	/** {@code UnetOutBlock}: a 1x1x1 convolution with bias, keys {@code prefix.conv.conv.weight} and {@code .bias}. */
	public Operand<TFloat32> outBlock(String prefix, Operand<TFloat32> x, int out) {
		int[] one = { 1, 1, 1 };
		return l.conv3d(prefix + ".conv.conv", x, out, one, one, new int[3], true);
	}

	/** The norm layer {@code prefix} of these blocks. */
	public Operand<TFloat32> norm(String prefix, Operand<TFloat32> x) {
		return norm.apply(l, prefix, x);
	}

	/** MONAI {@code get_conv_layer(conv_only=True, bias=False)}: padding {@code get_padding(kernel, stride)}. */
	public Operand<TFloat32> conv(String key, Operand<TFloat32> x, int out, int kernel, int stride) {
		int p = padding(kernel, stride);
		return l.conv3d(key, x, out, cube(kernel), cube(stride), cube(p), false);
	}

	/**
	 * MONAI {@code get_conv_layer(is_transposed=True, conv_only=True, bias=False)}: padding
	 * {@code get_padding}, output padding {@code 2 * padding + stride - kernel}.
	 */
	public Operand<TFloat32> transposedConv(String key, Operand<TFloat32> x, int out, int kernel, int stride) {
		int p = padding(kernel, stride);
		int outputPadding = 2 * p + stride - kernel;
		if (outputPadding < 0) {
			throw new InvalidParameterException(key + ": kernel " + kernel + " and stride " + stride
					+ " give a negative output padding (MONAI refuses them too)");
		}
		return l.convTranspose3d(key, x, out, cube(kernel), cube(stride), cube(p), cube(outputPadding), false);
	}

	/** MONAI {@code get_padding}: {@code (kernel - stride + 1) / 2}, truncated. */
	static int padding(int kernel, int stride) {
		int twice = kernel - stride + 1;
		if (twice < 0) {
			throw new InvalidParameterException("kernel " + kernel + " smaller than stride " + stride
					+ " - 1 gives a negative padding (MONAI refuses it too)");
		}
		return twice / 2;
	}

	private static int[] cube(int v) {
		return new int[] { v, v, v };
	}
}
