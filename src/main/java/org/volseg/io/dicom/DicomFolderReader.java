package org.volseg.io.dicom;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.FileVisitResult;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.volseg.InvalidParameterException;
import org.volseg.VolSegException;
import org.volseg.VolumeFormatException;
import org.volseg.io.HeapBudget;
import org.volseg.volume.FloatStorage;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Finds the DICOM series in a folder (recursively; file names need no extension) and reads one
 * into a {@link Volume}. Non-DICOM files are skipped quietly; DICOM files that cannot be read are
 * skipped with a warning; everything else that goes wrong is a {@link VolumeFormatException}
 * naming the file or folder.
 *
 * <p>Voxel values are the stored values, inverted for MONOCHROME1 (maximum + minimum the bit
 * depth allows, minus the value), times each slice's RescaleSlope plus its RescaleIntercept
 * (Hounsfield units for CT). Headers are read with, and slices decoded by, {@code threads}
 * threads. Warnings go to the listener given (and are kept with the series); nothing is printed.
 * A reader is thread-safe if its listener is.</p>
 */
public final class DicomFolderReader {

	/** How deep {@link #scan} looks into a folder: 1 = its own files only. */
	private volatile int scanDepth = Integer.MAX_VALUE;
	private final DicomSource source;
	private final Consumer<String> warnings;
	private final int threads;
	private volatile boolean tolerateIrregularSlices;

	/** Own parser, warnings discarded (they are still in {@link DicomSeries#warnings()}), all cores. */
	public DicomFolderReader() {
		this(new OwnDicomSource(), w -> {
		}, Runtime.getRuntime().availableProcessors());
	}

	/**
	 * @param source the DICOM parser to use
	 * @param warnings receives each warning (a skipped file, uneven spacing, gantry tilt, ...) as one line
	 * @param threads threads for reading headers and decoding slices, at least 1
	 */
	public DicomFolderReader(DicomSource source, Consumer<String> warnings, int threads) {
		if (threads < 1)
			throw new IllegalArgumentException("threads must be at least 1, got " + threads);
		this.source = source;
		this.warnings = warnings;
		this.threads = threads;
	}

	/**
	 * Reads series with missing slices or several slices at one position anyway (placed on a
	 * regular grid, with a warning) instead of refusing them. Off by default.
	 */
	public DicomFolderReader tolerateIrregularSlices(boolean tolerate) {
		this.tolerateIrregularSlices = tolerate;
		return this;
	}

	/**
	 * Whether {@link #scan} searches a folder's subfolders too (the default) or only the files
	 * directly in it (batch runs, where every folder holding DICOM files is a separate input).
	 */
	public DicomFolderReader recursive(boolean recursive) {
		this.scanDepth = recursive ? Integer.MAX_VALUE : 1;
		return this;
	}

	/**
	 * The series in a folder (searched recursively) or in one file, ordered by SeriesNumber and
	 * then by slice count (largest first). Reads headers only.
	 *
	 * @throws VolumeFormatException naming {@code input} if it holds no DICOM image
	 */
	public List<DicomSeries> scan(Path input) {
		if (!Files.exists(input))
			throw new VolumeFormatException(input, "no such file or folder");
		List<Path> files = listFiles(input);
		int[] counts = new int[3]; // not DICOM, DICOM without image, unreadable
		Object[] firstUnreadable = new Object[2]; // the first unreadable file (in path order) and why
		List<List<DicomSlice>> perFile = parallel(files, file -> {
			try {
				DicomFile header = source.readHeader(file);
				checkFrameCount(header);
				List<DicomSlice> slices = SliceExtractor.slices(header, warnings::accept);
				if (!slices.isEmpty())
					checkPixelLength(header);
				return slices;
			} catch (NotDicomException e) {
				synchronized (counts) {
					counts[0]++;
				}
				return null;
			} catch (VolSegException e) {
				synchronized (counts) {
					counts[2]++;
					if (firstUnreadable[0] == null || file.compareTo((Path) firstUnreadable[0]) < 0) {
						firstUnreadable[0] = file;
						firstUnreadable[1] = e.getMessage();
					}
				}
				warnings.accept("skipped " + e.getMessage());
				return null;
			}
		});
		List<DicomSlice> slices = new ArrayList<>();
		for (List<DicomSlice> s : perFile)
			if (s != null) {
				if (s.isEmpty())
					counts[1]++;
				slices.addAll(s);
			}
		if (slices.isEmpty())
			throw new VolumeFormatException(input, "no DICOM images found (" + files.size() + " files looked at: "
					+ counts[0] + " not DICOM, " + counts[1] + " DICOM without images, " + counts[2]
					+ " unreadable); point VolSeg at a folder of DICOM image files"
					+ (firstUnreadable[1] == null ? "" : (counts[2] == 1 ? ". Unreadable: " : ". First unreadable: ") + firstUnreadable[1]));
		List<DicomSeries> series = SeriesAssembler.assemble(slices);
		for (DicomSeries s : series)
			s.warnings().forEach(warnings);
		return series;
	}

