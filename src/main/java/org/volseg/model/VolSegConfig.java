package org.volseg.model;

import java.util.List;
import java.util.Optional;

import org.volseg.tiling.BlendMode;

/**
 * The {@code config.volseg} block: what medical segmentation needs and bioimage.io lacks.
 *
 * @param targetSpacingMm the voxel spacing (x, y, z) in mm the network was trained at, or
 *        {@code null} to run at the volume's own spacing
 * @param targetOrientation a three-letter orientation code (for example {@code RAS} or {@code LPS}:
 *        the direction each of the model's x, y, z axes points to), or {@code null} to run in the
 *        volume's stored orientation
 * @param patchSize sliding-window patch size (x, y, z) in voxels
 * @param overlap default overlap of neighbouring windows, in [0, 1)
 * @param blendMode default blending of overlapping windows
 * @param sigmaScale gaussian sigma as a fraction of the patch size (MONAI default 0.125)
 * @param outputActivation how outputs become class scores
 * @param normalizationRegion over which voxels per-sample intensity statistics are taken
 * @param classes one entry per output channel, in channel order
 * @param network the network's architecture and constructor arguments, or {@code null}
 * @param monai what a model imported from a MONAI bundle declares about its postprocessing
 *        ({@code config.volseg.monai}), or {@code null}
 * @param ttaAxes default test-time mirroring: the model-grid axes ({@code "x"}, {@code "y"}, {@code "z"})
 *        along which every window is also predicted flipped ({@code config.volseg.tta: flips} with
 *        {@code tta_axes}); empty for none (the default)
 */
public record VolSegConfig(List<Double> targetSpacingMm, String targetOrientation, List<Integer> patchSize,
		double overlap, BlendMode blendMode, double sigmaScale, OutputActivation outputActivation,
		NormalizationRegion normalizationRegion, List<SegmentationClass> classes, NetworkSpec network,
		MonaiOptions monai, List<String> ttaAxes) {

	/** The mirroring axes that {@code config.volseg.tta_axes} may name. */
	public static final List<String> MIRROR_AXES = List.of("x", "y", "z");

	/** MONAI's default gaussian sigma scale. */
	public static final double DEFAULT_SIGMA_SCALE = 0.125;

	public VolSegConfig {
		targetSpacingMm = targetSpacingMm == null ? null : List.copyOf(targetSpacingMm);
		patchSize = List.copyOf(patchSize);
		classes = List.copyOf(classes);
		ttaAxes = ttaAxes == null ? List.of() : List.copyOf(ttaAxes);
		if (!MIRROR_AXES.containsAll(ttaAxes) || ttaAxes.stream().distinct().count() != ttaAxes.size())
			throw new IllegalArgumentException("ttaAxes must be distinct values of " + MIRROR_AXES + ", got " + ttaAxes);
	}

	/** A configuration without {@code config.volseg.monai} and without test-time mirroring. */
	public VolSegConfig(List<Double> targetSpacingMm, String targetOrientation, List<Integer> patchSize, double overlap,
			BlendMode blendMode, double sigmaScale, OutputActivation outputActivation,
			NormalizationRegion normalizationRegion, List<SegmentationClass> classes, NetworkSpec network) {
		this(targetSpacingMm, targetOrientation, patchSize, overlap, blendMode, sigmaScale, outputActivation,
				normalizationRegion, classes, network, null, List.of());
	}

	/** A configuration without test-time mirroring. */
	public VolSegConfig(List<Double> targetSpacingMm, String targetOrientation, List<Integer> patchSize, double overlap,
			BlendMode blendMode, double sigmaScale, OutputActivation outputActivation,
			NormalizationRegion normalizationRegion, List<SegmentationClass> classes, NetworkSpec network,
			MonaiOptions monai) {
		this(targetSpacingMm, targetOrientation, patchSize, overlap, blendMode, sigmaScale, outputActivation,
				normalizationRegion, classes, network, monai, List.of());
	}

	/** The target spacing, if the model declares one. */
	public Optional<double[]> targetSpacing() {
		return targetSpacingMm == null ? Optional.empty()
				: Optional.of(targetSpacingMm.stream().mapToDouble(Double::doubleValue).toArray());
	}

	/** The patch size as an array (x, y, z). */
	public int[] patchSizeArray() {
		return patchSize.stream().mapToInt(Integer::intValue).toArray();
	}
}
