package org.volseg.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a file's first bytes say it is, for every place that guesses a file type from its content.
 * The DICOM marker is checked before anything else: a DICOM preamble (128 free bytes) may begin
 * with the integer 348, NIfTI-1's header size (nibabel's {@code siemens_dwi_0.dcm} does), so a
 * NIfTI test on the first four bytes alone would take such a file for NIfTI. Stateless.
 */
public final class FileSignature {

	private FileSignature() {
	}

	/** True if the file holds "DICM" at offset 128 (a DICOM Part 10 file); false if unreadable or shorter. */
	public static boolean hasDicomPreamble(Path file) {
		try (InputStream in = Files.newInputStream(file)) {
			byte[] b = in.readNBytes(132);
			return b.length == 132 && b[128] == 'D' && b[129] == 'I' && b[130] == 'C' && b[131] == 'M';
		} catch (IOException | RuntimeException e) {
			return false;
		}
	}
}
