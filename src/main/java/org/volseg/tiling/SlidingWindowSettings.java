package org.volseg.tiling;

import java.util.Arrays;
import java.util.Objects;

import org.volseg.InvalidParameterException;

/**
 * The parameters of a sliding-window inference, validated when built; immutable and thread-safe.
 * Parameter names and defaults follow MONAI's {@code sliding_window_inference}:
 *
 * <table>
 * <caption>parameters</caption>
 * <tr><th>parameter</th><th>meaning</th><th>default</th><th>MONAI</th></tr>
 * <tr><td>{@code roi}</td><td>window size (x, y, z) in voxels, each at least 1</td><td>none (required)</td>
 * <td>{@code roi_size}</td></tr>
 * <tr><td>{@code overlap}</td><td>fraction of a window shared with its neighbour, 0 &lt;= overlap &lt; 1;
 * one value for all axes or one per axis (as MONAI 1.3 and later accept); the scan interval is
 * {@code floor(roi * (1 - overlap))}, at least 1</td><td>0.25</td><td>{@code overlap}</td></tr>
 * <tr><td>{@code batch}</td><td>windows per predictor call, at least 1</td><td>1</td>
 * <td>{@code sw_batch_size}</td></tr>
 * <tr><td>{@code blend}</td><td>{@link BlendMode#CONSTANT} or {@link BlendMode#GAUSSIAN}</td><td>constant</td>
 * <td>{@code mode}</td></tr>
 * <tr><td>{@code sigma_scale}</td><td>gaussian sigma per axis as a fraction of the window size, &gt; 0;
 * one value for all axes or one per axis; used by the gaussian blend only</td><td>0.125</td>
 * <td>{@code sigma_scale}</td></tr>
 * <tr><td>{@code pad}</td><td>{@link Padding}: constant (value), edge or reflect; used only where the
 * volume is smaller than the window</td><td>constant 0</td><td>{@code padding_mode}, {@code cval}</td></tr>
 * <tr><td>{@code tta}</td><td>{@link Mirroring}: each window also predicted flipped along the chosen
 * axes, the raw outputs averaged before the activation (nnU-Net's mirroring)</td><td>none</td>
 * <td>(nnU-Net {@code use_mirroring})</td></tr>
 * <tr><td>{@code sum_precision}</td><td>{@link SumPrecision}: the number type of the stitcher's running
 * sums; auto is float16 for labels alone, float32 when logits or probabilities are produced</td>
 * <td>auto</td><td>(float32; nnU-Net v2: float16)</td></tr>
 * </table>
 *
 * <p>Error messages name the parameter and quote the bad value, for example
 * {@code overlap: expected a number in [0, 1), got 1.2}.</p>
 */
public final class SlidingWindowSettings {

	/** MONAI's default overlap. */
	public static final double DEFAULT_OVERLAP = 0.25;
	/** MONAI's default gaussian sigma scale. */
	public static final double DEFAULT_SIGMA_SCALE = 0.125;
	public static final int DEFAULT_BATCH = 1;
	public static final BlendMode DEFAULT_BLEND = BlendMode.CONSTANT;
	public static final Padding DEFAULT_PADDING = Padding.constant(0);

	private final int[] roi;
	private final double[] overlap;
	private final int batch;
	private final BlendMode blend;
	private final double[] sigmaScale;
	private final Padding padding;
	private final Mirroring mirroring;
	private final SumPrecision sumPrecision;

	private SlidingWindowSettings(Builder b) {
		roi = b.roi.clone();
		overlap = b.overlap.length == 1 ? new double[] { b.overlap[0], b.overlap[0], b.overlap[0] } : b.overlap.clone();
		batch = b.batch;
		blend = b.blend;
		sigmaScale = b.sigmaScale.length == 1 ? new double[] { b.sigmaScale[0], b.sigmaScale[0], b.sigmaScale[0] }
				: b.sigmaScale.clone();
		padding = b.padding;
		mirroring = b.mirroring;
		sumPrecision = b.sumPrecision;
	}

	/**
	 * Starts settings with the given window size and MONAI's defaults for everything else.
	 *
	 * @param roi window size (x, y, z) in voxels
	 */
	public static Builder builder(int... roi) {
		return new Builder(roi);
	}

	/** Window size (x, y, z) in voxels; a copy. */
	public int[] roi() {
		return roi.clone();
	}

	public int roi(int axis) {
		return roi[axis];
	}

	/** Overlap per axis (x, y, z); a copy. */
	public double[] overlap() {
		return overlap.clone();
	}

	public double overlap(int axis) {
		return overlap[axis];
	}

	/** Windows per predictor call. */
	public int batch() {
		return batch;
	}

	public BlendMode blend() {
		return blend;
	}

	/** Gaussian sigma per axis (x, y, z) as a fraction of the window size; a copy. */
	public double[] sigmaScale() {
		return sigmaScale.clone();
	}

	public Padding padding() {
		return padding;
	}

	/** Test-time mirroring; {@link Mirroring#NONE} unless set. */
	public Mirroring mirroring() {
		return mirroring;
	}

	/** The number type of the stitcher's sums; {@link SumPrecision#AUTO} unless set. */
	public SumPrecision sumPrecision() {
		return sumPrecision;
	}

