package org.volseg.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether an output would land on an input ("inputs are never overwritten"): the one test the
 * segmenter, the converters, the DICOM SEG writer and Fiji's save commands apply before writing.
 * Each caller words its own refusal. Stateless.
 */
public final class SameFile {

	private SameFile() {
	}

	/**
	 * True if writing {@code output} would replace {@code input}: when {@code output} exists, the
	 * file system says whether both name one file (links and relative names resolved); when it does
	 * not, whether both normalise to the same absolute path. False when the file system cannot tell
	 * (an I/O error): the caller then writes as it would to any other file.
	 */
	public static boolean as(Path input, Path output) {
		try {
			return Files.exists(output) ? Files.isSameFile(input, output)
					: input.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize());
		} catch (IOException e) {
			return false;
		}
	}
}
