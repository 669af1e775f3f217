package org.volseg.io.nifti;

import java.nio.ByteBuffer;

import org.volseg.volume.VolumeStatistics;

/**
 * Converts runs of stored NIfTI voxels to floats and back. Buffers are given with their byte order
 * set and read/written from index 0 (absolute access; their positions are not used). Stateless.
 */
final class NiftiVoxelCodec {

	private NiftiVoxelCodec() {}

	/**
	 * Decodes {@code count} stored values into {@code dst[off..off+count)}, applying
	 * {@code value = stored * slope + intercept} in float64 when {@code scaled}, then rounding to
	 * float32. If {@code stats} is not null it receives the float64 values before that rounding.
	 *
	 * @param scratch at least {@code count} doubles, used only when scaling or collecting statistics
	 */
	static void decode(NiftiDatatype type, ByteBuffer src, int count, float[] dst, int off, boolean scaled,
			double slope, double intercept, VolumeStatistics.Accumulator stats, double[] scratch) {
		if (!scaled && stats == null) {
			decodeFloats(type, src, count, dst, off);
			return;
		}
		decodeDoubles(type, src, count, scratch);
		if (scaled)
			for (int i = 0; i < count; i++)
				scratch[i] = scratch[i] * slope + intercept;
		for (int i = 0; i < count; i++)
			dst[off + i] = (float) scratch[i];
		if (stats != null)
			for (int i = 0; i < count; i++)
				stats.add(scratch[i]);
	}

	private static void decodeFloats(NiftiDatatype type, ByteBuffer src, int count, float[] dst, int off) {
		switch (type) {
		case UINT8:
			for (int i = 0; i < count; i++)
				dst[off + i] = src.get(i) & 0xff;
			break;
		case INT8:
			for (int i = 0; i < count; i++)
				dst[off + i] = src.get(i);
			break;
		case INT16: {
			var s = src.asShortBuffer();
			for (int i = 0; i < count; i++)
				dst[off + i] = s.get(i);
			break;
		}
		case UINT16: {
			var s = src.asShortBuffer();
			for (int i = 0; i < count; i++)
				dst[off + i] = s.get(i) & 0xffff;
			break;
		}
		case INT32: {
			var s = src.asIntBuffer();
			for (int i = 0; i < count; i++)
				dst[off + i] = s.get(i);
			break;
		}
		case UINT32: {
			var s = src.asIntBuffer();
			for (int i = 0; i < count; i++)
				dst[off + i] = s.get(i) & 0xffffffffL;
			break;
		}
		case INT64: {
			var s = src.asLongBuffer();
			for (int i = 0; i < count; i++)
				dst[off + i] = s.get(i);
			break;
		}
		case FLOAT32:
			src.asFloatBuffer().get(0, dst, off, count);
			break;
		case FLOAT64: {
			var s = src.asDoubleBuffer();
			for (int i = 0; i < count; i++)
				dst[off + i] = (float) s.get(i);
			break;
		}
		default:
			throw new AssertionError(type);
		}
	}

	private static void decodeDoubles(NiftiDatatype type, ByteBuffer src, int count, double[] dst) {
		switch (type) {
		case UINT8:
			for (int i = 0; i < count; i++)
				dst[i] = src.get(i) & 0xff;
			break;
		case INT8:
			for (int i = 0; i < count; i++)
				dst[i] = src.get(i);
			break;
		case INT16: {
			var s = src.asShortBuffer();
			for (int i = 0; i < count; i++)
				dst[i] = s.get(i);
			break;
		}
		case UINT16: {
			var s = src.asShortBuffer();
			for (int i = 0; i < count; i++)
				dst[i] = s.get(i) & 0xffff;
			break;
		}
		case INT32: {
			var s = src.asIntBuffer();
			for (int i = 0; i < count; i++)
				dst[i] = s.get(i);
			break;
		}
		case UINT32: {
			var s = src.asIntBuffer();
			for (int i = 0; i < count; i++)
				dst[i] = s.get(i) & 0xffffffffL;
			break;
		}
		case INT64: {
			var s = src.asLongBuffer();
			for (int i = 0; i < count; i++)
				dst[i] = s.get(i);
			break;
		}
		case FLOAT32: {
			var s = src.asFloatBuffer();
			for (int i = 0; i < count; i++)
				dst[i] = s.get(i);
			break;
		}
		case FLOAT64:
			src.asDoubleBuffer().get(0, dst, 0, count);
			break;
		default:
			throw new AssertionError(type);
		}
	}

	/**
	 * Encodes {@code src[off..off+count)} into {@code dst} from index 0.
	 *
	 * @return -1 if every value was stored exactly, else the index (relative to {@code off}) of the
	 *         first value the integer datatype cannot hold (not an integer, NaN or out of range);
	 *         values after it are not written
	 */
	static int encode(NiftiDatatype type, float[] src, int off, int count, ByteBuffer dst) {
		if (type == NiftiDatatype.FLOAT32) {
			dst.asFloatBuffer().put(0, src, off, count);
			return -1;
		}
		if (type == NiftiDatatype.FLOAT64) {
			var d = dst.asDoubleBuffer();
			for (int i = 0; i < count; i++)
				d.put(i, src[off + i]);
			return -1;
		}
		double min = type.min(), max = type.max();
		for (int i = 0; i < count; i++) {
			float v = src[off + i];
			// in range, so (long) v only drops a fraction (Math.rint is slow until compiled)
			if (!(v >= min && v <= max) || v != (long) v)
				return i;
		}
		switch (type) {
		case UINT8:
		case INT8:
			for (int i = 0; i < count; i++)
				dst.put(i, (byte) (int) src[off + i]);
			break;
		case INT16:
		case UINT16: {
			var d = dst.asShortBuffer();
			for (int i = 0; i < count; i++)
				d.put(i, (short) (int) src[off + i]);
			break;
		}
		case INT32: {
			var d = dst.asIntBuffer();
			for (int i = 0; i < count; i++)
				d.put(i, (int) src[off + i]);
			break;
		}
		case UINT32: {
			var d = dst.asIntBuffer();
			for (int i = 0; i < count; i++)
				d.put(i, (int) (long) src[off + i]);
			break;
		}
		case INT64: {
			var d = dst.asLongBuffer();
			for (int i = 0; i < count; i++)
				d.put(i, (long) src[off + i]);
			break;
		}
		default:
			throw new AssertionError(type);
		}
		return -1;
	}
}
