package org.volseg.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a model imported from a MONAI bundle adds to {@code config.volseg} ({@code config.volseg.monai}
 * in {@code rdf.yaml}): how outputs go back to the scan's grid and become labels, as the bundle's
 * postprocessing does. Absent in other packages (then labels are computed on the model grid and
 * carried back by nearest neighbour, sigmoid threshold 0.5 from the settings).
 *
 * @param version the bundle's {@code metadata.json} {@code monai_version}, or {@code null}
 * @param invert {@link Invert#PROBABILITIES} when the bundle inverts the activated outputs
 *        ({@code Invertd} with {@code nearest_interp: false} before {@code AsDiscreted}): class
 *        scores are resampled (trilinear) onto the scan's grid and labels computed there
 * @param threshold the sigmoid threshold of {@code AsDiscreted(threshold)}, or {@code null}
 * @param regionLabels BraTS-style region-to-label mapping (a {@code Lambdad} of nested
 *        {@code torch.where}): in priority order, the first region whose score reaches the
 *        threshold gives the voxel its label, else 0; empty for none
 * @param padding the sliding window's padding of volumes smaller than the window
 *        ({@code constant} or {@code edge} = MONAI's {@code replicate}), or {@code null} for constant
 */
public record MonaiOptions(String version, Invert invert, Double threshold, List<RegionLabel> regionLabels,
		String padding) {

	/** How outputs are carried to the scan's grid. */
	public enum Invert {
		/** Labels on the model grid, carried back by nearest neighbour. */
		LABELS,
		/** Class scores carried back trilinearly, labels computed on the scan's grid. */
		PROBABILITIES;

		public String yamlName() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	/**
	 * One entry of a region-to-label mapping.
	 *
	 * @param channel output channel (after sigmoid)
	 * @param label the label voxels of that region get
	 */
	public record RegionLabel(int channel, int label) {
	}

	public MonaiOptions {
		regionLabels = List.copyOf(regionLabels);
		if (invert == null)
			invert = Invert.LABELS;
	}

	/** The block as written to {@code rdf.yaml}. */
	public Map<String, Object> toYaml() {
		Map<String, Object> m = new LinkedHashMap<>();
		if (version != null)
			m.put("version", version);
		m.put("invert", invert.yamlName());
		if (threshold != null)
			m.put("threshold", threshold);
		if (!regionLabels.isEmpty()) {
			List<Object> l = new java.util.ArrayList<>();
			for (RegionLabel r : regionLabels)
				l.add(new LinkedHashMap<>(Map.of("channel", r.channel(), "label", r.label())));
			m.put("region_labels", l);
		}
		if (padding != null)
			m.put("padding", padding);
		return m;
	}

	/**
	 * Reads the block.
	 *
	 * @param where the path in rdf.yaml, for messages
	 * @throws ModelPackageException naming the key for a malformed value
	 */
	public static MonaiOptions fromYaml(Map<?, ?> m, String where) {
		try {
			String version = m.get("version") == null ? null : String.valueOf(m.get("version"));
			Invert invert = m.get("invert") == null ? Invert.LABELS
					: Invert.valueOf(String.valueOf(m.get("invert")).toUpperCase(Locale.ROOT));
			Double threshold = m.get("threshold") == null ? null : ((Number) m.get("threshold")).doubleValue();
			List<RegionLabel> regions = new java.util.ArrayList<>();
			if (m.get("region_labels") != null)
				for (Object o : (List<?>) m.get("region_labels")) {
					Map<?, ?> r = (Map<?, ?>) o;
					regions.add(new RegionLabel(((Number) r.get("channel")).intValue(), ((Number) r.get("label")).intValue()));
				}
			String padding = m.get("padding") == null ? null : String.valueOf(m.get("padding"));
			if (padding != null && !padding.equals("constant") && !padding.equals("edge"))
				throw new IllegalArgumentException("padding " + padding);
			return new MonaiOptions(version, invert, threshold, regions, padding);
		} catch (RuntimeException ex) {
			throw new ModelPackageException(where, List.of(where + ": expected {version, invert: labels|probabilities, "
					+ "threshold, region_labels: [{channel, label}], padding: constant|edge}: " + ex.getMessage()));
		}
	}
}
