package org.volseg.io.dicom;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A Siemens MOSAIC image: one file (one frame) holding the slices of a whole volume as tiles of a
 * square grid, {@code ceil(sqrt(n))} tiles across, filled row by row from the top left. Read as
 * dcm2niix and nibabel read it:
 * <ul>
 * <li>the number of slices comes from the CSA image header's {@code NumberOfImagesInMosaic}
 * (0029,xx10), else from the private (0019,xx0A) of the "SIEMENS MR HEADER" block;</li>
 * <li>a tile is {@code Rows / across} x {@code Columns / across} pixels (integer division);</li>
 * <li>ImagePositionPatient names the corner of the whole mosaic as if it were one image centred
 * where the tiles are: the first tile's first voxel is there moved by
 * {@code (Columns - Columns / across) / 2} pixels along the row direction and
 * {@code (Rows - Rows / across) / 2} along the column direction (real division, as dcm2niix and
 * nibabel compute it, even when the tiles do not fill the mosaic exactly);</li>
 * <li>tile {@code k} lies {@code k} slice spacings (SpacingBetweenSlices, else SliceThickness)
 * along the CSA {@code SliceNormalVector} (else the row x column direction): that vector, not the
 * cross product, says whether the tiles ascend or descend.</li>
 * </ul>
 * Immutable.
 */
final class SiemensMosaic {

	final int count, across, tileRows, tileColumns;
	/** Unit slice normal from the CSA header (LPS), or null. */
	final double[] csaNormal;

	private SiemensMosaic(int count, int across, int tileRows, int tileColumns, double[] csaNormal) {
		this.count = count;
		this.across = across;
		this.tileRows = tileRows;
		this.tileColumns = tileColumns;
		this.csaNormal = csaNormal;
	}

	/**
	 * The mosaic layout of a single-frame image whose ImageType says MOSAIC, or null if it is not a
	 * mosaic (or its layout cannot be found: then a warning, and the image is read as one plane).
	 */
	static SiemensMosaic of(Path file, DicomDataset ds, PixelFormat f, Consumer<String> warnings) {
		String imageType = ds.string(Tags.IMAGE_TYPE, "").toUpperCase(Locale.ROOT);
		if (!imageType.contains("MOSAIC") || f.frames() != 1)
			return null;
		CsaHeader csa = CsaHeader.parse(ds.bytes(privateTag(ds, Tags.SIEMENS_CSA_HEADER_GROUP, "SIEMENS CSA HEADER", 0x10)));
		Integer n = null;
		double[] normal = null;
		if (csa != null) {
			double[] v = csa.numbers("NumberOfImagesInMosaic");
			if (v != null && v.length > 0)
				n = (int) Math.round(v[0]);
			normal = unit(csa.numbers("SliceNormalVector"));
		}
		if (n == null || n < 1) {
			byte[] raw = ds.bytes(privateTag(ds, Tags.SIEMENS_MR_HEADER_GROUP, "SIEMENS MR HEADER", 0x0A));
			if (raw != null && raw.length >= 2)
				n = ds.bigEndian() ? (raw[0] & 0xFF) << 8 | (raw[1] & 0xFF) : (raw[1] & 0xFF) << 8 | (raw[0] & 0xFF);
		}
		if (n == null || n < 1) {
			warnings.accept(file + ": ImageType says MOSAIC but neither the CSA header (0029,1010) nor (0019,100A) gives"
					+ " NumberOfImagesInMosaic; read as one 2D image of " + f.columns() + " x " + f.rows()
					+ " (dcm2niix can convert it)");
			return null;
		}
		int across = (int) Math.ceil(Math.sqrt(n));
		int tileRows = f.rows() / across, tileColumns = f.columns() / across;
		if (tileRows < 1 || tileColumns < 1) {
			warnings.accept(file + ": NumberOfImagesInMosaic " + n + " does not fit an image of " + f.columns() + " x "
					+ f.rows() + "; read as one 2D image");
			return null;
		}
		if (tileRows * across != f.rows() || tileColumns * across != f.columns())
			warnings.accept(file + ": the MOSAIC of " + f.columns() + " x " + f.rows() + " pixels is not a whole number of"
					+ " tiles (" + across + " across for " + n + " images); tiles of " + tileColumns + " x " + tileRows
					+ " are read from the top left, but the file may be malformed (nibabel refuses such files)");
		return new SiemensMosaic(n, across, tileRows, tileColumns, normal);
	}

	/** The tag of element {@code element} in the private block whose creator is {@code creator}. */
	private static int privateTag(DicomDataset ds, int group, String creator, int element) {
		for (int block = 0x10; block <= 0xFF; block++) {
			String c = ds.string((group << 16) | block);
			if (c != null && c.trim().equalsIgnoreCase(creator))
				return (group << 16) | (block << 8) | element;
		}
		return (group << 16) | 0x1000 | element; // the usual block, for files without the creator
	}

	/**
	 * Positions (LPS mm) of the first voxel of every tile.
	 *
	 * @param ipp ImagePositionPatient of the mosaic
	 * @param iop ImageOrientationPatient (unit row then column direction)
	 * @param pixelSpacing (between rows, between columns)
	 * @param mosaicRows Rows of the whole mosaic
	 * @param mosaicColumns Columns of the whole mosaic
	 * @param spacing distance between slices (mm)
	 */
	double[][] positions(double[] ipp, double[] iop, double[] pixelSpacing, int mosaicRows, int mosaicColumns,
			double spacing) {
		// the mosaic's size over the tiles across, unrounded (dcm2niix and nibabel): a mosaic of 256 with
		// 7 tiles across moves by (256 - 256 / 7) / 2 = 109.71 pixels, not (256 - 36) / 2
		double dc = (mosaicColumns - mosaicColumns / (double) across) / 2.0 * pixelSpacing[1];
		double dr = (mosaicRows - mosaicRows / (double) across) / 2.0 * pixelSpacing[0];
		double[] n = normal(iop);
		double[][] out = new double[count][3];
		for (int k = 0; k < count; k++)
			for (int i = 0; i < 3; i++)
				out[k][i] = ipp[i] + iop[i] * dc + iop[3 + i] * dr + k * spacing * n[i];
		return out;
	}

	/** The direction in which tiles advance: the CSA SliceNormalVector, else row x column direction. */
	double[] normal(double[] iop) {
		if (csaNormal != null)
			return csaNormal.clone();
		return new double[] { iop[1] * iop[5] - iop[2] * iop[4], iop[2] * iop[3] - iop[0] * iop[5],
				iop[0] * iop[4] - iop[1] * iop[3] };
	}

	/** Copies tile {@code tile} out of a decoded mosaic frame ({@code samples} values per pixel). */
	void extract(double[] mosaic, int mosaicColumns, int samples, int tile, double[] out) {
		int r0 = (tile / across) * tileRows, c0 = (tile % across) * tileColumns;
		int rowValues = tileColumns * samples;
		for (int r = 0; r < tileRows; r++)
			System.arraycopy(mosaic, ((r0 + r) * mosaicColumns + c0) * samples, out, r * rowValues, rowValues);
	}

	private static double[] unit(double[] v) {
		if (v == null || v.length < 3)
			return null;
		double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
		return n > 0.5 && n < 1.5 ? new double[] { v[0] / n, v[1] / n, v[2] / n } : null;
	}
}
