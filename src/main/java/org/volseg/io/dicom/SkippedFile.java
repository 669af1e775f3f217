package org.volseg.io.dicom;

import java.nio.file.Path;

/**
 * A DICOM file a folder scan could not use, and why (the parser's or decoder's own message, for
 * example "the file is truncated: ..."). Files that are not DICOM at all are not listed.
 *
 * @param file the file
 * @param reason what is wrong with it, without the file name
 */
public record SkippedFile(Path file, String reason) {

	/** One line for logs and warnings: {@code skipped FILE: REASON}. */
	public String line() {
		return "skipped " + file + ": " + reason;
	}
}
