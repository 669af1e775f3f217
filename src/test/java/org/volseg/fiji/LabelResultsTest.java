package org.volseg.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.volseg.volume.Geometry;
import org.volseg.volume.LabelStatistics;
import org.volseg.volume.Volume;

import ij.measure.ResultsTable;
import net.imglib2.img.array.ArrayImgs;

class LabelResultsTest {

	@Test
	void oneRowPerLabelWithNameVolumeAndIntensity() {
		// 2x2x2 voxels of 2 x 2 x 2.5 mm = 10 mm^3 each
		Volume labels = new Volume(ArrayImgs.floats(new float[] { 0, 1, 1, 3, 3, 3, 0, 1 }, 2, 2, 2), Geometry.ofSpacing(2, 2, 2.5));
		Volume scan = new Volume(ArrayImgs.floats(new float[] { 9, 10, 20, 1, 2, 3, 9, 30 }, 2, 2, 2), Geometry.ofSpacing(2, 2, 2.5));
		ResultsTable t = LabelResults.table(labels, scan, Map.of(1, "liver"));
		assertEquals(2, t.size());
		assertEquals(1, t.getValue(LabelResults.LABEL, 0), 0);
		assertEquals("liver", t.getStringValue(LabelResults.NAME, 0));
		assertEquals(3, t.getValue(LabelResults.VOXELS, 0), 0);
		assertEquals(0.03, t.getValue(LabelResults.VOLUME_ML, 0), 1e-12);
		assertEquals(20, t.getValue(LabelResults.MEAN, 0), 1e-12);
		assertEquals(Math.sqrt(200.0 / 3), t.getValue(LabelResults.SD, 0), 1e-9);
		assertEquals("label 3", t.getStringValue(LabelResults.NAME, 1));
		assertEquals(2, t.getValue(LabelResults.MEAN, 1), 1e-12);
		assertEquals(Math.sqrt(2.0 / 3), t.getValue(LabelResults.SD, 1), 1e-9);
	}

	@Test
	void noLabelsGiveAnEmptyTable() {
		Volume labels = new Volume(ArrayImgs.floats(new float[8], 2, 2, 2), Geometry.identity());
		assertEquals(0, LabelResults.table(LabelStatistics.of(labels), Map.of()).size());
		assertEquals(0, LabelResults.table(List.of(), Map.of()).size());
	}
}
