package org.volseg.io.nifti;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.volseg.VolumeFormatException;
import org.volseg.io.HeapBudget;
import org.volseg.volume.FloatStorage;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;
import org.volseg.volume.VolumeStatistics;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Reads NIfTI-1 and NIfTI-2 single files ({@code .nii}, and gzip-compressed {@code .nii.gz},
 * recognised by content, not by name) in either byte order.
 *
 * <p>Voxels are decoded from the (decompressed) stream in chunks of about 1 M voxels straight into
 * the float image: apart from the image itself, memory use is a few megabytes, whatever the file
 * size. Dimensions 4 to 7 become the channel axis (flattened in file order). {@code scl_slope} and
 * {@code scl_inter} are applied (a slope of 0 or NaN means unscaled). The geometry is the affine
 * nibabel chooses ({@link NiftiAffines#choose}), converted from RAS to LPS. Extensions are skipped
 * unread.</p>
 *
 * <p>Every problem with the file (truncation, wrong magic, impossible or too large dimensions,
 * unsupported datatype, corrupt gzip data) raises a {@link VolumeFormatException} naming the file;
 * the size of the image is checked against the JVM's free memory before anything is allocated.
 * Stateless and thread-safe; the file is closed before returning.</p>
 */
public final class NiftiReader {

	/** Voxels decoded per chunk. */
	private static final int CHUNK_VOXELS = 1 << 20;
	/** Size of the buffer that feeds compressed bytes to the inflater. */
	private static final int GZIP_INPUT_BUFFER = 1 << 18;

	private NiftiReader() {}

	/** Reads a file without computing statistics. */
	public static NiftiVolume read(Path file) {
		return read(file, false);
	}

	/**
	 * @param statistics if true, also compute min/max/sum/sum of squares of the scaled values in
	 *        float64 while decoding (costs a little time, no memory)
	 */
	public static NiftiVolume read(Path file, boolean statistics) {
		return read(file, statistics, false);
	}

	/**
	 * @param statistics as {@link #read(Path, boolean)}
	 * @param storedIntegers if true and {@code statistics} is false, voxels stored as 8- or 16-bit
	 *        integers stay in that type and the volume's voxels are a read-only float view of them
	 *        ({@link StoredVoxels}: the same values, half or a quarter of the memory); other types are
	 *        read as floats as usual
	 */
	public static NiftiVolume read(Path file, boolean statistics, boolean storedIntegers) {
		try {
			boolean gzip = isGzip(file);
			try (InputStream in = open(file, gzip)) {
				NiftiHeader header = readHeader(in, file);
				long dataBytes = header.voxelCount() * header.datatype().bytes();
				if (!gzip && Files.size(file) < header.voxOffset() + dataBytes)
					throw new VolumeFormatException(file, "is truncated: it has " + Files.size(file) + " bytes, but its header ("
							+ NiftiHeaderCodec.describe(header.dim()) + " " + header.datatype().label() + " voxels from byte "
							+ header.voxOffset() + ") needs " + (header.voxOffset() + dataBytes) + ".");
				skip(in, header.voxOffset() - header.headerSize(), file);
				long[] dims = header.volumeDimensions();
				boolean compact = storedIntegers && !statistics && StoredIntegerPlanes.holds(header.datatype());
				checkAllocatable(dims, compact ? header.datatype().bytes() : Float.BYTES, file);
				NiftiAffines.Choice choice = NiftiAffines.choose(header);
				String degenerate = Geometry.problem(choice.affineRas());
				if (degenerate != null)
					throw new VolumeFormatException(file, "its voxel sizes and orientation (sform srow_x/y/z, qform, pixdim "
							+ java.util.Arrays.toString(header.pixdim()) + ") give no usable geometry: " + degenerate
							+ ". Fix the header (e.g. with nibabel or fslorient) so that pixdim[1..3] are positive voxel sizes in mm.");
				RandomAccessibleInterval<FloatType> voxels;
				VolumeStatistics.Accumulator stats = statistics ? new VolumeStatistics.Accumulator() : null;
				if (compact)
					voxels = StoredIntegerPlanes.read(in, header, dims, file);
				else {
					Img<FloatType> img = Volume.allocateFloats(dims);
					readVoxels(in, header, img, stats, file);
					voxels = img;
				}
				if (gzip)
					in.read(); // reaches the end of the gzip member, so its CRC and length are checked
				Volume volume = new Volume(voxels, Geometry.ofRas(choice.affineRas()));
				return new NiftiVolume(volume, header, choice.source(), stats == null ? null : stats.result());
			}
		} catch (NoSuchFileException e) {
			throw new VolumeFormatException(file, "does not exist.", e);
		} catch (ZipException e) {
			throw new VolumeFormatException(file, "corrupt gzip data (" + e.getMessage() + "); the file is damaged, "
					+ "download or copy it again.", e);
		} catch (EOFException e) {
			throw new VolumeFormatException(file, "is truncated: the compressed data ends early (" + e.getMessage()
					+ "); the file is damaged, download or copy it again.", e);
		} catch (IOException e) {
			throw new VolumeFormatException(file, "cannot be read: " + e, e);
		}
	}

	/** Reads only the header (and checks it), without the voxels. */
	public static NiftiHeader readHeader(Path file) {
		try (InputStream in = open(file, isGzip(file))) {
			return readHeader(in, file);
		} catch (NoSuchFileException e) {
			throw new VolumeFormatException(file, "does not exist.", e);
		} catch (ZipException e) {
			throw new VolumeFormatException(file, "corrupt gzip data (" + e.getMessage() + ").", e);
		} catch (IOException e) {
			throw new VolumeFormatException(file, "cannot be read: " + e, e);
		}
	}

	/** True if the file starts with the gzip magic bytes 1f 8b. */
	static boolean isGzip(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			byte[] m = in.readNBytes(2);
			return m.length == 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b;
		}
	}

	private static InputStream open(Path file, boolean gzip) throws IOException {
		InputStream raw = Files.newInputStream(file);
		if (!gzip)
			return raw;
		try {
			return new GZIPInputStream(raw, GZIP_INPUT_BUFFER);
		} catch (IOException | RuntimeException e) {
			raw.close();
			throw e;
		}
	}

	private static NiftiHeader readHeader(InputStream in, Path file) throws IOException {
		byte[] first = in.readNBytes(4);
		if (first.length < 4)
			throw new VolumeFormatException(file, "is truncated: it is too short (" + first.length
					+ " bytes) to hold a NIfTI header.");
		int size = NiftiHeaderCodec.headerSize(first, file);
		byte[] bytes = new byte[size];
		System.arraycopy(first, 0, bytes, 0, 4);
		int got = in.readNBytes(bytes, 4, size - 4);
		if (got < size - 4)
			throw new VolumeFormatException(file, "is truncated: it ends inside its " + size + "-byte NIfTI header.");
		NiftiHeader header = NiftiHeaderCodec.decode(bytes, file);
		refuseCifti(header, file);
		return header;
	}

	/**
	 * CIFTI-2 files are NIfTI-2 with an intent code from 3001 to 3099 (ConnDense 3001, ConnDenseSeries
	 * 3002, ConnParcels 3003, ... ): their matrix (e.g. 1 x 1 x 1 x 1 x time x grayordinates) is
	 * not a volume, and reading it as one gives nonsense.
	 */
	private static void refuseCifti(NiftiHeader header, Path file) {
		int intent = header.intentCode();
		if (intent >= 3001 && intent <= 3099)
			throw new VolumeFormatException(file, "is a CIFTI-2 file (NIfTI intent code " + intent + ", "
					+ ciftiName(intent) + "): a matrix over surface vertices and voxels (grayordinates), not a 3D volume."
					+ " Give the volume it was made from, or extract its volume part first (for example with"
					+ " wb_command -cifti-separate ... -volume-all OUT.nii.gz).");
	}

	private static String ciftiName(int intent) {
		switch (intent) {
		case 3001: return "ConnDense";
		case 3002: return "ConnDenseSeries";
		case 3003: return "ConnParcels";
		case 3004: return "ConnParcelSries";
		case 3005: return "ConnPPSr";
		case 3006: return "ConnDenseScalar";
		case 3007: return "ConnDenseLabel";
		case 3008: return "ConnParcelScalr";
		case 3009: return "ConnParcelDense";
		case 3010: return "ConnDenseParcel";
		case 3011: return "ConnParcelParcel";
		case 3012: return "ConnParcelPPSr";
		default: return "a CIFTI intent";
		}
	}

	private static void skip(InputStream in, long n, Path file) throws IOException {
		long left = n;
		byte[] sink = new byte[(int) Math.min(Math.max(n, 1), 1 << 16)];
		while (left > 0) {
			int got = in.read(sink, 0, (int) Math.min(left, sink.length));
			if (got < 0)
				throw new VolumeFormatException(file, "is truncated: it ends before its voxel data starts.");
			left -= got;
		}
	}

	/**
	 * Refuses images that cannot be allocated: an xy plane beyond one Java array, or more float
	 * voxels than the JVM has free memory for (with {@code -Xmx} the limit).
	 */
	static void checkAllocatable(long[] dims, int bytesPerVoxel, Path file) {
		long plane = dims[0] * dims[1];
		if (plane > Integer.MAX_VALUE - 8)
			throw new VolumeFormatException(file, "one xy plane of " + dims[0] + "x" + dims[1]
					+ " voxels exceeds what VolSeg can hold in one array; the header is corrupt or the image too large.");
		long voxels = 1;
		for (long d : dims)
			voxels = HeapBudget.times(voxels, d);
		HeapBudget.require(file, HeapBudget.times(voxels, bytesPerVoxel), voxels + (bytesPerVoxel == Float.BYTES ? " float voxels" : " voxels of " + bytesPerVoxel + " bytes"));
	}


	private static void readVoxels(InputStream in, NiftiHeader h, Img<FloatType> img, VolumeStatistics.Accumulator stats,
			Path file) throws IOException {
		NiftiDatatype type = h.datatype();
		int bytes = type.bytes();
		List<float[]> arrays = FloatStorage.arraysInFlatOrder(img);
		if (arrays == null)
			throw new IllegalStateException("Volume.allocateFloats made an image without direct storage");
		byte[] buffer = new byte[CHUNK_VOXELS * bytes];
		ByteBuffer view = ByteBuffer.wrap(buffer).order(h.byteOrder());
		double[] scratch = h.isScaled() || stats != null ? new double[CHUNK_VOXELS] : null;
		long done = 0, total = h.voxelCount();
		for (float[] array : arrays) {
			for (int pos = 0; pos < array.length;) {
				int n = Math.min(CHUNK_VOXELS, array.length - pos);
				int got = in.readNBytes(buffer, 0, n * bytes);
				if (got < n * bytes)
					throw new VolumeFormatException(file, "is truncated: its data ends after " + (done + got / bytes)
							+ " of " + total + " voxels.");
				NiftiVoxelCodec.decode(type, view, n, array, pos, h.isScaled(), h.slope(), h.intercept(), stats, scratch);
				pos += n;
				done += n;
			}
		}
	}
}
