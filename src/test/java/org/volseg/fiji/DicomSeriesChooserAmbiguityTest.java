package org.volseg.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.InvalidParameterException;
import org.volseg.io.dicom.DicomSeries;

/**
 * Fiji's Open DICOM Series and the macro API ({@code Macros.openDicom}) choose through
 * {@link DicomSeriesChooser#choose}: on pydicom's files of four patients, all SeriesNumber 1, the
 * number is refused listing the candidates and the SeriesInstanceUID picks one (issue 15 item 6).
 */
class DicomSeriesChooserAmbiguityTest {

	@TempDir
	Path dir;

	@Test
	void anAmbiguousNumberIsRefusedAndTheUidChooses() throws Exception {
		for (String f : new String[] { "CT_small.dcm", "MR_small.dcm", "JPEG2000.dcm", "rtdose.dcm" })
			try (InputStream in = getClass().getResourceAsStream("/dicom/" + f)) {
				Files.write(dir.resolve(f), in.readAllBytes());
			}
		List<DicomSeries> all = DicomSeriesChooser.scan(dir);
		InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> DicomSeriesChooser.choose(all, "1"));
		assertTrue(e.getMessage().startsWith("series: ") && e.getMessage().contains("4 series in the folder have SeriesNumber 1"),
				e.getMessage());
		String mrUid = "1.3.6.1.4.1.5962.1.3.4.1.20040826185059.5457"; // pydicom: MR_small.dcm SeriesInstanceUID
		assertTrue(e.getMessage().contains(mrUid + " (MR, '', 1 slice)"), e.getMessage());
		assertEquals("MR", DicomSeriesChooser.choose(all, mrUid).modality());
		assertEquals("RTDOSE", DicomSeriesChooser.choose(all, "main").modality()); // the most slices
	}
}
