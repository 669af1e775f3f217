package org.volseg.fiji;

import java.util.List;
import java.util.Map;

import org.volseg.volume.LabelStatistics;
import org.volseg.volume.Volume;

import ij.measure.ResultsTable;

/**
 * The results table of a segmentation: one row per label present (background excluded), in
 * increasing label order, with the columns {@value #LABEL}, {@value #NAME}, {@value #VOXELS},
 * {@value #VOLUME_ML}, {@value #MEAN} and {@value #SD} (population standard deviation) of the
 * scan's intensity inside the label. Values are {@link LabelStatistics}'. Stateless.
 */
final class LabelResults {

	public static final String LABEL = "Label", NAME = "Name", VOXELS = "Voxels", VOLUME_ML = "Volume (mL)",
			MEAN = "Mean", SD = "SD";
	/** The window title Fiji shows the table under. */
	public static final String TITLE = "VolSeg Results";

	private LabelResults() {
	}

	/**
	 * @param labels the label map
	 * @param scan the scan on the same grid (its first channel), or null for counts and volumes only
	 * @param names class names by label ({@code label <n>} for others)
	 */
	public static ResultsTable table(Volume labels, Volume scan, Map<Integer, String> names) {
		return table(LabelStatistics.of(labels, scan), names);
	}

	/** The table of rows already computed. */
	public static ResultsTable table(List<LabelStatistics.Row> rows, Map<Integer, String> names) {
		ResultsTable table = new ResultsTable();
		table.showRowNumbers(false);
		for (LabelStatistics.Row r : rows) {
			table.incrementCounter();
			table.addValue(LABEL, r.label());
			table.addValue(NAME, names.getOrDefault(r.label(), "label " + r.label()));
			table.addValue(VOXELS, r.voxels());
			table.addValue(VOLUME_ML, r.volumeMl());
			table.addValue(MEAN, r.meanIntensity());
			table.addValue(SD, r.sdIntensity());
		}
		if (table.size() > 0) {
			table.setDecimalPlaces(table.getColumnIndex(LABEL), 0);
			table.setDecimalPlaces(table.getColumnIndex(VOXELS), 0);
			table.setDecimalPlaces(table.getColumnIndex(VOLUME_ML), 3);
		}
		return table;
	}
}
