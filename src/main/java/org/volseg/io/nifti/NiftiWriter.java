package org.volseg.io.nifti;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

import org.volseg.InvalidParameterException;
import org.volseg.VolSegException;
import org.volseg.util.AtomicFiles;
import org.volseg.volume.FloatFile;
import org.volseg.volume.FloatStorage;
import org.volseg.volume.IntegerVoxels;
import org.volseg.volume.Volume;
import org.volseg.volume.VolumeStatistics;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * Writes volumes as NIfTI single files: {@code .nii}, or gzip-compressed when the name ends in
 * {@code .gz}.
 *
 * <p>What the header holds: the datatype asked for (values are stored exactly, unscaled:
 * {@code scl_slope} 1, {@code scl_inter} 0; a value the datatype cannot hold exactly is an error);
 * both the sform (the geometry's RAS affine, exactly as far as float32 allows in NIfTI-1, exactly in
 * NIfTI-2) and the qform (the nearest rigid rotation with the voxel sizes and qfac, as nibabel's
 * {@code set_qform}), both with code 1 (scanner anatomical) by default, because VolSeg's world
 * coordinates are the scanner's patient coordinates (dcm2niix does the same); pixdim[1..3] are the
 * voxel sizes; xyzt_units mm; no extensions (vox_offset 352, or 544 for NIfTI-2). A 4D volume is
 * written with its channels as dim[4]. Label maps get {@code intent_code} 1002 (NIFTI_INTENT_LABEL).</p>
 *
 * <p>Writing streams from the image in chunks of about 1 M voxels (a volume kept in a {@link FloatFile} is
 * read from its file chunk by chunk, never whole). {@code .nii.gz} files are deflated
 * at level {@value #GZIP_LEVEL} (the fastest: scans come out a few per cent larger than at level 6,
 * label maps about a third larger) in 1 MiB blocks on all available processors, pigz-style, into
 * one standard gzip member (see {@code ParallelGzipOutputStream}). The file is written to a
 * temporary file next to the target and then moved over it, so a failed or interrupted write never leaves a partial target. Stateless and thread-safe.</p>
 */
public final class NiftiWriter {

	/** The gzip compression level used for {@code .nii.gz}. */
	public static final int GZIP_LEVEL = 1;
	private static final int CHUNK_VOXELS = 1 << 20;
	/** Compression threads: the processors the JVM may use. */
	private static final int THREADS = Runtime.getRuntime().availableProcessors();

	/**
	 * How to write.
	 *
	 * @param datatype the on-disk voxel type
	 * @param version 1, 2, or 0 for NIfTI-1 unless a dimension exceeds 32767
	 * @param byteOrder on-disk byte order (little-endian is what most tools write)
	 * @param qformCode {@code qform_code} (1 scanner, 2 aligned, ...)
	 * @param sformCode {@code sform_code}
	 * @param intentCode {@code intent_code} (0 none, 1002 label map)
	 * @param description {@code descrip}, at most 79 characters are kept
	 */
	public record Options(NiftiDatatype datatype, int version, ByteOrder byteOrder, int qformCode, int sformCode,
			int intentCode, String description) {

		/** Defaults for a datatype: automatic version, little-endian, codes 1, no intent. */
		public static Options of(NiftiDatatype datatype) {
			return new Options(datatype, 0, ByteOrder.LITTLE_ENDIAN, 1, 1, 0, "VolSeg");
		}

		public Options withVersion(int v) {
			return new Options(datatype, v, byteOrder, qformCode, sformCode, intentCode, description);
		}

		public Options withByteOrder(ByteOrder o) {
			return new Options(datatype, version, o, qformCode, sformCode, intentCode, description);
		}

		public Options withCodes(int qform, int sform) {
			return new Options(datatype, version, byteOrder, qform, sform, intentCode, description);
		}

		public Options withIntent(int intent) {
			return new Options(datatype, version, byteOrder, qformCode, sformCode, intent, description);
		}
	}

