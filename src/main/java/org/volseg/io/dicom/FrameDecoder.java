package org.volseg.io.dicom;

/** Decodes the frames of one file into stored values (before rescale). Implementations are thread-safe. */
public interface FrameDecoder {

	/** The file's pixel format (frames, rows, columns, samples, bits). */
	PixelFormat format();

	/**
	 * Decodes one frame.
	 *
	 * @param frame 0-based frame index
	 * @param out receives {@code rows * columns * samples} stored values, row by row, samples of a
	 *        pixel adjacent ({@code out[(row * columns + column) * samples + sample]})
	 * @throws org.volseg.VolumeFormatException if the frame's data are corrupt
	 */
	void decodeFrame(int frame, double[] out);
}
