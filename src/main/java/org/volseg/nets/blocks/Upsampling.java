package org.volseg.nets.blocks;

import java.util.List;
import java.util.Locale;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.volseg.InvalidParameterException;
import org.volseg.util.Json;
import org.volseg.nets.Layers;

/**
 * MONAI's {@code UpSample} by a factor of 2 on each axis with in = out channels, as
 * {@code segresnet_block.get_upsample_layer} makes it. Layouts channels-last
 * {@code [batch, d0, d1, d2, C]}, spatial sizes may be unknown until run time. Stateless.
 */
public final class Upsampling {

	/** MONAI's {@code UpsampleMode} values VolSeg builds. */
	public enum Mode {
		/**
		 * {@code "nontrainable"}: {@code nn.Upsample(scale_factor=2, mode="trilinear", align_corners=False)}
		 * (InterpolateMode.LINEAR becomes trilinear for 3 dimensions); no parameters.
		 */
		NONTRAINABLE,
		/** {@code "deconv"}: {@code ConvTranspose3d(C, C, kernel 2, stride 2, bias)} under the key {@code deconv}. */
		DECONV,
		/**
		 * {@code "pixelshuffle"}: MONAI's {@code SubpixelUpsample} with its defaults (Shi et al. 2016,
		 * Aitken et al. 2017): a {@code Conv3d(C, 8C, kernel 3, padding 1, bias)} (key
		 * {@code pixelshuffle.conv_block}; MONAI's ICNR initialisation only matters for training),
		 * a 3D pixel shuffle (output channel c at offset (r0, r1, r2) inside each 2x2x2 block is input
		 * channel {@code 8c + 4 r0 + 2 r1 + r2}), then one zero voxel padded before each spatial axis
		 * and a 2x2x2 average with stride 1 (MONAI's {@code apply_pad_pool}).
		 */
		PIXELSHUFFLE;

		/** @throws InvalidParameterException naming the setting for other values */
		public static Mode parse(Object value, String setting) {
			if (value instanceof String) {
				String s = ((String) value).toLowerCase(Locale.ROOT);
				for (Mode m : values())
					if (s.equals(m.monaiName())) return m;
			}
			throw InvalidParameterException.of(setting, Json.writeCompact(value), "\"nontrainable\", \"deconv\" or \"pixelshuffle\"");
		}

		/** The MONAI name. */
		public String monaiName() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	private Upsampling() {
	}

	/**
	 * Doubles every spatial axis.
	 *
	 * @param prefix the UpSample module's state_dict key (parameters {@code prefix.deconv.weight}
	 *        {@code [C, C, 2, 2, 2]} and {@code prefix.deconv.bias} in {@link Mode#DECONV} mode,
	 *        {@code prefix.pixelshuffle.conv_block.weight} {@code [8C, C, 3, 3, 3]} and {@code .bias}
	 *        in {@link Mode#PIXELSHUFFLE} mode)
	 */
	public static Operand<TFloat32> upsampleByTwo(Layers l, String prefix, Operand<TFloat32> x, Mode mode) {
		if (mode == Mode.NONTRAINABLE) return ShapeOps.withStaticShape(l.tf(), TrilinearResize.byFactor(l.tf(), x, 2), doubled(x));
		int c = (int) Layers.channels(x);
		int[] two = { 2, 2, 2 };
		if (mode == Mode.DECONV)
			return ConvolutionUnits.transposedConv3d(l, prefix + ".deconv", x, c, two, two, new int[3], new int[3], true);
		int[] three = { 3, 3, 3 }, one = { 1, 1, 1 };
		Operand<TFloat32> y = l.conv3d(prefix + ".pixelshuffle.conv_block", x, 8 * c, three, one, one, true);
		y = pixelShuffle(l.tf(), y);
		Ops tf = l.tf();
		y = tf.pad(y, tf.constant(new int[][] { { 0, 0 }, { 1, 0 }, { 1, 0 }, { 1, 0 }, { 0, 0 } }), tf.constant(0f));
		y = tf.nn.avgPool3d(y, List.of(1L, 2L, 2L, 2L, 1L), List.of(1L, 1L, 1L, 1L, 1L), "VALID");
		return ShapeOps.withStaticShape(tf, y, doubled(x));
	}

	/**
	 * The 3D pixel shuffle by 2 (MONAI's {@code networks.utils.pixelshuffle} with 3 dimensions and
	 * factor 2), channels-last: {@code [B, d0, d1, d2, 8C] -> [B, 2 d0, 2 d1, 2 d2, C]}, output
	 * {@code [b, 2i + r0, 2j + r1, 2k + r2, c]} = input {@code [b, i, j, k, 8c + 4 r0 + 2 r1 + r2]}. A
	 * reshape, a transpose and a reshape; sizes may be known only at run time.
	 *
	 * @throws IllegalArgumentException if the channel count is not a multiple of 8
	 */
	public static Operand<TFloat32> pixelShuffle(Ops tf, Operand<TFloat32> x) {
		long[] s = Layers.staticShape(x);
		if (s[4] < 0 || s[4] % 8 != 0)
			throw new IllegalArgumentException("pixel shuffle needs a multiple of 8 channels, got " + s[4]);
		int c = (int) (s[4] / 8);
		Operand<TInt32> lead = ShapeOps.dims(tf, x, 0, 4);
		Operand<TFloat32> split = tf.reshape(x, ShapeOps.concat(tf, lead, tf.constant(new int[] { c, 2, 2, 2 })));
		// [B, d0, d1, d2, C, r0, r1, r2] -> [B, d0, r0, d1, r1, d2, r2, C]
		Operand<TFloat32> t = tf.linalg.transpose(split, tf.constant(new int[] { 0, 1, 5, 2, 6, 3, 7, 4 }));
		Operand<TInt32> two = tf.constant(2);
		Operand<TInt32> size = ShapeOps.concat(tf, ShapeOps.dims(tf, x, 0, 1),
				ShapeOps.vector(tf, tf.math.mul(ShapeOps.dim(tf, x, 1), two)),
				ShapeOps.vector(tf, tf.math.mul(ShapeOps.dim(tf, x, 2), two)),
				ShapeOps.vector(tf, tf.math.mul(ShapeOps.dim(tf, x, 3), two)), tf.constant(new int[] { c }));
		long[] out = { -1, s[1] < 0 ? -1 : 2 * s[1], s[2] < 0 ? -1 : 2 * s[2], s[3] < 0 ? -1 : 2 * s[3], c };
		return ShapeOps.withStaticShape(tf, tf.reshape(t, size), out);
	}

	private static long[] doubled(Operand<TFloat32> x) {
		long[] s = Layers.staticShape(x);
		long[] out = { -1, -1, -1, -1, s[4] };
		for (int a = 1; a <= 3; a++) if (s[a] >= 0) out[a] = 2 * s[a];
		return out;
	}
}
