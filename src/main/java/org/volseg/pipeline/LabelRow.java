package org.volseg.pipeline;

/**
 * One label of a segmentation result: its value, the class name the model gives it, its voxel
 * count on the input grid and its volume in millilitres (voxels times the input's voxel volume).
 */
public record LabelRow(int label, String name, long voxels, double volumeMl) {
}
