package org.volseg.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Test;
import org.volseg.InvalidParameterException;

/**
 * DICOM through {@link VolumeIO}: the synthetic series fixtures (see dicom/expected_series.tsv:
 * dims and statistics from dcm2niix/pydicom) read from a folder, with the series chosen by number.
 */
class DicomVolumeSourceTest {

	static Path series(String name) throws URISyntaxException {
		return Paths.get(DicomVolumeSourceTest.class.getResource("/dicom/series/" + name).toURI());
	}

	@Test
	void aFolderGivesItsMainSeriesNotTheLocalizer() throws Exception {
		LoadedVolume v = VolumeIO.standard().open(series("axial_ct"), true);
		assertEquals("DICOM", v.format());
		assertArrayEquals(new long[] { 72, 64, 40 }, v.volume().dimensions());
		assertEquals(3, v.details().get("series_number"));
		assertEquals(2, v.details().get("series_in_folder"));
		// expected_series.tsv: sum -91263134, min -1041, max 730 (HU)
		assertEquals(-91263134.0, v.statistics().sum(), 0.5);
		assertEquals(-1041, v.statistics().min());
		assertEquals(730, v.statistics().max());
		assertArrayEquals(new double[] { 0.8, 0.7, 2.5 }, v.volume().geometry().spacing(), 1e-6);
	}

	@Test
	void seriesNumberChoosesAnotherSeries() throws Exception {
		LoadedVolume v = VolumeIO.standard(1).open(series("axial_ct"), false);
		assertArrayEquals(new long[] { 64, 64, 1 }, v.volume().dimensions());
		assertEquals("localizer", v.details().get("description"));
	}

	@Test
	void unknownSeriesNumberListsTheNumbersThereAre() throws Exception {
		Path folder = series("axial_ct");
		InvalidParameterException e = assertThrows(InvalidParameterException.class,
				() -> VolumeIO.standard(7).open(folder, false));
		assertTrue(e.getMessage().contains("--series") && e.getMessage().contains("1, 3"), e.getMessage());
	}

	@Test
	void niftiFilesStillGoToTheNiftiReader() throws Exception {
		Path nifti = Paths.get(getClass().getResource("/nifti/anatomical.nii").toURI());
		assertTrue(VolumeIO.read(nifti).format().startsWith("NIfTI"));
	}
}
