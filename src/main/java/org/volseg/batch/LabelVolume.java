package org.volseg.batch;

/**
 * How much of one label a segmentation holds, on the input's grid.
 *
 * @param voxels voxel count
 * @param millilitres voxels times the input's voxel volume, in mL (1 mL = 1000 mm^3)
 */
record LabelVolume(long voxels, double millilitres) {
}
