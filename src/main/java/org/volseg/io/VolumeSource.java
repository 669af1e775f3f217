package org.volseg.io;

import java.nio.file.Path;

/**
 * One kind of volume source VolSeg can open (NIfTI files; DICOM files and folders are added the
 * same way). Implementations are stateless and thread-safe.
 */
public interface VolumeSource {

	/** A short name for messages, for example {@code "NIfTI"}. */
	String name();

	/**
	 * True if this source recognises the path (by name, or by looking at a few bytes); must be cheap
	 * and must not throw for unreadable paths.
	 */
	boolean accepts(Path path);

	/**
	 * Opens the path.
	 *
	 * @param statistics if true, fill {@link LoadedVolume#statistics()} with float64 statistics of the
	 *        values as decoded; if false it may be null
	 * @throws org.volseg.VolumeFormatException if the data cannot be read
	 */
	LoadedVolume read(Path path, boolean statistics);

	/**
	 * Opens the path for a caller that never writes the voxels (the segmenter's input): integer
	 * voxels may stay in their stored type behind a read-only float view
	 * ({@link org.volseg.volume.StoredVoxels}), half the memory of floats for int16 CT. No statistics.
	 * The default reads as {@link #read(Path, boolean) read(path, false)}.
	 */
	default LoadedVolume readReadOnly(Path path) {
		return read(path, false);
	}
}
