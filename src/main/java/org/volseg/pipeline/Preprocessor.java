package org.volseg.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.volseg.model.ModelDescriptor;
import org.volseg.model.Preprocessing;
import org.volseg.model.VolSegConfig;
import org.volseg.volume.Orientation;
import org.volseg.volume.Reorient;
import org.volseg.volume.Resample;
import org.volseg.volume.StoredVoxels;
import org.volseg.volume.Volume;

import net.imglib2.img.Img;

/**
 * Brings a scan onto the grid and intensity scale a model was trained with, in this order:
 * <ol>
 * <li>reorientation to the model's orientation code ({@code config.volseg.target_orientation}):
 * lossless axis permutation and flips ({@link Reorient});</li>
 * <li>resampling to the model's spacing ({@code config.volseg.target_spacing_mm}), trilinear
 * ({@link Resample#toSpacing}); skipped when every spacing already agrees within 0.01%;</li>
 * <li>the model's intensity steps ({@code inputs[0].preprocessing}, see {@link IntensityPreprocessing}),
 * with a MONAI foreground crop among them where the model lists one ({@link ForegroundCrop}).</li>
 * </ol>
 * Each step can be switched off in {@link SegmentationSettings}; a model that does not declare a
 * step skips it. The input volume's voxels are never modified: intensity steps work on a copy.
 * Stateless.
 */
public final class Preprocessor {

	/** Spacings closer than this (relative) count as equal. */
	static final double SPACING_TOLERANCE = 1e-4;

	private Preprocessor() {
	}

	/**
	 * A scan on the model's grid.
	 *
	 * @param volume voxels (x, y, z[, channel]) the network sees; a contiguous image (not a view),
	 *        or the input's own {@link StoredVoxels} when no step changed it (read-only, never
	 *        written); with a {@code monai_crop_foreground} step the foreground box (the full model
	 *        grid when the box is empty)
	 * @param steps what was done, one line per step
	 * @param crop the foreground box of a {@code monai_crop_foreground} step (outputs on it go back
	 *        to the full model grid with {@link ForegroundCrop#padBack}), or {@code null} without one
	 */
	public record Prepared(Volume volume, List<String> steps, ForegroundCrop crop) {

		/** A scan prepared without a foreground crop. */
		public Prepared(Volume volume, List<String> steps) {
			this(volume, steps, null);
		}
	}

	/** Runs the steps the settings and the descriptor ask for. */
	public static Prepared prepare(Volume input, ModelDescriptor descriptor, SegmentationSettings settings) {
		VolSegConfig config = descriptor.volseg();
		List<String> steps = new ArrayList<>();
		Volume v = input;
		boolean owned = false;
		if (settings.reorient() && config.targetOrientation() != null) {
			Orientation target = Orientation.parse(config.targetOrientation(), "config.volseg.target_orientation");
			String from = Orientation.of(v.geometry()).code();
			v = Reorient.to(v, target);
			steps.add(from.equals(target.code()) ? "orientation already " + from : "reoriented " + from + " -> " + target.code());
		}
		Optional<double[]> spacing = config.targetSpacing();
		if (settings.resample() && spacing.isPresent()) {
			double[] have = v.geometry().spacing();
			if (!sameSpacing(have, spacing.get())) {
				long[] from = v.dimensions();
				v = Resample.toSpacing(v, spacing.get(), Resample.Interpolation.LINEAR);
				owned = true;
				steps.add(String.format(Locale.ROOT, "resampled (trilinear) %s mm %s -> %s mm %s", fmt(have),
						Arrays.toString(from), fmt(spacing.get()), Arrays.toString(v.dimensions())));
			} else
				steps.add("spacing already " + fmt(have) + " mm");
		}
		boolean normalise = settings.normalize() && !descriptor.input().preprocessing().isEmpty();
		if (!owned && (normalise || !(v.voxels() instanceof Img || v.voxels() instanceof StoredVoxels))) {
			v = IntensityPreprocessing.copyOf(v);
			owned = true;
		}
		ForegroundCrop crop = null;
		if (normalise) {
			// a foreground crop splits the steps: those after it see the cropped volume, as in MONAI
			List<Preprocessing> all = descriptor.input().preprocessing();
			Preprocessing.CropForeground cropStep = ForegroundCrop.cropStep(all);
			int at = cropStep == null ? all.size() : all.indexOf(cropStep);
			steps.addAll(IntensityPreprocessing.apply(v, all.subList(0, at), config.normalizationRegion()));
			if (cropStep != null) {
				crop = ForegroundCrop.of(v, cropStep);
				steps.add(crop.describe());
				if (!crop.empty()) {
					v = crop.crop(v);
					steps.addAll(IntensityPreprocessing.apply(v, all.subList(at + 1, all.size()), config.normalizationRegion()));
				}
			}
		}
		return new Prepared(v, List.copyOf(steps), crop);
	}

	static boolean sameSpacing(double[] a, double[] b) {
		for (int d = 0; d < 3; d++)
			if (Math.abs(a[d] - b[d]) > SPACING_TOLERANCE * Math.max(Math.abs(a[d]), Math.abs(b[d])))
				return false;
		return true;
	}

	private static String fmt(double[] s) {
		return String.format(Locale.ROOT, "%.4g x %.4g x %.4g", s[0], s[1], s[2]);
	}
}
