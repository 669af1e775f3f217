package org.volseg.nets.blocks;

import java.util.Locale;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.volseg.InvalidParameterException;
import org.volseg.util.Json;
import org.volseg.nets.Layers;

/**
 * MONAI's {@code UpSample} by a factor of 2 on each axis without a pre-convolution (in = out
 * channels), as {@code segresnet_block.get_upsample_layer} makes it. Layouts channels-last
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
		DECONV;

		/**
		 * @throws InvalidParameterException naming the setting for other modes ({@code "pixelshuffle"}
		 *         is MONAI's third mode, which VolSeg does not build)
		 */
		public static Mode parse(Object value, String setting) {
			if (value instanceof String) {
				String s = ((String) value).toLowerCase(Locale.ROOT);
				if (s.equals("nontrainable")) return NONTRAINABLE;
				if (s.equals("deconv")) return DECONV;
				if (s.equals("pixelshuffle")) {
					throw InvalidParameterException.of(setting, value, "\"nontrainable\" or \"deconv\" (\"pixelshuffle\", "
							+ "MONAI's SubpixelUpsample, is not supported by VolSeg)");
				}
			}
			throw InvalidParameterException.of(setting, Json.writeCompact(value), "\"nontrainable\" or \"deconv\"");
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
	 *        {@code [C, C, 2, 2, 2]} and {@code prefix.deconv.bias} in {@link Mode#DECONV} mode)
	 */
	public static Operand<TFloat32> upsampleByTwo(Layers l, String prefix, Operand<TFloat32> x, Mode mode) {
		if (mode == Mode.NONTRAINABLE) return ShapeOps.withStaticShape(l.tf(), TrilinearResize.byFactor(l.tf(), x, 2), doubled(x));
		int c = (int) Layers.channels(x);
		int[] two = { 2, 2, 2 };
		return ConvolutionUnits.transposedConv3d(l, prefix + ".deconv", x, c, two, two, new int[3], new int[3], true);
	}

	private static long[] doubled(Operand<TFloat32> x) {
		long[] s = Layers.staticShape(x);
		long[] out = { -1, -1, -1, -1, s[4] };
		for (int a = 1; a <= 3; a++) if (s[a] >= 0) out[a] = 2 * s[a];
		return out;
	}
}
