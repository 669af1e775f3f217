package org.volseg.volume;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.volseg.VolSegException;
import org.volseg.util.AtomicFiles;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.cell.Cell;
import net.imglib2.img.cell.CellGrid;
import net.imglib2.img.cell.LazyCellImg;
import net.imglib2.type.numeric.real.FloatType;

/**
 * A whole float volume kept in a temporary file instead of the Java heap: voxels as float32
 * little-endian in flat order (x fastest, then y, z, channel), voxel {@code i} at byte {@code 4 i},
 * which is exactly the data part of a float32 NIfTI file. Written with positional writes (the file
 * is never memory-mapped, so what it holds counts in the page cache, not in the process's resident
 * memory) and read back plane by plane.
 *
 * <p>The file is a hidden {@code .volseg-floats-RANDOM.tmp} in the folder given to {@link #create},
 * opened with {@link StandardOpenOption#DELETE_ON_CLOSE}: on Linux and macOS the JDK removes its name
 * right after opening, so the data lives only as long as the open channel and never outlives the
 * process, even one that is killed; elsewhere it is deleted by {@link #close()} or when the JVM exits.
 * {@link #close()} releases the disk space; after it nothing can be read.</p>
 *
 * <p>{@link #volume(Geometry)} shows the file as a {@link Volume} (read-only: writes to its voxels are
 * lost) whose planes are read on demand and kept in a small least-recently-used cache
 * ({@value #CACHE_BYTES} bytes, at least {@value #MIN_CACHED_PLANES} planes), so code that walks a volume
 * plane by plane (resampling, the NIfTI writer) works on it unchanged; {@link #blockVolume} reads
 * blocks of x-rows instead, for code that walks it window by window; {@link #backing} recognises
 * both views. Reads and writes are thread-safe (positional I/O, a synchronised cache); a plane read
 * into the cache does not see later writes to it, so write everything before reading.</p>
 */
public final class FloatFile implements AutoCloseable {

	/** Bytes of planes the volume view keeps in memory. */
	public static final long CACHE_BYTES = 64L << 20;
	/** Planes the volume view keeps at least (trilinear resampling reads two neighbouring planes). */
	public static final int MIN_CACHED_PLANES = 4;
	/** Bytes moved per positional read or write. */
	static final int IO_BYTES = 1 << 20;

	private final Path path;
	private final FileChannel channel;
	private final long[] dimensions;
	private final int planeVoxels;
	private final long voxels;
	/**
	 * Direct I/O buffers, one per thread that reads or writes at the same time, reused: reads and
	 * writes of any size go through them piece by piece, so streaming gigabytes through the file
	 * allocates nothing on the Java heap (and the JDK needs no temporary direct copy of a heap buffer).
	 */
	private final ConcurrentLinkedQueue<ByteBuffer> buffers = new ConcurrentLinkedQueue<>();

	private FloatFile(Path path, FileChannel channel, long[] dimensions) {
		this.path = path;
		this.channel = channel;
		this.dimensions = dimensions.clone();
		long plane = dimensions[0] * dimensions[1];
		if (plane > Integer.MAX_VALUE / 4)
			throw new IllegalArgumentException("an xy plane of " + plane + " voxels is too large for a float file");
		this.planeVoxels = (int) plane;
		long n = 1;
		for (long d : dimensions)
			n = Math.multiplyExact(n, d);
		this.voxels = n;
	}

	/**
	 * Creates an empty (all zero) float file in {@code folder}.
	 *
	 * @param dimensions (x, y, z) or (x, y, z, channel), each at least 1
	 * @throws IOException if the folder does not exist or is not writable
	 */
	public static FloatFile create(Path folder, long... dimensions) throws IOException {
		if (dimensions.length != 3 && dimensions.length != 4 || Arrays.stream(dimensions).anyMatch(d -> d < 1))
			throw new IllegalArgumentException("3 or 4 dimensions of at least 1 expected, got " + Arrays.toString(dimensions));
		Path path = folder.resolve(".volseg-floats-" + AtomicFiles.randomToken() + ".tmp");
		FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
				StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
		return new FloatFile(path, channel, dimensions);
	}

	/** The file (whose name may already be gone, see the class comment). */
	public Path path() {
		return path;
	}

	/** (x, y, z) or (x, y, z, channel). */
	public long[] dimensions() {
		return dimensions.clone();
	}

	/** Voxels of one xy plane. */
	public int planeVoxels() {
		return planeVoxels;
	}