	/** Regular files under {@code input}, sorted; unreadable subfolders are skipped with a warning. */
	private List<Path> listFiles(Path input) {
		List<Path> files = new ArrayList<>();
		try {
			Files.walkFileTree(input, EnumSet.noneOf(FileVisitOption.class), scanDepth, new SimpleFileVisitor<Path>() {
				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
					if (attrs.isRegularFile())
						files.add(file);
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFileFailed(Path file, IOException e) {
					if (file.equals(input))
						throw new VolumeFormatException(input, "cannot read: " + e.getMessage(), e);
					warnings.accept("skipped " + file + ": cannot read it (" + e.getMessage() + ")");
					return FileVisitResult.CONTINUE;
				}
			});
		} catch (IOException e) {
			throw new VolumeFormatException(input, "cannot list the folder: " + e.getMessage(), e);
		}
		Collections.sort(files);
		return files;
	}

	/**
	 * The series to read when the user did not choose one: not a localizer, monochrome, readable,
	 * with the most slices (ties: the lowest SeriesNumber).
	 */
	public static DicomSeries mainSeries(List<DicomSeries> series) {
		return series.stream().min(Comparator.comparing((DicomSeries s) -> s.localizer())
				.thenComparing(DicomSeries::colour).thenComparing(s -> s.problem() != null)
				.thenComparing(s -> -s.sliceCount())).orElseThrow(() -> new IllegalArgumentException("no series"));
	}

	/**
	 * The series with this SeriesNumber (the largest part if it was split), or null.
	 */
	public static DicomSeries seriesNumbered(List<DicomSeries> series, int number) {
		return series.stream().filter(s -> s.seriesNumber() != null && s.seriesNumber() == number)
				.min(Comparator.comparing((DicomSeries s) -> s.localizer()).thenComparing(s -> -s.sliceCount()))
				.orElse(null);
	}

	/**
	 * The series a user asked for: the {@link #mainSeries main series} if {@code number} is null,
	 * else the one with that SeriesNumber ({@link #seriesNumbered}).
	 *
	 * @param parameter the option's user-facing name, for messages (e.g. {@code --series})
	 * @throws InvalidParameterException naming the series numbers present if there is no such series
	 */
	public static DicomSeries select(List<DicomSeries> series, Integer number, String parameter) {
		if (number == null)
			return mainSeries(series);
		DicomSeries s = seriesNumbered(series, number);
		if (s == null) {
			String present = series.stream().map(x -> x.seriesNumber() == null ? "-" : x.seriesNumber().toString()).distinct()
					.collect(java.util.stream.Collectors.joining(", "));
			throw InvalidParameterException.of(parameter, number, "a SeriesNumber present in the folder (" + present + ")");
		}
		return s;
	}

	/** Scans {@code input} and reads its {@link #mainSeries main series}. */
	public DicomSeriesVolume readMain(Path input) {
		return read(mainSeries(scan(input)));
	}

