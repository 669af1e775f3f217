package org.volseg.io.nifti;

import java.nio.ByteOrder;

/**
 * The fields of a NIfTI-1 or NIfTI-2 header that VolSeg uses, as read from (or to be written to)
 * disk, in the header's own conventions: the qform and sform map voxels to RAS millimetres.
 * Arrays are not copied; treat them as read-only.
 *
 * @param version 1 or 2
 * @param byteOrder the file's byte order
 * @param dim the header's {@code dim[0..7]}: dim[0] is the number of dimensions
 * @param datatype the voxel type
 * @param pixdim {@code pixdim[0..7]}: pixdim[0] is qfac, pixdim[1..3] the voxel size in mm
 * @param voxOffset byte offset of the voxel data from the start of the (uncompressed) file
 * @param sclSlope raw {@code scl_slope}; 0 or NaN means unscaled
 * @param sclInter raw {@code scl_inter}
 * @param qformCode {@code qform_code} (0 unknown, 1 scanner, 2 aligned, 3 Talairach, 4 MNI, 5 template)
 * @param sformCode {@code sform_code}
 * @param quatern {@code quatern_b, quatern_c, quatern_d}
 * @param qoffset {@code qoffset_x, qoffset_y, qoffset_z}
 * @param srow {@code srow_x, srow_y, srow_z}, 3 rows of 4
 * @param intentCode {@code intent_code} (1002 marks a label map)
 * @param description {@code descrip}, trimmed
 */
public record NiftiHeader(int version, ByteOrder byteOrder, long[] dim, NiftiDatatype datatype, double[] pixdim,
		long voxOffset, double sclSlope, double sclInter, int qformCode, int sformCode, double[] quatern,
		double[] qoffset, double[][] srow, int intentCode, String description) {

	/** NIfTI's intent code for a label map. */
	public static final int INTENT_LABEL = 1002;

	/** Header size in bytes: 348 (NIfTI-1) or 540 (NIfTI-2). */
	public int headerSize() {
		return version == 1 ? 348 : 540;
	}

	/** True if {@code scl_slope} is set (neither 0 nor NaN nor infinite) and not the identity 1, 0. */
	public boolean isScaled() {
		return hasSlope() && !(sclSlope == 1 && interceptOrZero() == 0);
	}

	/** The slope applied to stored values: {@code scl_slope}, or 1 if unset. */
	public double slope() {
		return hasSlope() ? sclSlope : 1;
	}

	/** The intercept added after the slope: {@code scl_inter}, or 0 if the slope is unset. */
	public double intercept() {
		return hasSlope() ? interceptOrZero() : 0;
	}

	private boolean hasSlope() {
		return sclSlope != 0 && Double.isFinite(sclSlope);
	}

	private double interceptOrZero() {
		return Double.isFinite(sclInter) ? sclInter : 0;
	}

	/** The volume's dimensions: (x, y, z) or (x, y, z, c) with dims 4..7 flattened into c. */
	public long[] volumeDimensions() {
		int n = (int) dim[0];
		long c = 1;
		for (int d = 4; d <= n; d++)
			c *= dim[d];
		long x = n >= 1 ? dim[1] : 1, y = n >= 2 ? dim[2] : 1, z = n >= 3 ? dim[3] : 1;
		return n >= 4 ? new long[] { x, y, z, c } : new long[] { x, y, z };
	}

	/** Number of voxels in the file (product of dim[1..dim[0]]); the caller has checked it fits a long. */
	public long voxelCount() {
		long n = 1;
		for (int d = 1; d <= dim[0]; d++)
			n *= dim[d];
		return n;
	}

	/** The voxel sizes pixdim[1..3], with non-positive or non-finite entries read as 1. */
	public double[] zooms() {
		double[] z = new double[3];
		for (int d = 0; d < 3; d++) {
			double p = Math.abs(pixdim[d + 1]);
			z[d] = p > 0 && Double.isFinite(p) ? p : 1;
		}
		return z;
	}
}