	private NiftiWriter() {}

	/** Writes intensities (or probabilities) as float32. */
	public static void writeFloat32(Volume volume, Path target) {
		write(volume, target, Options.of(NiftiDatatype.FLOAT32));
	}

	/**
	 * Writes a label map as uint8 if its largest label is at most 255, else uint16, with intent code
	 * 1002.
	 *
	 * @throws InvalidParameterException if a voxel is negative, not an integer or above 65535
	 */
	public static void writeLabels(Volume volume, Path target) {
		if (IntegerVoxels.unsignedBytesInFlatOrder(volume.voxels()) != null) {
			// kept as unsigned bytes: every voxel is a whole number from 0 to 255
			write(volume, target, Options.of(NiftiDatatype.UINT8).withIntent(NiftiHeader.INTENT_LABEL));
			return;
		}
		VolumeStatistics s = VolumeStatistics.of(volume.voxels());
		if (s.nanCount() > 0 || s.min() < 0 || s.max() > 65535)
			throw InvalidParameterException.of("label map", target, "integer labels from 0 to 65535, got values from "
					+ s.min() + " to " + s.max() + (s.nanCount() > 0 ? " and NaN" : ""));
		NiftiDatatype type = s.max() <= 255 ? NiftiDatatype.UINT8 : NiftiDatatype.UINT16;
		write(volume, target, Options.of(type).withIntent(NiftiHeader.INTENT_LABEL));
	}

	/**
	 * Writes a volume with explicit options.
	 *
	 * @param target a path ending in {@code .nii} or {@code .nii.gz}; replaced if it exists
	 * @throws InvalidParameterException for a bad target name or a voxel the datatype cannot hold
	 * @throws VolSegException if the file cannot be written
	 */
	public static void write(Volume volume, Path target, Options options) {
		String name = target.getFileName() == null ? "" : target.getFileName().toString();
		boolean gzip = name.endsWith(".nii.gz");
		if (!gzip && !name.endsWith(".nii"))
			throw InvalidParameterException.of("output file", target, "a name ending in .nii or .nii.gz");
		NiftiHeader header = header(volume, options);
		try {
			AtomicFiles.write(target, raw -> {
				if (!gzip) {
					raw.write(NiftiHeaderCodec.encode(header));
					writeVoxels(volume.voxels(), options.datatype(), options.byteOrder(), raw, target);
					return;
				}
				byte[] headerBytes = NiftiHeaderCodec.encode(header);
				long length = headerBytes.length + Intervals.numElements(volume.voxels()) * options.datatype().bytes();
				try (OutputStream out = new ParallelGzipOutputStream(raw, GZIP_LEVEL, THREADS, length)) {
					out.write(headerBytes);
					writeVoxels(volume.voxels(), options.datatype(), options.byteOrder(), out, target);
				}
			});
		} catch (IOException e) {
			throw new VolSegException(target + ": cannot be written (" + e + "); check the folder exists, is writable "
					+ "and the disk has room.", e);
		}
	}

	/** The header {@link #write} writes for a volume. */
	static NiftiHeader header(Volume volume, Options o) {
		long[] dims = volume.dimensions();
		int version = o.version();
		if (version == 0) {
			version = 1;
			for (long d : dims)
				if (d > Short.MAX_VALUE)
					version = 2;
		}
		if (version != 1 && version != 2)
			throw InvalidParameterException.of("NIfTI version", o.version(), "1, 2 or 0 (automatic)");
		if (version == 1)
			for (long d : dims)
				if (d > Short.MAX_VALUE)
					throw InvalidParameterException.of("NIfTI version", 1, "NIfTI-2 for dimensions above 32767, got "
							+ java.util.Arrays.toString(dims));
		long[] dim = new long[8];
		dim[0] = dims.length;
		for (int d = 0; d < 8; d++)
			if (d < dims.length)
				dim[d + 1] = dims[d];
			else if (d + 1 < 8)
				dim[d + 1] = 1;
		double[][] ras = volume.geometry().affineRas();
		NiftiAffines.Qform q = NiftiAffines.qformOf(ras);
		double[] pixdim = { q.qfac(), q.zooms()[0], q.zooms()[1], q.zooms()[2], 1, 1, 1, 1 };
		double[][] srow = { ras[0].clone(), ras[1].clone(), ras[2].clone() };
		long offset = version == 1 ? NiftiHeaderCodec.SIZE_1 + 4 : NiftiHeaderCodec.SIZE_2 + 4;
		return new NiftiHeader(version, o.byteOrder(), dim, o.datatype(), pixdim, offset, 1, 0, o.qformCode(),
				o.sformCode(), q.quatern(), q.qoffset(), srow, o.intentCode(), o.description());
	}

