package org.volseg.io.dicom;

import java.nio.file.Path;

import org.volseg.VolumeFormatException;

/**
 * The Image Pixel module of a file: frame size, sample layout and bit depth. Validated on
 * construction, so that decoders can trust it. Immutable.
 */
public final class PixelFormat {

	/** Frames, rows, columns and samples beyond which a file is refused as absurd (about 2^31 values). */
	static final long MAX_VALUES = Integer.MAX_VALUE - 64;

	private final int rows, columns, frames, samples, bitsAllocated, bitsStored, highBit, planarConfiguration;
	private final boolean signed;
	private final String photometric;

	private PixelFormat(int rows, int columns, int frames, int samples, int bitsAllocated, int bitsStored, int highBit,
			boolean signed, String photometric, int planarConfiguration) {
		this.rows = rows;
		this.columns = columns;
		this.frames = frames;
		this.samples = samples;
		this.bitsAllocated = bitsAllocated;
		this.bitsStored = bitsStored;
		this.highBit = highBit;
		this.signed = signed;
		this.photometric = photometric;
		this.planarConfiguration = planarConfiguration;
	}

	/**
	 * The pixel format a data set declares.
	 *
	 * @throws VolumeFormatException naming {@code file} if an attribute is missing or out of range
	 */
	public static PixelFormat of(Path file, DicomDataset ds) {
		Integer rows = ds.integer(Tags.ROWS), columns = ds.integer(Tags.COLUMNS);
		Integer bitsAllocated = ds.integer(Tags.BITS_ALLOCATED);
		if (rows == null || columns == null || bitsAllocated == null)
			throw new VolumeFormatException(file, "no image: Rows, Columns or BitsAllocated is missing");
		int frames = ds.integer(Tags.NUMBER_OF_FRAMES, 1);
		int samples = ds.integer(Tags.SAMPLES_PER_PIXEL, 1);
		int bitsStored = ds.integer(Tags.BITS_STORED, bitsAllocated);
		int highBit = ds.integer(Tags.HIGH_BIT, bitsStored - 1);
		int representation = ds.integer(Tags.PIXEL_REPRESENTATION, 0);
		String photometric = ds.string(Tags.PHOTOMETRIC_INTERPRETATION, samples == 1 ? "MONOCHROME2" : "RGB");
		int planar = ds.integer(Tags.PLANAR_CONFIGURATION, 0);
		if (rows < 1 || columns < 1 || frames < 1)
			throw new VolumeFormatException(file, "absurd image size: " + columns + " columns, " + rows + " rows, "
					+ frames + " frames");
		if (samples != 1 && samples != 3)
			throw new VolumeFormatException(file, "SamplesPerPixel " + samples + " is not supported (only 1 or 3)");
		if (bitsAllocated != 1 && bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32)
			throw new VolumeFormatException(file, "BitsAllocated " + bitsAllocated + " is not supported (1, 8, 16 or 32)");
		if (bitsStored < 1 || bitsStored > bitsAllocated || highBit < bitsStored - 1 || highBit >= bitsAllocated)
			throw new VolumeFormatException(file, "inconsistent bit depth: BitsAllocated " + bitsAllocated
					+ ", BitsStored " + bitsStored + ", HighBit " + highBit);
		if ((long) rows * columns * samples * frames > MAX_VALUES)
			throw new VolumeFormatException(file, "absurd image size: " + columns + " x " + rows + " x " + frames
					+ " frames x " + samples + " samples is more than 2^31 values");
		return new PixelFormat(rows, columns, frames, samples, bitsAllocated, bitsStored, highBit, representation == 1,
				photometric.toUpperCase(java.util.Locale.ROOT), planar);
	}

	/** This format with another frame size and frame count (the tiles of a mosaic). */
	PixelFormat withSize(int newRows, int newColumns, int newFrames) {
		return new PixelFormat(newRows, newColumns, newFrames, samples, bitsAllocated, bitsStored, highBit, signed,
				photometric, planarConfiguration);
	}

	public int rows() {
		return rows;
	}

	public int columns() {
		return columns;
	}

	public int frames() {
		return frames;
	}

	public int samples() {
		return samples;
	}

	public int bitsAllocated() {
		return bitsAllocated;
	}

	public int bitsStored() {
		return bitsStored;
	}

	public int highBit() {
		return highBit;
	}

	/** PixelRepresentation 1: stored values are two's complement. */
	public boolean signed() {
		return signed;
	}

	/** PhotometricInterpretation, upper case: MONOCHROME1, MONOCHROME2, RGB, YBR_FULL, ... */
	public String photometric() {
		return photometric;
	}

	public int planarConfiguration() {
		return planarConfiguration;
	}

	/** True for colour images (3 samples per pixel). */
	public boolean colour() {
		return samples == 3;
	}

	/** Values per frame: rows x columns x samples. */
	public int valuesPerFrame() {
		return rows * columns * samples;
	}

	/**
	 * Bytes of one native frame (rounded up for 1-bit data, which packs frames without padding; two
	 * thirds of the samples for 8-bit YBR_FULL_422, whose pixel pairs share their chroma).
	 */
	long nativeFrameBytes() {
		if (photometric.equals("YBR_FULL_422") && samples == 3 && bitsAllocated == 8 && planarConfiguration == 0)
			return (long) rows * ((columns + 1) / 2) * 4; // two luma, one Cb, one Cr per pair of pixels
		return bitsAllocated == 1 ? ((long) valuesPerFrame() + 7) / 8 : (long) valuesPerFrame() * bitsAllocated / 8;
	}

	/** Smallest and largest stored value BitsStored and PixelRepresentation allow. */
	double storedMin() {
		return signed ? -Math.pow(2, bitsStored - 1) : 0;
	}

	double storedMax() {
		return signed ? Math.pow(2, bitsStored - 1) - 1 : Math.pow(2, bitsStored) - 1;
	}
}
