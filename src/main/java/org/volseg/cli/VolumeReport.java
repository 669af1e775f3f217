package org.volseg.cli;

import org.volseg.util.Json;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.volseg.io.LoadedVolume;
import org.volseg.volume.Geometry;
import org.volseg.volume.Orientation;
import org.volseg.volume.VolumeStatistics;

/**
 * What {@code volseg info} reports about a volume, as an ordered map of keys to plain values (for
 * {@link Json}) and as text. The JSON keys are fixed: {@code dims}, {@code spacing_mm},
 * {@code orientation}, {@code affine_lps}, {@code affine_ras}, {@code datatype}, {@code min},
 * {@code max}, {@code sum}, {@code sum_sq}, {@code source}; sources that know more (DICOM) add keys
 * with {@link #put} after these. Not thread-safe.
 */
final class VolumeReport {

	/** The keys every report has, in order. */
	public static final java.util.List<String> KEYS = java.util.List.of("dims", "spacing_mm", "orientation", "affine_lps",
			"affine_ras", "datatype", "min", "max", "sum", "sum_sq", "source");

	private final Map<String, Object> values = new LinkedHashMap<>();
	private final LoadedVolume loaded;

	/** Builds the report; uses the source's float64 statistics if it has them, else computes them. */
	public VolumeReport(LoadedVolume loaded) {
		this.loaded = loaded;
		Geometry g = loaded.volume().geometry();
		VolumeStatistics s = loaded.statistics() != null ? loaded.statistics()
				: VolumeStatistics.of(loaded.volume().voxels());
		values.put("dims", loaded.volume().dimensions());
		values.put("spacing_mm", g.spacing());
		values.put("orientation", Orientation.of(g).code());
		values.put("affine_lps", g.affineLps());
		values.put("affine_ras", g.affineRas());
		values.put("datatype", loaded.datatype());
		values.put("min", s.min());
		values.put("max", s.max());
		values.put("sum", s.sum());
		values.put("sum_sq", s.sumSq());
		values.put("source", loaded.source().toString());
	}

	/** Adds (or replaces) a key; values must be what {@link Json} writes. */
	public VolumeReport put(String key, Object value) {
		values.put(key, value);
		return this;
	}

	/** The keys and values, in order (live view). */
	public Map<String, Object> values() {
		return values;
	}

	public String toJson() {
		return Json.write(values);
	}

	/** A human-readable multi-line summary. */
	public String toText() {
		StringBuilder b = new StringBuilder();
		long[] dims = (long[]) values.get("dims");
		double[] sp = (double[]) values.get("spacing_mm");
		line(b, "source", values.get("source") + "  [" + loaded.format() + "]");
		StringBuilder d = new StringBuilder();
		for (int i = 0; i < dims.length; i++)
			d.append(i > 0 ? " x " : "").append(dims[i]);
		line(b, "dims", d + (dims.length == 4 ? "  (x, y, z, channels)" : "  (x, y, z)"));
		line(b, "spacing", String.format(Locale.ROOT, "%s x %s x %s mm", g(sp[0]), g(sp[1]), g(sp[2])));
		line(b, "orientation", values.get("orientation") + "  (axes point towards these; nibabel's aff2axcodes)");
		line(b, "datatype", String.valueOf(values.get("datatype")));
		line(b, "value range", g((Double) values.get("min")) + " to " + g((Double) values.get("max")));
		line(b, "sum", g((Double) values.get("sum")) + ", sum of squares " + g((Double) values.get("sum_sq")));
		matrix(b, "affine (LPS)", (double[][]) values.get("affine_lps"));
		matrix(b, "affine (RAS)", (double[][]) values.get("affine_ras"));
		for (Map.Entry<String, Object> e : loaded.details().entrySet())
			line(b, e.getKey(), e.getValue() instanceof double[] ? java.util.Arrays.toString((double[]) e.getValue())
					: e.getValue() instanceof java.util.Collection<?> || e.getValue() instanceof Map<?, ?>
							? Json.writeCompact(e.getValue())
							: String.valueOf(e.getValue()));
		for (Map.Entry<String, Object> e : values.entrySet())
			if (!KEYS.contains(e.getKey()))
				line(b, e.getKey(), Json.write(e.getValue()));
		return b.toString();
	}

	private static void line(StringBuilder b, String key, String value) {
		b.append(String.format(Locale.ROOT, "%-13s %s%n", key.isEmpty() ? "" : key + ":", value));
	}

	private static void matrix(StringBuilder b, String name, double[][] m) {
		for (int r = 0; r < 4; r++)
			line(b, r == 0 ? name : "", String.format(Locale.ROOT, "[%12.6f %12.6f %12.6f %12.6f]", m[r][0], m[r][1], m[r][2], m[r][3]));
	}

	private static String g(double v) {
		return Json.number(v).replaceAll("\\.0$", "");
	}
}
