package org.volseg.fiji;

import java.nio.file.Path;
import java.util.Set;

import org.volseg.InvalidParameterException;
import org.volseg.pipeline.SegmentationSettings;
import org.volseg.pipeline.SettingText;

/**
 * Turns the Fiji dialog's and the macro API's values into {@link SegmentationSettings}. The same
 * names serve both: {@code roi} ({@code X,Y,Z} or blank for the model's window), {@code overlap}
 * (blank for the model's), {@code blend} ({@code gaussian}, {@code constant}, or blank/{@code model}),
 * {@code device} ({@code auto}, {@code cpu}, {@code gpu}), {@code batch}, {@code threads}, {@code inter_op_threads}
 * (macro only; 0 = VolSeg's choice, 1 to save memory),
 * {@code series} (DICOM SeriesNumber), {@code min_component_size}, {@code threshold}, {@code pad}
 * ({@code constant}, {@code edge}, {@code reflect}) and the flags {@code no_resample},
 * {@code no_reorient}, {@code no_normalize}. Stateless.
 */
final class FijiSettings {

	/** The macro options {@link #fromOptions} understands (besides the display options). */
	public static final Set<String> SEGMENTATION_KEYS = Set.of("roi", "overlap", "blend", "sigma_scale", "device", "batch",
			"threads", "inter_op_threads", "series", "volume_index", "tta", "tta_axes", "trust_model", "min_component_size", "threshold", "pad", "no_resample", "no_reorient", "no_normalize");

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
		return of(roi, overlap, blend, "model", device, batch, labelsOutput);
	}

	/**
	 * As {@link #of(String, String, String, String, int, Path)}, with test-time mirroring: {@code model}
	 * (or blank), {@code none} or {@code flips} (all three axes).
	 */
	public static SegmentationSettings of(String roi, String overlap, String blend, String tta, String device, int batch,
			Path labelsOutput) {
		return builder(roi, overlap, blend, device, batch).tta(SettingText.FIJI.tta(tta, null)).labelsOutput(labelsOutput)
				.build();
	}

	/** Settings from macro options (see the class comment); {@code labelsOutput} may be null. */
	public static SegmentationSettings fromOptions(MacroOptions o, Path labelsOutput) {
		SettingText t = SettingText.FIJI;
		SegmentationSettings.Builder b = builder(o.get("roi", ""), o.get("overlap", ""), o.get("blend", ""),
				o.get("device", "auto"), o.integer("batch", 1, 1, Integer.MAX_VALUE));
		b.threads(o.integer("threads", 0, 0, Integer.MAX_VALUE));
		b.interOpThreads(o.integer("inter_op_threads", 0, 0, Integer.MAX_VALUE));
		if (o.has("series"))
			b.series(o.get("series", ""));
		if (o.has("volume_index"))
			b.volumeIndex(o.integer("volume_index", 0, 0, Integer.MAX_VALUE));
		b.tta(t.tta(o.get("tta", ""), o.get("tta_axes", "")));
		b.trustModel(o.flag("trust_model"));
		b.minComponentSize(o.integer("min_component_size", 0, 0, Integer.MAX_VALUE));
		if (o.has("threshold"))
			b.threshold((float) t.number("threshold", o.get("threshold", ""), 0, 1));
		if (o.has("sigma_scale"))
			b.sigmaScale(t.number("sigma_scale", o.get("sigma_scale", ""), Double.MIN_VALUE, Double.MAX_VALUE));
		if (o.has("pad"))
			b.padding(t.padding(o.get("pad", "constant"), 0));
		b.resample(!o.flag("no_resample")).reorient(!o.flag("no_reorient")).normalize(!o.flag("no_normalize"));
		return b.labelsOutput(labelsOutput).build();
	}

	private static SegmentationSettings.Builder builder(String roi, String overlap, String blend, String device, int batch) {
		SettingText t = SettingText.FIJI;
		if (batch < 1)
			throw org.volseg.InvalidParameterException.of(t.name("batch"), batch, "an integer of at least 1");
		return SegmentationSettings.builder().roi(t.roi(roi)).overlap(t.overlap(overlap)).blend(t.blend(blend))
				.device(t.device(device)).batch(batch);
	}

	/** {@code X,Y,Z} (or one number for a cube); blank or {@code model} gives null (the model's window). */
	static int[] parseRoi(String roi) {
		return SettingText.FIJI.roi(roi);
	}
}