	private static void writeVoxels(RandomAccessibleInterval<FloatType> voxels, NiftiDatatype type, ByteOrder order,
			OutputStream out, Path target) throws IOException {
		List<byte[]> unsignedBytes = type == NiftiDatatype.UINT8 ? IntegerVoxels.unsignedBytesInFlatOrder(voxels) : null;
		if (unsignedBytes != null) {
			// a label map kept as bytes is already the file's voxels
			for (byte[] plane : unsignedBytes)
				out.write(plane);
			return;
		}
		byte[] buffer = new byte[CHUNK_VOXELS * type.bytes()];
		ByteBuffer view = ByteBuffer.wrap(buffer).order(order);
		List<float[]> arrays = FloatStorage.arraysInFlatOrder(voxels);
		long written = 0;
		FloatFile file = FloatFile.backing(voxels);
		if (file != null) {
			// a volume kept on disk: streamed through in chunks, never whole in memory
			float[] chunk = new float[CHUNK_VOXELS];
			for (long total = file.voxelCount(); written < total; written += CHUNK_VOXELS) {
				int n = (int) Math.min(CHUNK_VOXELS, total - written);
				file.read(written, chunk, 0, n);
				encode(type, chunk, 0, n, view, voxels, written, target);
				out.write(buffer, 0, n * type.bytes());
			}
			return;
		}
		if (arrays != null) {
			for (float[] array : arrays)
				for (int pos = 0; pos < array.length;) {
					int n = Math.min(CHUNK_VOXELS, array.length - pos);
					encode(type, array, pos, n, view, voxels, written, target);
					out.write(buffer, 0, n * type.bytes());
					pos += n;
					written += n;
				}
			return;
		}
		float[] chunk = new float[CHUNK_VOXELS];
		Cursor<FloatType> cursor = Views.flatIterable(voxels).cursor();
		while (cursor.hasNext()) {
			int n = 0;
			while (n < CHUNK_VOXELS && cursor.hasNext())
				chunk[n++] = cursor.next().get();
			encode(type, chunk, 0, n, view, voxels, written, target);
			out.write(buffer, 0, n * type.bytes());
			written += n;
		}
	}

	private static void encode(NiftiDatatype type, float[] src, int off, int n, ByteBuffer dst,
			RandomAccessibleInterval<FloatType> voxels, long firstIndex, Path target) {
		int bad = NiftiVoxelCodec.encode(type, src, off, n, dst);
		if (bad >= 0) {
			long index = firstIndex + bad;
			long[] pos = new long[voxels.numDimensions()];
			for (int d = 0; d < pos.length; d++) {
				pos[d] = index % voxels.dimension(d);
				index /= voxels.dimension(d);
			}
			throw new InvalidParameterException(target + ": the voxel at " + java.util.Arrays.toString(pos) + " holds "
					+ src[off + bad] + ", which datatype " + type.label() + " cannot store exactly (range " + fmt(type.min())
					+ " to " + fmt(type.max()) + ", integers only); write it as float32 or a wider datatype.");
		}
	}

	private static String fmt(double v) {
		return v == Math.rint(v) && Math.abs(v) < 1e18 ? Long.toString((long) v) : Double.toString(v);
	}
}