	/** A builder holding these settings, to derive variants. */
	public Builder toBuilder() {
		return new Builder(roi).overlap(overlap).batch(batch).blend(blend).sigmaScale(sigmaScale).padding(padding)
				.mirroring(mirroring).sumPrecision(sumPrecision);
	}

	@Override
	public boolean equals(Object o) {
		if (!(o instanceof SlidingWindowSettings))
			return false;
		SlidingWindowSettings s = (SlidingWindowSettings) o;
		return Arrays.equals(roi, s.roi) && Arrays.equals(overlap, s.overlap) && batch == s.batch
				&& blend == s.blend && Arrays.equals(sigmaScale, s.sigmaScale) && padding.equals(s.padding)
				&& mirroring.equals(s.mirroring) && sumPrecision == s.sumPrecision;
	}

	@Override
	public int hashCode() {
		return Objects.hash(Arrays.hashCode(roi), Arrays.hashCode(overlap), batch, blend, Arrays.hashCode(sigmaScale), padding,
				mirroring, sumPrecision);
	}

	@Override
	public String toString() {
		return "roi=" + Arrays.toString(roi) + " overlap=" + (overlap[0] == overlap[1] && overlap[1] == overlap[2] ? String.valueOf(overlap[0]) : Arrays.toString(overlap)) + " batch=" + batch + " blend=" + blend.id()
				+ (blend == BlendMode.GAUSSIAN ? " sigma_scale=" + Arrays.toString(sigmaScale) : "") + " pad="
				+ padding + (mirroring.enabled() ? " tta=flips tta_axes=" + mirroring.axesText() : "")
				+ (sumPrecision != SumPrecision.AUTO ? " sum_precision=" + sumPrecision.id() : "");
	}

	/**
	 * Collects parameters; every setter validates its value at once and {@link #build()} never fails.
	 * Not thread-safe.
	 */
	public static final class Builder {
		private int[] roi;
		private double[] overlap = { DEFAULT_OVERLAP };
		private int batch = DEFAULT_BATCH;
		private BlendMode blend = DEFAULT_BLEND;
		private double[] sigmaScale = { DEFAULT_SIGMA_SCALE };
		private Padding padding = DEFAULT_PADDING;
		private Mirroring mirroring = Mirroring.NONE;
		private SumPrecision sumPrecision = SumPrecision.AUTO;

		private Builder(int[] roi) {
			roi(roi);
		}

		/** @param roi window size (x, y, z) in voxels, each at least 1 */
		public Builder roi(int... roi) {
			if (roi == null || roi.length != 3 || Arrays.stream(roi).anyMatch(r -> r < 1))
				throw InvalidParameterException.of("roi", roi == null ? "nothing" : Arrays.toString(roi),
						"three window sizes (x, y, z), each at least 1");
			this.roi = roi.clone();
			return this;
		}

		/** @param overlap one value for all axes, or three (x, y, z); each 0 &lt;= overlap &lt; 1 */
		public Builder overlap(double... overlap) {
			if (overlap == null || (overlap.length != 1 && overlap.length != 3))
				throw InvalidParameterException.of("overlap", overlap == null ? "nothing" : Arrays.toString(overlap),
						"one number in [0, 1), or three (x, y, z)");
			for (double o : overlap)
				if (!(o >= 0 && o < 1))
					throw InvalidParameterException.of("overlap", o, "a number in [0, 1)");
			this.overlap = overlap.clone();
			return this;
		}

		/** @param batch windows per predictor call, at least 1 */
		public Builder batch(int batch) {
			if (batch < 1)
				throw InvalidParameterException.of("batch", batch, "an integer of at least 1");
			this.batch = batch;
			return this;
		}

		public Builder blend(BlendMode blend) {
			if (blend == null)
				throw InvalidParameterException.of("blend", "nothing", "constant or gaussian");
			this.blend = blend;
			return this;
		}

		/** @param sigmaScale one value for all axes, or three (x, y, z); each finite and &gt; 0 */
		public Builder sigmaScale(double... sigmaScale) {
			if (sigmaScale == null || (sigmaScale.length != 1 && sigmaScale.length != 3)
					|| Arrays.stream(sigmaScale).anyMatch(s -> !(s > 0 && Double.isFinite(s))))
				throw InvalidParameterException.of("sigma_scale",
						sigmaScale == null ? "nothing"
								: sigmaScale.length == 1 ? String.valueOf(sigmaScale[0]) : Arrays.toString(sigmaScale),
						"one positive number, or three (x, y, z)");
			this.sigmaScale = sigmaScale.clone();
			return this;
		}

		public Builder padding(Padding padding) {
			if (padding == null)
				throw InvalidParameterException.of("pad", "nothing", "constant, edge or reflect");
			this.padding = padding;
			return this;
		}

		/** @param mirroring test-time mirroring; {@link Mirroring#NONE} for one prediction per window */
		public Builder mirroring(Mirroring mirroring) {
			if (mirroring == null)
				throw InvalidParameterException.of("tta", "nothing", "none or flips");
			this.mirroring = mirroring;
			return this;
		}

		/** @param sumPrecision the number type of the stitcher's sums */
		public Builder sumPrecision(SumPrecision sumPrecision) {
			if (sumPrecision == null)
				throw InvalidParameterException.of("sum_precision", "nothing", "auto, float32 or float16");
			this.sumPrecision = sumPrecision;
			return this;
		}

		public SlidingWindowSettings build() {
			return new SlidingWindowSettings(this);
		}
	}
}
