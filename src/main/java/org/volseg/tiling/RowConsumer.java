package org.volseg.tiling;

/**
 * A {@link SlabConsumer} that can also take an output one finished x-row at a time, in any order,
 * as soon as no window writes the row any more. A {@link Stitcher} that finalises rows early (compact
 * outputs such as labels, {@link Stitcher#releasesRowsEarly}) hands such a consumer its rows
 * directly instead of collecting them into slabs of whole planes first: the finished values of
 * planes still being written are then held only in the consumer's own (possibly smaller) storage.
 * Otherwise it receives slabs through {@link #accept}, as any {@code SlabConsumer}.
 *
 * <p>Each row is handed on once, either as a row or inside a slab, never both.</p>
 */
public interface RowConsumer extends SlabConsumer {

	/**
	 * @param y row of the volume (not padded)
	 * @param z plane of the volume (not padded)
	 * @param values the row's finalised values: channel {@code c} of voxel {@code x} at
	 *        {@code values[c * sizeX + x]}, {@code sizeX} the volume's x size; read during the call
	 *        only (the array is reused)
	 */
	void acceptRow(long y, long z, float[] values);
}
