package org.volseg.fiji;

import java.nio.file.Path;
import java.util.Set;

import org.volseg.InvalidParameterException;
import org.volseg.runtime.Device;
import org.volseg.pipeline.SegmentationSettings;
import org.volseg.tiling.BlendMode;
import org.volseg.tiling.Padding;

/**
 * Turns the Fiji dialog's and the macro API's values into {@link SegmentationSettings}. The same
 * names serve both: {@code roi} ({@code X,Y,Z} or blank for the model's window), {@code overlap}
 * (blank for the model's), {@code blend} ({@code gaussian}, {@code constant}, or blank/{@code model}),
 * {@code device} ({@code auto}, {@code cpu}, {@code gpu}), {@code batch}, {@code threads},
 * {@code series} (DICOM SeriesNumber), {@code min_component_size}, {@code threshold}, {@code pad}
 * ({@code constant}, {@code edge}, {@code reflect}) and the flags {@code no_resample},
 * {@code no_reorient}, {@code no_normalize}. Stateless.
 */
public final class FijiSettings {

	/** The macro options {@link #fromOptions} understands (besides the display options). */
	public static final Set<String> SEGMENTATION_KEYS = Set.of("roi", "overlap", "blend", "sigma_scale", "device", "batch",
			"threads", "series", "min_component_size", "threshold", "pad", "no_resample", "no_reorient", "no_normalize");

	private FijiSettings() {
	}

	/**
	 * Settings from dialog values; blank strings mean "the model's".
	 *
	 * @param labelsOutput a .nii/.nii.gz file for the labels, or null
	 * @throws InvalidParameterException naming the parameter for a bad value
	 */
	public static SegmentationSettings of(String roi, String overlap, String blend, String device, int batch,
			Path labelsOutput) {
		return builder(roi, overlap, blend, device, batch).labelsOutput(labelsOutput).build();
	}

	/** Settings from macro options (see the class comment); {@code labelsOutput} may be null. */
	public static SegmentationSettings fromOptions(MacroOptions o, Path labelsOutput) {
		SegmentationSettings.Builder b = builder(o.get("roi", ""), o.get("overlap", ""), o.get("blend", ""),
				o.get("device", "auto"), o.integer("batch", 1));
		b.threads(o.integer("threads", 0));
		if (o.has("series"))
			b.seriesNumber(o.integer("series", 0));
		b.minComponentSize(o.integer("min_component_size", 0));
		if (o.has("threshold"))
			b.threshold(o.number("threshold").floatValue());
		if (o.has("sigma_scale"))
			b.sigmaScale(o.number("sigma_scale"));
		if (o.has("pad"))
			b.padding(Padding.parse("pad", o.get("pad", "constant"), 0));
		b.resample(!o.flag("no_resample")).reorient(!o.flag("no_reorient")).normalize(!o.flag("no_normalize"));
		return b.labelsOutput(labelsOutput).build();
	}

	private static SegmentationSettings.Builder builder(String roi, String overlap, String blend, String device, int batch) {
		SegmentationSettings.Builder b = SegmentationSettings.builder();
		b.roi(parseRoi(roi));
		if (overlap != null && !overlap.isBlank() && !overlap.trim().equalsIgnoreCase("model"))
			try {
				b.overlap(Double.parseDouble(overlap.trim()));
			} catch (NumberFormatException e) {
				throw InvalidParameterException.of("overlap", overlap, "a number in [0, 1), or blank for the model's");
			}
		if (blend != null && !blend.isBlank() && !blend.trim().toLowerCase(java.util.Locale.ROOT).startsWith("model"))
			b.blend(BlendMode.parse("blend", blend));
		b.device(Device.parse(device == null || device.isBlank() ? "auto" : device, "device"));
		b.batch(batch);
		return b;
	}

	/** {@code X,Y,Z} (or one number for a cube); blank or {@code model} gives null (the model's window). */
	static int[] parseRoi(String roi) {
		if (roi == null || roi.isBlank() || roi.trim().equalsIgnoreCase("model"))
			return null;
		String[] parts = roi.trim().split("\\s*[,x ]\\s*");
		try {
			if (parts.length == 1) {
				int s = Integer.parseInt(parts[0]);
				return new int[] { s, s, s };
			}
			if (parts.length == 3)
				return new int[] { Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]) };
		} catch (NumberFormatException e) {
			// reported below
		}
		throw InvalidParameterException.of("roi", roi, "three window sizes X,Y,Z (for example 96,96,96), or blank for the model's");
	}
}
