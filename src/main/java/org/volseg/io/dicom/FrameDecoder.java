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

	/**
	 * Decodes one monochrome frame straight to rescaled floats:
	 * {@code out[offset + i] = (invert ? storedMax + storedMin - v : v) * slope + intercept}, with
	 * storedMin and storedMax the range BitsStored and PixelRepresentation allow (MONOCHROME1).
	 * The default goes through {@link #decodeFrame}; implementations may do it faster.
	 */
	default void decodeFrameRescaled(int frame, float[] out, int offset, double slope, double intercept, boolean invert) {
		PixelFormat f = format();
		double[] values = new double[f.valuesPerFrame()];
		decodeFrame(frame, values);
		double flip = f.storedMax() + f.storedMin();
		for (int i = 0; i < values.length; i++)
			out[offset + i] = (float) ((invert ? flip - values[i] : values[i]) * slope + intercept);
	}
}
