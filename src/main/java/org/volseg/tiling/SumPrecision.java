package org.volseg.tiling;

import java.util.Locale;

import org.volseg.InvalidParameterException;

/**
 * The number type of the stitcher's running sums (the {@link Stitcher} keeps, per class, the sum
 * of the weighted window outputs of every voxel that some windows have written and others still
 * will; these sums are most of a segmentation's memory).
 */
public enum SumPrecision {

	/**
	 * {@link #FLOAT16} when float32 sums would hold more than {@link #AUTO_FLOAT16_LABELS_ABOVE} bytes
	 * (64 MiB) and every output only compares the sums of a voxel with each other (labels: argmax or a
	 * threshold at 0, {@link Finalizer#ignoresScale()}; 0.73 GB in float32 for 512 x 512 x 400 with 14
	 * classes at overlap 0.5), or when they would hold more than {@link #AUTO_FLOAT16_ABOVE} (512 MiB)
	 * whatever the outputs (logits or probabilities of a large scan: 0.78 GB for the same case);
	 * otherwise {@link #FLOAT32}, so that small scans, where float16 would save little, keep MONAI's
	 * values exactly and skip the conversions. The default.
	 */
	AUTO,

	/** 4 bytes per class and voxel, as MONAI's {@code sliding_window_inference} sums. */
	FLOAT32,

	/**
	 * 2 bytes per class and voxel, as nnU-Net v2 keeps its {@code predicted_logits}
	 * ({@code torch.half}): half the memory; every addition rounds to 11 significant bits (a relative
	 * error of at most 2^-11), so a voxel whose two best classes are that close may be labelled
	 * differently; sums beyond &#177;65504 saturate.
	 */
	FLOAT16;

	/** Float32 sums larger than this (512 MiB) make {@link #AUTO} choose float16 whatever the outputs. */
	public static final long AUTO_FLOAT16_ABOVE = 512L << 20;

	/** Float32 sums larger than this (64 MiB) make {@link #AUTO} choose float16 for outputs that ignore scale. */
	public static final long AUTO_FLOAT16_LABELS_ABOVE = 64L << 20;

	/** The lower-case name used on the command line: {@code auto}, {@code float32} or {@code float16}. */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Bytes of one sum; {@link #AUTO} must be {@linkplain #resolve resolved} first. */
	int bytes() {
		if (this == AUTO)
			throw new IllegalStateException("resolve AUTO first");
		return this == FLOAT16 ? 2 : 4;
	}

	/**
	 * This precision for outputs of which all ({@code scaleFree}) or not all ignore scale, when float32
	 * sums would hold {@code float32Bytes} at their peak.
	 */
	SumPrecision resolve(boolean scaleFree, long float32Bytes) {
		if (this != AUTO)
			return this;
		return float32Bytes > (scaleFree ? AUTO_FLOAT16_LABELS_ABOVE : AUTO_FLOAT16_ABOVE) ? FLOAT16 : FLOAT32;
	}

	/**
	 * @param parameter the user-facing parameter name for the error message, for example {@code --sum-precision}
	 * @param text {@code auto}, {@code float32} or {@code float16} (case-insensitive)
	 * @throws InvalidParameterException for anything else
	 */
	public static SumPrecision parse(String parameter, String text) {
		if (text != null)
			for (SumPrecision p : values())
				if (p.id().equals(text.trim().toLowerCase(Locale.ROOT)))
					return p;
		throw InvalidParameterException.of(parameter, text, "auto, float32 or float16");
	}
}
