package org.volseg.nets.blocks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.volseg.InvalidParameterException;
import org.volseg.nets.Init;
import org.volseg.nets.Layers;

/**
 * MONAI's convolution building blocks ({@code monai.networks.blocks.Convolution},
 * {@code ResidualUnit}, {@code ADN}) as graph ops under MONAI's state_dict keys, and a transposed
 * convolution that runs on spatial sizes known only at run time. Stateless.
 *
 * <p>Layouts channels-last {@code [batch, d0, d1, d2, C]}; spatial sizes may be unknown until run
 * time (multiply-adds are then counted as NaN). Padding is MONAI's {@code same_padding}:
 * {@code (kernel - 1) / 2} per axis (odd kernels only, dilation 1, groups 1).</p>
 */
public final class ConvolutionUnits {

	private ConvolutionUnits() {
	}

	/**
	 * What every {@code Convolution} of a network shares: activation, norm, the order of
	 * {@code ADN}'s layers ({@code adn_ordering}, letters of "NDA"; dropout is inactive in eval) and
	 * whether convolutions have a bias.
	 */
	public record Settings(MonaiActivation act, MonaiNorm norm, String adnOrdering, boolean bias) {

		/**
		 * @throws InvalidParameterException naming {@code setting} if the ordering has letters other than N, D, A
		 */
		public static String checkOrdering(String ordering, String setting) {
			String upper = ordering.toUpperCase(Locale.ROOT);
			for (char ch : upper.toCharArray()) {
				if ("NDA".indexOf(ch) < 0) throw InvalidParameterException.of(setting, ordering, "a string of the letters N, D, A");
			}
			return upper;
		}
	}

	/**
	 * MONAI {@code Convolution}: {@code prefix.conv} (Conv3d, or ConvTranspose3d with
	 * {@code output_padding = stride - 1}), then unless {@code convOnly} {@code prefix.adn}.
	 */
	public static Operand<TFloat32> convolution(Layers l, String prefix, Operand<TFloat32> x, int out, int[] stride, int[] kernel,
			Settings s, boolean convOnly, boolean transposed) {
		int[] padding = samePadding(kernel);
		Operand<TFloat32> y;
		if (transposed) {
			int[] outputPadding = new int[3];
			for (int a = 0; a < 3; a++) outputPadding[a] = stride[a] - 1;
			y = transposedConv3d(l, prefix + ".conv", x, out, kernel, stride, padding, outputPadding, s.bias());
		} else {
			y = l.conv3d(prefix + ".conv", x, out, kernel, stride, padding, s.bias());
		}
		return convOnly ? y : adn(l, prefix + ".adn", y, s);
	}

	/**
	 * MONAI {@code ADN}: norm ({@code prefix.N}), dropout (identity in eval) and activation
	 * ({@code prefix.A}) in the order of {@link Settings#adnOrdering()}.
	 */
	public static Operand<TFloat32> adn(Layers l, String prefix, Operand<TFloat32> x, Settings s) {
		for (char ch : s.adnOrdering().toCharArray()) {
			if (ch == 'N') x = s.norm().apply(l, prefix + ".N", x);
			else if (ch == 'A') x = s.act().apply(l, prefix + ".A", x);
		}
		return x;
	}

	/**
	 * MONAI {@code ResidualUnit}: {@code subunits} (at least 1) Convolutions {@code prefix.conv.unitI}
	 * (the first with the stride, the last without norm/activation if {@code lastConvOnly}) plus the
	 * residual: the input itself, or {@code prefix.residual}, a Conv3d with bias = {@code s.bias()}
	 * that is 1x1x1 when only the channel count changes and has the units' kernel, stride and
	 * padding when the stride is not 1.
	 */
	public static Operand<TFloat32> residualUnit(Layers l, String prefix, Operand<TFloat32> x, int out, int[] stride, int[] kernel,
			int subunits, Settings s, boolean lastConvOnly) {
		long in = Layers.channels(x);
		int n = Math.max(1, subunits);
		Operand<TFloat32> y = x;
		int[] ones = { 1, 1, 1 };
		for (int u = 0; u < n; u++) {
			y = convolution(l, prefix + ".conv.unit" + u, y, out, u == 0 ? stride : ones, kernel, s, lastConvOnly && u == n - 1, false);
		}
		boolean strided = stride[0] * stride[1] * stride[2] != 1;
		Operand<TFloat32> residual = x;
		if (strided || in != out) {
			residual = strided ? l.conv3d(prefix + ".residual", x, out, kernel, stride, samePadding(kernel), s.bias())
					: l.conv3d(prefix + ".residual", x, out, ones, ones, new int[3], s.bias());
		}
		return l.tf().math.add(y, residual);
	}