	/**
	 * Reads a series' pixels into a float volume (x = column, y = row, z = slice[, channel]).
	 *
	 * @throws VolumeFormatException if the series cannot be placed correctly (see
	 *         {@link DicomSeries#problem()}) or a slice cannot be decoded
	 */
	public DicomSeriesVolume read(DicomSeries series) {
		List<String> seen = new ArrayList<>(series.warnings());
		Consumer<String> warn = w -> {
			synchronized (seen) {
				seen.add(w);
			}
			warnings.accept(w);
		};
		if (series.problem() != null) {
			if (!tolerateIrregularSlices)
				throw new VolumeFormatException(folderOf(series.slices().get(0).file), series.problem());
			warn.accept(series.problem() + " (read anyway on a regular grid, as asked)");
		}
		long[] dims = series.dimensions();
		int samples = series.slices().get(0).samples;
		Map<Path, List<Integer>> byFile = new LinkedHashMap<>();
		List<DicomSlice> slices = series.slices();
		for (int z = 0; z < slices.size(); z++)
			byFile.computeIfAbsent(slices.get(z).file, k -> new ArrayList<>()).add(z);
		// one multi-frame file: read (and its frames counted against its header) before the volume is allocated
		FrameDecoder single = byFile.size() == 1
				? openChecked(slices.get(0).file, slices.get(byFile.values().iterator().next().get(0)))
				: null;
		long voxels = HeapBudget.times(HeapBudget.times(dims[0] * dims[1], dims[2]), samples);
		HeapBudget.require(byFile.size() == 1 ? slices.get(0).file : folderOf(slices.get(0).file),
				HeapBudget.times(voxels, Float.BYTES), dims[0] + " x " + dims[1] + " x " + dims[2]
						+ (samples > 1 ? " x " + samples : "") + " float voxels");
		Volume volume = samples == 1 ? Volume.allocate(series.geometry(), dims)
				: Volume.allocate(series.geometry(), dims[0], dims[1], dims[2], samples);
		VoxelWriter writer = new VoxelWriter(volume.voxels(), (int) dims[0], (int) dims[1], (int) dims[2], samples);
		if (single != null) {
			// one multi-frame file: read it once, decode its frames in parallel
			Map.Entry<Path, List<Integer>> only = byFile.entrySet().iterator().next();
			FrameDecoder decoder = single;
			boolean invert = decoder.format().photometric().equals("MONOCHROME1");
			parallel(only.getValue(), z -> {
				DicomSlice s = slices.get(z);
				writer.write(z, decoder, s.frame, s.slope, s.intercept, invert);
				return null;
			});
		}
		else {
			// each thread reads its files into one reused buffer: far less garbage than a new array per file
			ThreadLocal<byte[]> scratch = new ThreadLocal<>();
			parallel(new ArrayList<>(byFile.entrySet()), entry -> {
				readFile(entry.getKey(), entry.getValue(), slices, writer, scratch);
				return null;
			});
		}
		return new DicomSeriesVolume(volume, series, seen);
	}

	private FrameDecoder openChecked(Path path, DicomSlice expected) {
		return openChecked(path, expected, null);
	}

	private FrameDecoder openChecked(Path path, DicomSlice expected, byte[] scratch) {
		DicomFile file = scratch == null ? source.readFile(path) : source.readFile(path, scratch);
		FrameDecoder decoder = source.decoder(file);
		PixelFormat f = decoder.format();
		if (f.rows() != expected.rows || f.columns() != expected.columns || f.samples() != expected.samples)
			throw new VolumeFormatException(path, "the file changed while it was read (its image size differs from its header scan)");
		return decoder;
	}

	private void readFile(Path path, List<Integer> zs, List<DicomSlice> slices, VoxelWriter writer,
			ThreadLocal<byte[]> scratch) {
		byte[] buffer = scratch.get();
		long size = fileSize(path);
		if (buffer == null || buffer.length < size) {
			buffer = new byte[(int) Math.min(Integer.MAX_VALUE - 64, size + size / 8)];
			scratch.set(buffer);
		}
		FrameDecoder decoder = openChecked(path, slices.get(zs.get(0)), buffer);
		PixelFormat f = decoder.format();
		boolean invert = f.photometric().equals("MONOCHROME1");
		for (int z : zs) {
			DicomSlice s = slices.get(z);
			writer.write(z, decoder, s.frame, s.slope, s.intercept, invert);
		}
	}

	/** The folder holding a file (the file itself if it is given without one). */
	private static Path folderOf(Path file) {
		Path parent = file.getParent();
		return parent == null ? file : parent;
	}

	private static long fileSize(Path path) {
		try {
			return Files.size(path);
		} catch (IOException e) {
			throw new VolumeFormatException(path, "cannot read the file: " + e.getMessage(), e);
		}
	}

	/**
	 * A NumberOfFrames the file cannot hold (each frame takes at least one byte of native data, or an
	 * 8-byte item and its data when encapsulated, 64 bytes of RLE header more): refused before one
	 * slice per frame is listed.
	 */
	private static void checkFrameCount(DicomFile header) {
		int frames = header.dataset().integer(Tags.NUMBER_OF_FRAMES, 1);
		if (frames <= 1)
			return;
		TransferSyntax ts = header.transferSyntax();
		long perFrame = ts == null || !ts.encapsulated() ? 1 : ts.codec() == TransferSyntax.Codec.RLE ? 8 + 64 : 8 + 2;
		long size = fileSize(header.path());
		if ((long) frames * perFrame > size)
			throw new VolumeFormatException(header.path(), "NumberOfFrames is " + frames + ", but the file of " + size
					+ " bytes can hold at most " + size / perFrame + " frames; the header is corrupt");
	}