	/** All voxels (all channels). */
	public long voxelCount() {
		return voxels;
	}

	/**
	 * Writes {@code n} values from {@code src[off]} at voxels {@code index .. index + n - 1} (flat order).
	 *
	 * @throws VolSegException if the write fails (a full disk, say), naming the file and its size
	 */
	public void write(long index, float[] src, int off, int n) {
		check(index, n);
		ByteBuffer bytes = takeBuffer();
		try {
			for (int done = 0; done < n;) {
				int piece = Math.min(n - done, IO_BYTES / 4);
				bytes.clear();
				bytes.asFloatBuffer().put(src, off + done, piece);
				bytes.limit(4 * piece);
				long position = 4 * (index + done);
				while (bytes.hasRemaining())
					position += channel.write(bytes, position);
				done += piece;
			}
		} catch (IOException e) {
			throw new VolSegException(String.format(java.util.Locale.ROOT, "%s: writing this temporary file of %.1f GB "
					+ "failed (%s); check that the disk of %s has room for it (it is deleted when the run ends)", path,
					4e-9 * voxels, e, path.getParent()), e);
		} finally {
			buffers.add(bytes);
		}
	}

	/**
	 * Reads {@code n} values at voxels {@code index ..} into {@code dst[off]}; voxels never written read as 0.
	 *
	 * @throws VolSegException if the read fails
	 */
	public void read(long index, float[] dst, int off, int n) {
		check(index, n);
		ByteBuffer bytes = takeBuffer();
		try {
			for (int done = 0; done < n;) {
				int piece = Math.min(n - done, IO_BYTES / 4);
				bytes.clear().limit(4 * piece);
				long position = 4 * (index + done);
				while (bytes.hasRemaining()) {
					int r = channel.read(bytes, position);
					if (r < 0) {
						// beyond the end: never written, zeros
						while (bytes.hasRemaining())
							bytes.put((byte) 0);
						break;
					}
					position += r;
				}
				bytes.flip();
				bytes.asFloatBuffer().get(dst, off + done, piece);
				done += piece;
			}
		} catch (IOException e) {
			throw new VolSegException(path + ": reading this temporary file failed (" + e + ")", e);
		} finally {
			buffers.add(bytes);
		}
	}

	/** An I/O buffer of {@link #IO_BYTES} bytes, little-endian, from the pool or new; give it back to {@link #buffers}. */
	private ByteBuffer takeBuffer() {
		ByteBuffer b = buffers.poll();
		return b != null ? b : ByteBuffer.allocateDirect(IO_BYTES).order(ByteOrder.LITTLE_ENDIAN);
	}

	private void check(long index, int n) {
		if (index < 0 || n < 0 || index + n > voxels)
			throw new IndexOutOfBoundsException("voxels " + index + " + " + n + " of " + voxels);
	}

	/** This file as a read-only volume with that geometry (see the class comment); valid until {@link #close()}. */
	public Volume volume(Geometry geometry) {
		return new Volume(new View(this), geometry);
	}

	/**
	 * This 3D file as a read-only volume read in blocks of whole x-rows, {@code nx x edge x edge} voxels
	 * (x, y, z), kept in a least-recently-used cache of at most {@code cacheBytes} (at least one block):
	 * for code that walks the volume window by window, which reads a band of rows across many planes
	 * (the sliding window's input), where the planes of {@link #volume} would all have to be cached.
	 * Writes to its voxels are lost. Valid until {@link #close()}. <b>One reader at a time</b>, copying
	 * blocks out as it gets them (ImgLib2's {@code PrimitiveBlocks}, as the sliding window does): the
	 * array of a block that leaves the cache is reused for the next one read.
	 *
	 * @param edge the blocks' size along y and z, at least 1
	 * @throws IllegalArgumentException for a 4D file or an edge below 1
	 */
	public Volume blockVolume(Geometry geometry, int edge, long cacheBytes) {
		if (dimensions.length != 3 || edge < 1)
			throw new IllegalArgumentException("blocks of a 3D file with an edge of at least 1, got "
					+ Arrays.toString(dimensions) + " and " + edge);
		return new Volume(new View(this, new int[] { (int) dimensions[0], edge, edge }, cacheBytes), geometry);
	}

	/** The file behind a {@link #volume} or {@link #blockVolume} view's voxels, or null if the image is not such a view. */
	public static FloatFile backing(RandomAccessibleInterval<FloatType> image) {
		return image instanceof View v ? v.file : null;
	}

