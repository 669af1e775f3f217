package org.volseg.io.nifti;

import org.volseg.volume.Volume;
import org.volseg.volume.VolumeStatistics;

/**
 * A volume read from a NIfTI file, with what its header said.
 *
 * @param volume the scaled voxels (float32) and their geometry (LPS)
 * @param header the header as stored on disk (on-disk datatype, qform/sform codes, pixdim)
 * @param affineSource which header fields the geometry came from
 * @param statistics min/max/sum/sum of squares of the scaled values in float64 (before rounding to
 *        float32), or null if they were not asked for
 */
public record NiftiVolume(Volume volume, NiftiHeader header, NiftiAffines.Source affineSource, VolumeStatistics statistics) {}