	/** Native pixel data shorter than the image needs: refuse at scan time, so the file is skipped. */
	private static void checkPixelLength(DicomFile header) {
		TransferSyntax ts = header.transferSyntax();
		long declared = header.pixelDataLength();
		if (declared == -2)
			throw new VolumeFormatException(header.path(), "the file has image attributes but no pixel data");
		if (ts == null || ts.encapsulated() || declared < 0)
			return;
		PixelFormat f = PixelFormat.of(header.path(), header.dataset());
		long needed = f.bitsAllocated() == 1 ? ((long) f.valuesPerFrame() * f.frames() + 7) / 8
				: f.nativeFrameBytes() * f.frames();
		if (declared < needed)
			throw new VolumeFormatException(header.path(), "the pixel data are " + declared + " bytes, too short for "
					+ f.frames() + " frame(s) of " + f.columns() + " x " + f.rows() + " x " + f.samples() + " samples of "
					+ f.bitsAllocated() + " bits (" + needed + " bytes); the file is truncated or corrupt");
	}

	private interface Task<T, R> {
		R apply(T t);
	}

	/** Applies {@code task} to every item with {@link #threads} threads; results in input order; rethrows the first failure. */
	private <T, R> List<R> parallel(List<T> items, Task<T, R> task) {
		if (threads == 1 || items.size() < 2) {
			List<R> out = new ArrayList<>();
			for (T t : items)
				out.add(task.apply(t));
			return out;
		}
		ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, items.size()), r -> {
			Thread t = new Thread(r, "volseg-dicom");
			t.setDaemon(true);
			return t;
		});
		try {
			List<Future<R>> futures = new ArrayList<>();
			for (T t : items)
				futures.add(pool.submit(() -> task.apply(t)));
			List<R> out = new ArrayList<>();
			for (Future<R> f : futures)
				out.add(f.get());
			return Collections.unmodifiableList(out);
		} catch (ExecutionException e) {
			Throwable c = e.getCause();
			if (c instanceof RuntimeException)
				throw (RuntimeException) c;
			if (c instanceof Error)
				throw (Error) c;
			throw new IllegalStateException(c);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new VolSegException("reading DICOM was interrupted", e);
		} finally {
			pool.shutdownNow();
		}
	}

	/** Writes whole slices into the volume's voxels; slices of different z may be written concurrently. */
	static final class VoxelWriter {
		private final RandomAccessibleInterval<FloatType> voxels;
		/** The voxels' own arrays in flat order (one per plane, or one for all), or null. */
		private final List<float[]> arrays;
		private final int width, height, depth, samples;

		VoxelWriter(RandomAccessibleInterval<FloatType> voxels, int width, int height, int depth, int samples) {
			this.voxels = voxels;
			this.arrays = FloatStorage.arraysInFlatOrder(voxels);
			this.width = width;
			this.height = height;
			this.depth = depth;
			this.samples = samples;
		}

		/** Decodes a frame into slice z, rescaled (and inverted for MONOCHROME1). */
		void write(int z, FrameDecoder decoder, int frame, double slope, double intercept, boolean invert) {
			int pixels = width * height;
			if (arrays != null) {
				// every array holds a whole number of planes, so a plane never spans two arrays
				int planesPerArray = arrays.get(0).length / pixels;
				if (samples == 1) {
					decoder.decodeFrameRescaled(frame, arrays.get(z / planesPerArray), (z % planesPerArray) * pixels, slope,
							intercept, invert);
					return;
				}
				float[] plane = new float[pixels * samples];
				decoder.decodeFrameRescaled(frame, plane, 0, slope, intercept, invert);
				for (int c = 0; c < samples; c++) {
					long planeIndex = (long) c * depth + z;
					float[] array = arrays.get((int) (planeIndex / planesPerArray));
					int base = (int) (planeIndex % planesPerArray) * pixels;
					for (int p = 0; p < pixels; p++)
						array[base + p] = plane[p * samples + c];
				}
				return;
			}
			float[] plane = new float[pixels * samples];
			decoder.decodeFrameRescaled(frame, plane, 0, slope, intercept, invert);
			for (int c = 0; c < samples; c++) {
				RandomAccessibleInterval<FloatType> slice = Views.hyperSlice(voxels, 2, z);
				if (samples > 1)
					slice = Views.hyperSlice(slice, 2, c);
				Cursor<FloatType> cursor = Views.flatIterable(slice).cursor();
				int p = 0;
				while (cursor.hasNext())
					cursor.next().set(plane[p++ * samples + c]);
			}
		}
	}
}
