package org.volseg.io;

import java.nio.file.Path;
import java.util.Map;

import org.volseg.volume.Volume;
import org.volseg.volume.VolumeStatistics;

/**
 * A volume and what its source said about it.
 *
 * @param volume voxels (float) and geometry (LPS)
 * @param source the path that was read
 * @param format the source kind with details, for example {@code "NIfTI-1 (little-endian, gzip)"}
 * @param datatype the on-disk voxel type in NIfTI's numpy-style names, for example {@code "int16"}
 * @param statistics float64 statistics of the decoded values, or null if not computed
 * @param details further source-specific facts, in display order (for example qform_code); never
 *        null, read-only
 */
public record LoadedVolume(Volume volume, Path source, String format, String datatype, VolumeStatistics statistics,
		Map<String, Object> details) {}
