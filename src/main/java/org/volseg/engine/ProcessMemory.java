package org.volseg.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process's resident memory (Java heap, native TensorFlow buffers and everything else), read
 * from {@code /proc/self/status} ({@code VmRSS}). Linux only. Stateless.
 */
final class ProcessMemory {

	private static final Path STATUS = Path.of("/proc/self/status");

	private ProcessMemory() {
	}

	/** The resident set size in KiB, or -1 where {@code /proc/self/status} is unavailable. */
	public static long residentKiB() {
		try {
			return parseVmRss(Files.readAllLines(STATUS));
		} catch (IOException | RuntimeException e) {
			return -1;
		}
	}

	/** The {@code VmRSS} value (KiB) of a {@code /proc/PID/status} text, or -1 without one. */
	static long parseVmRss(List<String> lines) {
		for (String line : lines)
			if (line.startsWith("VmRSS:")) {
				String[] parts = line.substring(6).trim().split("\\s+");
				return Long.parseLong(parts[0]);
			}
		return -1;
	}
}
