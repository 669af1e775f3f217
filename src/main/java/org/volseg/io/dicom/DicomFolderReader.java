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

	/**
	 * {@link DicomFormat#parser() The default parser}, warnings discarded (they are still in
	 * {@link DicomSeries#warnings()}), all cores.
	 */
	public DicomFolderReader() {
		this(DicomFormat.parser());
	}

	/** {@code source} parses, warnings discarded (they are still in {@link DicomSeries#warnings()}), all cores. */
	public DicomFolderReader(DicomSource source) {
		this(source, w -> {
		}, Runtime.getRuntime().availableProcessors());
	}

	/**
	 * @param source the DICOM parser to use
	 * @param warnings receives each warning (a skipped file, uneven spacing, gantry tilt, ...) as one
	 *        line; called from the reading threads, one call at a time (so a plain list's {@code add}
	 *        will do)
	 * @param threads threads for reading headers and decoding slices, at least 1
	 */
	public DicomFolderReader(DicomSource source, Consumer<String> warnings, int threads) {
		if (threads < 1)
			throw new IllegalArgumentException("threads must be at least 1, got " + threads);
		this.source = source;
		Object lock = new Object();
		this.warnings = w -> {
			synchronized (lock) {
				warnings.accept(w);
			}
		};
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
		List<SkippedFile> skipped = Collections.synchronizedList(new ArrayList<>());
		Map<Path, List<String>> fileWarnings = Collections.synchronizedMap(new java.util.HashMap<>());
		List<List<DicomSlice>> perFile = parallel(files, file -> {
			try {
				DicomFile header = source.readHeader(file);
				checkFrameCount(header);
				List<DicomSlice> slices = SliceExtractor.slices(header, w -> {
					fileWarnings.computeIfAbsent(file, k -> new ArrayList<>()).add(w);
					warnings.accept(w);
				});
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
				}
				SkippedFile skip = new SkippedFile(file, reason(file, e));
				skipped.add(skip);
				warnings.accept(skip.line());
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
		List<SkippedFile> skips = new ArrayList<>(skipped);
		skips.sort(Comparator.comparing(SkippedFile::file));
		if (slices.isEmpty())
			throw new VolumeFormatException(input, "no DICOM images found (" + files.size() + " files looked at: "
					+ counts[0] + " not DICOM, " + counts[1] + " DICOM without images, " + counts[2]
					+ " unreadable" + unreadable(skips) + "); point VolSeg at a folder of DICOM image files");
		List<DicomSeries> series = SeriesAssembler.assemble(slices, this::identicalPixels);
		List<DicomSeries> out = new ArrayList<>();
		for (DicomSeries s : series) {
			s.warnings().forEach(warnings);
			List<String> own = new ArrayList<>();
			s.slices().stream().map(DicomSlice::file).distinct().forEach(f -> own.addAll(fileWarnings.getOrDefault(f, List.of())));
			out.add(s.withScanResults(skips, own));
		}
		return out;
	}

	/** True if two planes decode to the same stored values (a file copied under another name); false if either fails. */
	private boolean identicalPixels(DicomSlice a, DicomSlice b) {
		if (a.rows != b.rows || a.columns != b.columns || a.samples != b.samples)
			return false;
		try {
			double[] va = new double[a.rows * a.columns * a.samples], vb = new double[va.length];
			source.decoder(source.readFile(a.file)).decodeFrame(a.frame, va);
			source.decoder(source.readFile(b.file)).decodeFrame(b.frame, vb);
			return java.util.Arrays.equals(va, vb) && a.slope == b.slope && a.intercept == b.intercept;
		} catch (VolSegException e) {
			return false;
		}
	}

	/** The reason in an exception's message, without the file name the message starts with. */
	private static String reason(Path file, VolSegException e) {
		String m = String.valueOf(e.getMessage());
		String prefix = file + ": ";
		return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
	}

	/** The unreadable files and their reasons (the first five), for the "no images" message. */
	private static String unreadable(List<SkippedFile> skips) {
		if (skips.isEmpty())
			return "";
		StringBuilder b = new StringBuilder(": ");
		for (int i = 0; i < Math.min(5, skips.size()); i++)
			b.append(i > 0 ? "; " : "").append(skips.get(i).file()).append(" (").append(skips.get(i).reason()).append(')');
		if (skips.size() > 5)
			b.append("; and ").append(skips.size() - 5).append(" more");
		return b.toString();
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
		return selectSeries(series, number == null ? null : number.toString(), parameter);
	}

	/**
	 * The series a user asked for: the {@link #mainSeries main series} if {@code choice} is null or
	 * blank; the series whose SeriesInstanceUID is {@code choice}; else, for a number, the series with
	 * that SeriesNumber — refused when several series (of several patients or studies) share the
	 * number, listing them so that one can be picked by its UID. A series split by orientation or
	 * size (localizers) counts once: its largest non-localizer part is read.
	 *
	 * @param parameter the option's user-facing name, for messages (e.g. {@code --series})
	 * @throws InvalidParameterException naming the parameter if nothing matches (the message lists
	 *         the series present) or a number is ambiguous (the message lists the candidates)
	 */
	public static DicomSeries selectSeries(List<DicomSeries> series, String choice, String parameter) {
		String c = choice == null ? "" : choice.trim();
		if (c.isEmpty())
			return mainSeries(series);
		List<DicomSeries> byUid = series.stream().filter(s -> c.equals(s.seriesUid())).toList();
		if (!byUid.isEmpty())
			return largestPart(byUid);
		Integer number = null;
		try {
			number = Integer.valueOf(c);
		} catch (NumberFormatException e) {
			// not a number: nothing matches, reported below
		}
		Integer n = number;
		List<DicomSeries> numbered = n == null ? List.of()
				: series.stream().filter(s -> s.seriesNumber() != null && s.seriesNumber().intValue() == n).toList();
		Map<String, List<DicomSeries>> uids = new LinkedHashMap<>();
		for (DicomSeries s : numbered)
			uids.computeIfAbsent(s.seriesUid(), k -> new ArrayList<>()).add(s);
		if (uids.size() == 1)
			return largestPart(numbered);
		if (uids.size() > 1) {
			StringBuilder b = new StringBuilder();
			for (List<DicomSeries> parts : uids.values()) {
				DicomSeries s = largestPart(parts);
				b.append(b.length() > 0 ? "; " : "").append(s.seriesUid()).append(" (").append(s.modality().isEmpty()
						? "-" : s.modality()).append(", '").append(s.description()).append("', ").append(s.sliceCount())
						.append(s.sliceCount() == 1 ? " slice)" : " slices)");
			}
			throw InvalidParameterException.of(parameter, c, "one SeriesInstanceUID: " + uids.size()
					+ " series in the folder have SeriesNumber " + c + " (several patients or studies?): " + b);
		}
		String present = series.stream().map(x -> x.seriesNumber() == null ? "-" : x.seriesNumber().toString()).distinct()
				.collect(java.util.stream.Collectors.joining(", "));
		throw InvalidParameterException.of(parameter, c, "a SeriesNumber present in the folder (" + present
				+ ") or a SeriesInstanceUID (see volseg info)");
	}

	/** The non-localizer part with the most slices. */
	private static DicomSeries largestPart(List<DicomSeries> parts) {
		return parts.stream().min(Comparator.comparing((DicomSeries s) -> s.localizer()).thenComparing(s -> -s.sliceCount()))
				.orElseThrow();
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
		for (SkippedFile skip : series.skipped())
			seen.add(skip.line());
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
				? openChecked(slices.get(0).file, slices.get(byFile.values().iterator().next().get(0)), null, warn)
				: null;
		long voxels = HeapBudget.times(HeapBudget.times(dims[0] * dims[1], series.sliceCount()), samples);
		HeapBudget.require(byFile.size() == 1 ? slices.get(0).file : folderOf(slices.get(0).file),
				HeapBudget.times(voxels, Float.BYTES), dims[0] + " x " + dims[1] + " x " + dims[2]
						+ (samples > 1 ? " x " + samples : "") + " float voxels");
		Volume volume = samples == 1 ? Volume.allocate(series.geometry(), dims)
				: Volume.allocate(series.geometry(), dims[0], dims[1], dims[2], samples);
		// a series of MOSAIC volumes: plane z of time point t is flat plane t * dims[2] + z, its index in slices()
		VoxelWriter writer = new VoxelWriter(volume.voxels(), (int) dims[0], (int) dims[1], series.sliceCount(), samples);
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
				readFile(entry.getKey(), entry.getValue(), slices, writer, scratch, warn);
				return null;
			});
		}
		return new DicomSeriesVolume(volume, series, seen);
	}

	/** Reads a file and its decoder (the tiles as frames for a MOSAIC), passing the parser's notes on to {@code warn}. */
	private FrameDecoder openChecked(Path path, DicomSlice expected, byte[] scratch, Consumer<String> warn) {
		DicomFile file = scratch == null ? source.readFile(path) : source.readFile(path, scratch);
		file.notes().forEach(warn);
		FrameDecoder decoder = source.decoder(file);
		if (expected.mosaic != null)
			decoder = new MosaicDecoder(decoder, expected.mosaic);
		PixelFormat f = decoder.format();
		if (f.rows() != expected.rows || f.columns() != expected.columns || f.samples() != expected.samples)
			throw new VolumeFormatException(path, "the file changed while it was read (its image size differs from its header scan)");
		return decoder;
	}

	private void readFile(Path path, List<Integer> zs, List<DicomSlice> slices, VoxelWriter writer,
			ThreadLocal<byte[]> scratch, Consumer<String> warn) {
		byte[] buffer = scratch.get();
		long size = fileSize(path);
		if (buffer == null || buffer.length < size) {
			buffer = new byte[(int) Math.min(Integer.MAX_VALUE - 64, size + size / 8)];
			scratch.set(buffer);
		}
		FrameDecoder decoder = openChecked(path, slices.get(zs.get(0)), buffer, warn);
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
			if (samples == 1 && voxels.numDimensions() == 4) {
				// a time series: z counts the planes of all time points
				long perVolume = voxels.dimension(2);
				Cursor<FloatType> cursor = Views.flatIterable(Views.hyperSlice(Views.hyperSlice(voxels, 3, z / perVolume),
						2, z % perVolume)).cursor();
				int p = 0;
				while (cursor.hasNext())
					cursor.next().set(plane[p++]);
				return;
			}
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
