package org.volseg.io.dicom;

import java.nio.file.Path;

/**
 * Statistics of the stored pixel values of one file, over all frames and samples, before rescale
 * and before MONOCHROME1 inversion (what pydicom's {@code pixel_array} holds). Immutable.
 */
public final class StoredValueStatistics {

	private final Path file;
	private final String transferSyntaxUid;
	private final PixelFormat format;
	private final double min, max, sum, sumOfSquares;

	private StoredValueStatistics(Path file, String transferSyntaxUid, PixelFormat format, double min, double max,
			double sum, double sumOfSquares) {
		this.file = file;
		this.transferSyntaxUid = transferSyntaxUid;
		this.format = format;
		this.min = min;
		this.max = max;
		this.sum = sum;
		this.sumOfSquares = sumOfSquares;
	}

	/**
	 * Reads and decodes every frame of a file with {@code parser} ({@link DicomFormat#parser()} is
	 * VolSeg's own).
	 *
	 * @throws org.volseg.VolumeFormatException if the file cannot be read or decoded
	 */
	public static StoredValueStatistics of(DicomSource parser, Path file) {
		DicomFile dicom = parser.readFile(file);
		return of(dicom, parser.decoder(dicom));
	}

	/** Decodes every frame of a fully read file with VolSeg's own decoders. */
	public static StoredValueStatistics of(DicomFile dicom) {
		return of(dicom, PixelDecoder.of(dicom));
	}

	private static StoredValueStatistics of(DicomFile dicom, FrameDecoder decoder) {
		PixelFormat f = decoder.format();
		double[] values = new double[f.valuesPerFrame()];
		double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum = 0, sumSq = 0;
		for (int frame = 0; frame < f.frames(); frame++) {
			decoder.decodeFrame(frame, values);
			for (double v : values) {
				min = Math.min(min, v);
				max = Math.max(max, v);
				sum += v;
				sumSq += v * v;
			}
		}
		return new StoredValueStatistics(dicom.path(), dicom.transferSyntaxUid(), f, min, max, sum, sumSq);
	}

	public Path file() {
		return file;
	}

	public String transferSyntaxUid() {
		return transferSyntaxUid;
	}

	public PixelFormat format() {
		return format;
	}

	public double min() {
		return min;
	}

	public double max() {
		return max;
	}

	public double sum() {
		return sum;
	}

	public double sumOfSquares() {
		return sumOfSquares;
	}
}
