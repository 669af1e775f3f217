package org.volseg.tiling;

import org.volseg.volume.Volume;

/**
 * A {@link StitchOutput} that puts the finished rows together into one whole volume:
 * {@link VolumeAssembler} in the Java heap, {@link DiskVolumeAssembler} in a temporary file.
 */
public interface AssembledVolume extends StitchOutput {

	/**
	 * The assembled volume: (x, y, z) for one channel, else (x, y, z, channel).
	 *
	 * @throws IllegalStateException unless every row was received once
	 */
	Volume volume();
}