	/** MONAI's {@code same_padding} for dilation 1: {@code (k - 1) / 2}; kernels must be odd. */
	public static int[] samePadding(int[] kernel) {
		int[] p = new int[kernel.length];
		for (int a = 0; a < kernel.length; a++) {
			if (kernel[a] % 2 != 1) throw new InvalidParameterException("kernel size " + Arrays.toString(kernel) + " must be odd");
			p[a] = (kernel[a] - 1) / 2;
		}
		return p;
	}

	/**
	 * PyTorch {@code ConvTranspose3d} (groups 1, dilation 1) on inputs whose spatial size may be
	 * known only at run time: keys {@code key.weight} {@code [in, out, k0, k1, k2]} and, if
	 * {@code bias}, {@code key.bias}. Output size per axis
	 * {@code (n - 1) * stride - 2 * padding + kernel + outputPadding}. When kernel equals stride
	 * without padding it is one matrix product and a depth-to-space rearrangement; otherwise
	 * {@code Conv3DBackpropInputV2} on the full size, cropped by the padding.
	 */
	public static Operand<TFloat32> transposedConv3d(Layers l, String key, Operand<TFloat32> x, int out, int[] kernel, int[] stride,
			int[] padding, int[] outputPadding, boolean bias) {
		Ops tf = l.tf();
		long[] xs = Layers.staticShape(x);
		long in = xs[4];
		long[] wShape = { in, out, kernel[0], kernel[1], kernel[2] };
		Init init = Init.fanIn(out * (long) kernel[0] * kernel[1] * kernel[2]);
		boolean depthToSpace = true;
		for (int a = 0; a < 3; a++) depthToSpace &= kernel[a] == stride[a] && padding[a] == 0 && outputPadding[a] == 0;
		Operand<TInt32> batch = ShapeOps.dims(tf, x, 0, 1);
		Operand<TInt32> spatial = ShapeOps.dims(tf, x, 1, 4);
		Operand<TFloat32> y;
		if (depthToSpace) {
			long k = (long) kernel[0] * kernel[1] * kernel[2];
			Operand<TFloat32> w = l.parameterReshaped(key + ".weight", wShape, init, new long[] { in, k * out }, 0, 2, 3, 4, 1);
			Operand<TFloat32> flat = tf.linalg.matMul(tf.reshape(x, tf.constant(new long[] { -1, in })), w);
			Operand<TFloat32> split = tf.reshape(flat, ShapeOps.concat(tf, batch, spatial, tf.constant(new int[] { kernel[0], kernel[1],
					kernel[2], out })));
			Operand<TFloat32> interleaved = l.transpose(split, 0, 1, 4, 2, 5, 3, 6, 7);
			Operand<TInt32> size = tf.math.mul(spatial, tf.constant(stride));
			y = tf.reshape(interleaved, ShapeOps.concat(tf, batch, size, tf.constant(new int[] { out })));
		} else {
			Operand<TFloat32> w = l.parameter(key + ".weight", wShape, init, 2, 3, 4, 1, 0);
			int[] extra = new int[3];
			for (int a = 0; a < 3; a++) extra[a] = kernel[a] - stride[a] + outputPadding[a];
			Operand<TInt32> full = tf.math.add(tf.math.mul(spatial, tf.constant(stride)), tf.constant(extra));
			Operand<TInt32> sizes = ShapeOps.concat(tf, batch, full, tf.constant(new int[] { out }));
			List<Long> strides = Arrays.asList(1L, (long) stride[0], (long) stride[1], (long) stride[2], 1L);
			y = tf.nn.conv3dBackpropInput(sizes, w, x, strides, "VALID");
			if (padding[0] != 0 || padding[1] != 0 || padding[2] != 0) {
				int[] twice = { 2 * padding[0], 2 * padding[1], 2 * padding[2] };
				Operand<TInt32> cropped = tf.math.sub(full, tf.constant(twice));
				y = tf.slice(y, tf.constant(new int[] { 0, padding[0], padding[1], padding[2], 0 }),
						ShapeOps.concat(tf, tf.constant(new int[] { -1 }), cropped, tf.constant(new int[] { -1 })));
			}
		}
		long[] outShape = { -1, -1, -1, -1, out };
		for (int a = 0; a < 3; a++) {
			if (xs[a + 1] >= 0) outShape[a + 1] = (xs[a + 1] - 1) * stride[a] - 2L * padding[a] + kernel[a] + outputPadding[a];
		}
		y = ShapeOps.withStaticShape(tf, y, outShape);
		if (bias) y = tf.nn.biasAdd(y, l.parameter(key + ".bias", new long[] { out }, init));
		double voxels = 1;
		for (int a = 1; a <= 3; a++) voxels *= xs[a] < 0 ? Double.NaN : xs[a];
		l.countMultiplyAdds(voxels * in * out * kernel[0] * kernel[1] * kernel[2]);
		return y;
	}
}