	/** False once {@link #close()}d. */
	public boolean isOpen() {
		return channel.isOpen();
	}

	/** Closes the file and so deletes it; idempotent. */
	@Override
	public void close() {
		try {
			channel.close();
		} catch (IOException e) {
			throw new UncheckedIOException(path + ": closing failed: " + e.getMessage(), e);
		}
	}

	/** The volume views: cells of xy planes or of x-row blocks, read on demand through a small LRU cache. */
	private static final class View extends LazyCellImg<FloatType, FloatArray> {
		final FloatFile file;

		/** One cell per xy plane, {@value #CACHE_BYTES} bytes of them cached. */
		View(FloatFile file) {
			this(file, new CellGrid(file.dimensions, cellDimensions(file.dimensions)),
					Math.max(MIN_CACHED_PLANES, CACHE_BYTES / (4L * file.planeVoxels)));
		}

		/** Cells of that size (whole x-rows), {@code cacheBytes} of them cached, their arrays recycled. */
		View(FloatFile file, int[] cell, long cacheBytes) {
			this(file, new CellGrid(file.dimensions, cell), Math.max(1, cacheBytes / (4L * cell[0] * cell[1] * cell[2])), true);
		}

		private View(FloatFile file, CellGrid grid, long cachedCells) {
			this(file, grid, cachedCells, false);
		}

		private View(FloatFile file, CellGrid grid, long cachedCells, boolean recycle) {
			super(grid, new FloatType(), new CellCache(file, grid, (int) Math.min(Integer.MAX_VALUE, cachedCells), recycle));
			this.file = file;
		}

		private static int[] cellDimensions(long[] dims) {
			int[] cell = new int[dims.length];
			Arrays.fill(cell, 1);
			cell[0] = (int) dims[0];
			cell[1] = (int) dims[1];
			return cell;
		}
	}

	/**
	 * Reads cells of whole x-rows from the file (an xy plane, flat index {@code z + depth * channel}, or a
	 * block of rows: one read per plane it spans); keeps the {@code cells} last used.
	 *
	 * <p>With {@code recycle}, the array of the cell that leaves the cache takes the next cell read (of the
	 * same size): a volume walked window by window then allocates nothing after its first windows, where
	 * new arrays for every block would be kept long enough by the cache to reach the old generation and
	 * grow it. A cell is then valid only until {@code cells} other cells have been read, which holds for a
	 * single reader that uses each cell as soon as it gets it (ImgLib2's block copy).</p>
	 */
	private static final class CellCache implements LazyCellImg.Get<Cell<FloatArray>> {
		private final FloatFile file;
		private final CellGrid grid;
		private final Map<Long, Cell<FloatArray>> cache;
		/** The array of the cell last evicted, for the next read (recycling only). */
		private float[] spare;

		CellCache(FloatFile file, CellGrid grid, int cells, boolean recycle) {
			this.file = file;
			this.grid = grid;
			this.cache = new LinkedHashMap<>(16, 0.75f, true) {
				@Override
				protected boolean removeEldestEntry(Map.Entry<Long, Cell<FloatArray>> eldest) {
					if (size() <= cells)
						return false;
					if (recycle)
						spare = eldest.getValue().getData().getCurrentStorageArray();
					return true;
				}
			};
		}

		@Override
		public synchronized Cell<FloatArray> get(long index) {
			Cell<FloatArray> cell = cache.get(index);
			if (cell == null) {
				int n = grid.numDimensions();
				long[] position = new long[n], min = new long[n];
				grid.getCellGridPositionFlat(index, position);
				int[] size = new int[n];
				grid.getCellDimensions(position, min, size);
				// the cell's rows of each plane it spans lie one after the other in the file: one read per plane
				int rows = size[0] * size[1];
				int planes = n == 4 ? size[2] * size[3] : size[2];
				long ny = file.dimensions[1], nz = file.dimensions[2];
				float[] values = spare != null && spare.length == rows * planes ? spare : new float[rows * planes];
				spare = null;
				for (int p = 0; p < planes; p++) {
					long plane = min[2] + p % size[2] + (n == 4 ? (min[3] + p / size[2]) * nz : 0);
					file.read((plane * ny + min[1]) * file.dimensions[0], values, p * rows, rows);
				}
				cell = new Cell<>(size, min, new FloatArray(values));
				cache.put(index, cell);
			}
			return cell;
		}
	}
}
