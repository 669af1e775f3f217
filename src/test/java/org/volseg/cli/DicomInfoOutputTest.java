package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.testutil.JsonParser;
import org.volseg.io.dicom.DicomFolderReader;
import org.volseg.io.dicom.DicomSeries;
import org.volseg.io.dicom.DicomSeriesVolume;
import org.volseg.io.dicom.DicomSeriesWriter;
import org.volseg.io.dicom.DicomFormat;
import org.volseg.io.dicom.StoredValueStatistics;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.type.numeric.real.FloatType;

/** The text and JSON that `volseg info` prints for DICOM input. */
class DicomInfoOutputTest {

	@TempDir
	Path tmp;

	private static Path resource(String name) throws Exception {
		return Path.of(DicomInfoOutputTest.class.getResource("/dicom/" + name).toURI());
	}

	@Test
	void listsTheSeriesOfAFolder() throws Exception {
		List<DicomSeries> series = new DicomFolderReader().scan(resource("series/axial_ct"));
		String text = DicomInfoOutput.seriesTable(resource("series/axial_ct"), series);
		String[] lines = text.split("\n");
		assertEquals(4, lines.length, text);
		assertTrue(lines[0].endsWith("2 series"), lines[0]);
		assertTrue(lines[1].startsWith("number") && lines[1].contains("orient"), lines[1]);
		assertTrue(lines[3].matches("3\\s+axial_ct\\s+CT\\s+40\\s+72 64 40\\s+0\\.8000 0\\.7000 2\\.500\\s+LPS"), lines[3]);
		assertTrue(lines[2].matches("1\\s+localizer\\s+CT\\s+1\\s+64 64 1 .*"), lines[2]);
	}

	@Test
	@SuppressWarnings("unchecked")
	void seriesJsonHasTheNiftiKeysAndTheSeriesKeys() throws Exception {
		Geometry g = Geometry.ofLps(new double[][] { { 0, 0, -2, 10 }, { 2, 0, 0, -120 }, { 0, -1.5, 0, 80 }, { 0, 0, 0, 1 } });
		Volume v = Volume.allocate(g, 3, 4, 2);
		int k = 0;
		for (FloatType t : net.imglib2.view.Views.flatIterable(v.voxels()))
			t.set(k++ * 10 - 100);
		new DicomSeriesWriter().seriesNumber(12).description("sag \"T1\"").modality("MR").write(v, tmp);
		DicomFolderReader reader = new DicomFolderReader();
		DicomSeriesVolume read = reader.readMain(tmp);
		Map<String, Object> j = (Map<String, Object>) JsonParser.parse(DicomInfoOutput.seriesJson(read));
		for (String key : List.of("dims", "spacing_mm", "orientation", "affine_lps", "affine_ras", "datatype", "min", "max",
				"sum", "sum_sq", "source", "series_uid", "series_number", "description", "modality"))
			assertTrue(j.containsKey(key), key + " missing in " + j.keySet());
		assertEquals(List.of(3.0, 4.0, 2.0), j.get("dims"));
		assertEquals(List.of(2.0, 1.5, 2.0), j.get("spacing_mm"));
		assertEquals("PIR", j.get("orientation"));
		assertEquals(List.of(0.0, 0.0, -2.0, 10.0), ((List<Object>) j.get("affine_lps")).get(0));
		assertEquals(List.of(0.0, 0.0, 2.0, -10.0), ((List<Object>) j.get("affine_ras")).get(0));
		assertEquals(12.0, j.get("series_number"));
		assertEquals("sag \"T1\"", j.get("description"));
		assertEquals("MR", j.get("modality"));
		assertEquals("int16", j.get("datatype"));
		assertEquals(-100.0, j.get("min"));
		assertEquals(130.0, j.get("max"));
		double sum = 0, sq = 0;
		for (int i = 0; i < 24; i++) {
			sum += i * 10 - 100;
			sq += (i * 10 - 100) * (i * 10 - 100);
		}
		assertEquals(sum, j.get("sum"));
		assertEquals(sq, j.get("sum_sq"));
		assertEquals(tmp.toString(), j.get("source"));
		assertEquals(read.series().seriesUid(), j.get("series_uid"));

		List<Object> all = (List<Object>) JsonParser.parse(DicomInfoOutput.folderJson(reader, reader.scan(tmp)));
		assertEquals(1, all.size());
	}

	@Test
	@SuppressWarnings("unchecked")
	void fileJsonGivesStoredValueStatistics() throws Exception {
		String json = DicomInfoOutput.fileJson(StoredValueStatistics.of(DicomFormat.parser(), resource("rtdose.dcm")));
		Map<String, Object> j = (Map<String, Object>) JsonParser.parse(json);
		assertEquals(List.of(10.0, 10.0, 15.0), j.get("dims"));
		assertEquals(795000.0, j.get("min"));
		assertEquals(1254000.0, j.get("max"));
		assertEquals(1519910000.0, j.get("sum"));
		assertEquals(1570777418000000.0, j.get("sum_sq"));
		assertEquals("1.2.840.10008.1.2", j.get("transfer_syntax"));
	}

	@Test
	void numbersAndStringsAreValidJson() {
		assertEquals("null", org.volseg.util.Json.number(Double.NaN));
		assertEquals("3.0", org.volseg.util.Json.number(3.0));
		assertEquals("0.5", org.volseg.util.Json.number(0.5));
		assertEquals("\"a\\\\b\\n\\u0001\"", org.volseg.util.Json.quote("a\\b\n\u0001"));
	}
}
