package org.volseg.io.nifti;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import org.volseg.VolumeFormatException;
import org.volseg.volume.StoredVoxels;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Reads NIfTI voxels stored as 8- or 16-bit integers into an image of that type (one Java array per
 * xy plane, as {@link org.volseg.volume.Volume#allocateFloats} lays out floats) and returns the
 * read-only float view {@link StoredVoxels} of them, with the header's scaling.
 */
final class StoredIntegerPlanes {

	private StoredIntegerPlanes() {}

	/** True for the datatypes kept as stored: int8, uint8, int16, uint16. */
	static boolean holds(NiftiDatatype type) {
		return type == NiftiDatatype.INT8 || type == NiftiDatatype.UINT8 || type == NiftiDatatype.INT16
				|| type == NiftiDatatype.UINT16;
	}

	/**
	 * Reads {@code dims} voxels (x fastest) from {@code in}, positioned at the first voxel.
	 *
	 * @throws VolumeFormatException if the data ends early
	 */
	static RandomAccessibleInterval<FloatType> read(InputStream in, NiftiHeader h, long[] dims, Path file)
			throws IOException {
		NiftiDatatype type = h.datatype();
		switch (type) {
		case INT8:
			return fill(in, h, PlanarImgs.bytes(dims), file);
		case UINT8:
			return fill(in, h, PlanarImgs.unsignedBytes(dims), file);
		case INT16:
			return fill(in, h, PlanarImgs.shorts(dims), file);
		case UINT16:
			return fill(in, h, PlanarImgs.unsignedShorts(dims), file);
		default:
			throw new IllegalArgumentException(type + " is not kept as stored");
		}
	}

	private static <T extends RealType<T> & NativeType<T>> StoredVoxels<T> fill(InputStream in, NiftiHeader h, PlanarImg<T, ?> img, Path file)
			throws IOException {
		int bytes = h.datatype().bytes();
		long done = 0, total = h.voxelCount();
		byte[] buffer = null;
		for (int i = 0; i < img.numSlices(); i++) {
			Object data = img.getPlane(i).getCurrentStorageArray();
			int n = data instanceof byte[] b ? b.length : ((short[]) data).length;
			if (buffer == null || buffer.length < n * bytes)
				buffer = new byte[n * bytes];
			int got = in.readNBytes(buffer, 0, n * bytes);
			if (got < n * bytes)
				throw new VolumeFormatException(file, "is truncated: its data ends after " + (done + got / bytes) + " of "
						+ total + " voxels.");
			if (data instanceof byte[] b)
				System.arraycopy(buffer, 0, b, 0, n);
			else
				ByteBuffer.wrap(buffer, 0, n * bytes).order(h.byteOrder()).asShortBuffer().get((short[]) data);
			done += n;
		}
		return StoredVoxels.of(img, h.isScaled(), h.slope(), h.intercept());
	}
}
