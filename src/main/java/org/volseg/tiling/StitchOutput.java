package org.volseg.tiling;

/**
 * What to do with finished voxels: one output of a stitch. The stitcher finalises every voxel of
 * a row with {@link #finalizer()} and hands the finished row to {@link #acceptRow} as soon as no
 * window writes it any more, in any order, each row of the volume exactly once.
 * {@link VolumeAssembler} is the implementation that keeps a whole volume (logits,
 * probabilities, a compact label map); others may stream rows elsewhere.
 *
 * <p>Called on the stitching thread only (never concurrently).</p>
 */
public interface StitchOutput {

	/** How the blended class values of a voxel become this output's values. */
	Finalizer finalizer();

	/**
	 * @param y row of the volume (not padded)
	 * @param z plane of the volume (not padded)
	 * @param values the row's finalised values: channel {@code c} of voxel {@code x} at
	 *        {@code values[c * sizeX + x]}, {@code sizeX} the volume's x size; read during the call
	 *        only (the array is reused)
	 */
	void acceptRow(long y, long z, float[] values);
}
