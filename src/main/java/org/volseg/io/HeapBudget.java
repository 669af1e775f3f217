package org.volseg.io;

import java.nio.file.Path;
import java.util.Locale;

import org.volseg.VolumeFormatException;

/**
 * Checks, before a reader allocates what a file's header declares, that the Java heap can hold it
 * ({@link Runtime#maxMemory()} minus what is in use, looked at again after one garbage collection
 * when the first look says no), so a corrupt or hostile header gives a {@link VolumeFormatException}
 * naming the file instead of an {@link OutOfMemoryError}. Readers check the bytes actually present
 * in the file themselves; this is the second, heap-side check. Stateless and thread-safe (the
 * answer is a snapshot: other threads may allocate meanwhile).
 */
public final class HeapBudget {

	private HeapBudget() {
	}

	/** Bytes of heap free now: {@code maxMemory - (totalMemory - freeMemory)}. */
	public static long free() {
		Runtime rt = Runtime.getRuntime();
		return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
	}

	/** True if {@code bytes} fit in the free heap (after one garbage collection if needed). */
	public static boolean fits(long bytes) {
		if (bytes <= free())
			return true;
		System.gc(); // memory held by garbage counts as used until collected; look again before refusing
		return bytes <= free();
	}

	/**
	 * @param bytes what is about to be allocated
	 * @param what what the bytes are for, e.g. "512 x 512 x 300 float voxels"
	 * @throws VolumeFormatException naming {@code file} if {@code bytes} do not fit
	 */
	public static void require(Path file, long bytes, String what) {
		if (bytes >= 0 && fits(bytes))
			return;
		Runtime rt = Runtime.getRuntime();
		throw new VolumeFormatException(file, String.format(Locale.ROOT,
				"needs %s of memory for %s, but the Java VM has only %s free (of %s maximum); check the header's"
						+ " dimensions, or raise -Xmx (for the volseg script: VOLSEG_JAVA_OPTS=\"-Xmx... -Xmn64m\")",
				size(bytes), what, size(free()), size(rt.maxMemory())));
	}

	/** {@code count * bytesEach}, or {@link Long#MAX_VALUE} if that overflows. */
	public static long times(long count, long bytesEach) {
		try {
			return Math.multiplyExact(count, bytesEach);
		} catch (ArithmeticException e) {
			return Long.MAX_VALUE;
		}
	}

	private static String size(long bytes) {
		if (bytes < 0 || bytes == Long.MAX_VALUE)
			return "more than 8 EB";
		return bytes < 10L << 20 ? String.format(Locale.ROOT, "%.1f kB", bytes / 1024.0)
				: String.format(Locale.ROOT, "%d MB", Math.round(bytes / (double) (1 << 20)));
	}
}
