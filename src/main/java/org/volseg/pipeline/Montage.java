package org.volseg.pipeline;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.volseg.VolSegException;
import org.volseg.util.AtomicFiles;
import org.volseg.volume.FloatStorage;
import org.volseg.volume.Geometry;
import org.volseg.volume.IntegerVoxels;
import org.volseg.volume.PlaneReader;
import org.volseg.volume.Reorient;
import org.volseg.volume.StoredVoxels;
import org.volseg.volume.Volume;

import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * The picture a user looks at first: a grid of axial slices of a scan with its labels blended on
 * top in their class colours, written as a PNG.
 *
 * <p>Both volumes are first reoriented (without resampling) to LPS, so every tile is an axial slice
 * in the radiological convention: the patient's right on the image's left, anterior at the top.
 * Tiles are scaled to the physical aspect ratio of the in-plane spacing (nearest neighbour). The
 * slices are spread evenly over the z range that holds labels (the whole scan if it holds none).
 * Intensities are windowed at [-160, 240] HU (abdominal soft tissue) when the scan looks like CT
 * (minimum below -500), else between its 0.5th and 99.5th percentiles. Labels are blended at
 * {@link #DEFAULT_OPACITY}; a label without a colour gets one from a fixed palette.</p>
 */
final class Montage {

	/** Label opacity over the scan. */
	public static final double DEFAULT_OPACITY = 0.45;

	/** The CT soft-tissue window in HU. */
	private static final double[] CT_WINDOW = { -160, 240 };

	private static final int[] PALETTE = { 0xe6194b, 0x3cb44b, 0xffe119, 0x4363d8, 0xf58231, 0x911eb4, 0x46f0f0,
			0xf032e6, 0xbcf60c, 0xfabebe, 0x008080, 0xe6beff, 0x9a6324, 0xfffac8, 0x800000 };

	private final int columns;
	private final int rows;
	private final int tileWidth;

	/**
	 * @param columns tiles per row, at least 1
	 * @param rows rows of tiles, at least 1
	 * @param tileWidth width of a tile in pixels, at least 16 (the height follows the aspect ratio)
	 */
	public Montage(int columns, int rows, int tileWidth) {
		if (columns < 1 || rows < 1 || tileWidth < 16)
			throw new IllegalArgumentException("montage: columns and rows at least 1, tile width at least 16; got "
					+ columns + ", " + rows + ", " + tileWidth);
		this.columns = columns;
		this.rows = rows;
		this.tileWidth = tileWidth;
	}

	/** 4 x 3 tiles of 256 pixels. */
	public static Montage standard() {
		return new Montage(4, 3, 256);
	}

	/**
	 * Renders the montage.
	 *
	 * @param scan the scan (first channel used)
	 * @param labels the label map on the scan's grid (same dimensions and geometry)
	 * @param colours RGB (0xRRGGBB) per label value; may be empty
	 */
	public BufferedImage render(Volume scan, Volume labels, Map<Integer, Integer> colours) {
		if (!Arrays.equals(Arrays.copyOf(scan.dimensions(), 3), Arrays.copyOf(labels.dimensions(), 3)))
			throw new IllegalArgumentException("montage: scan " + Arrays.toString(scan.dimensions()) + " and labels "
					+ Arrays.toString(labels.dimensions()) + " must share a grid");
		Volume s = Reorient.to(scan, "LPS");
		Volume l = Reorient.to(labels, "LPS");
		RandomAccessibleInterval<FloatType> image = s.channel(0), labelImage = l.channel(0);
		long nx = image.dimension(0), ny = image.dimension(1), nz = image.dimension(2);
		double[] spacing = s.geometry().spacing();
		int tileHeight = Math.max(1, (int) Math.round(tileWidth * (ny * spacing[1]) / (nx * spacing[0])));
		double[] window = window(image);
		long[] zRange = labelledZRange(labelImage);
		BufferedImage out = new BufferedImage(columns * tileWidth, rows * tileHeight, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = out.createGraphics();
		setUp(g);
		int tiles = columns * rows;
		// the source column and row of every pixel of a tile (nearest neighbour), and the distinct ones:
		// each tile's colours are worked out once per distinct source voxel, then copied to its pixels
		int[] xOf = new int[tileWidth], yOf = new int[tileHeight];
		for (int px = 0; px < tileWidth; px++)
			xOf[px] = (int) Math.min(nx - 1, (long) ((px + 0.5) * nx / tileWidth));
		for (int py = 0; py < tileHeight; py++)
			yOf[py] = (int) Math.min(ny - 1, (long) ((py + 0.5) * ny / tileHeight));
		int[] xs = distinctIndex(xOf), ys = distinctIndex(yOf);
		int columnsUsed = xs[xs.length - 1] + 1, rowsUsed = ys[ys.length - 1] + 1;
		int[] sampleX = firstOf(xOf, xs, columnsUsed), sampleY = firstOf(yOf, ys, rowsUsed);
		int[] pixels = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
		long[] zOfTile = new long[tiles];
		for (int t = 0; t < tiles; t++)
			zOfTile[t] = tiles == 1 ? (zRange[0] + zRange[1]) / 2
					: zRange[0] + Math.round((double) t * (zRange[1] - zRange[0]) / (tiles - 1));
		// the tiles' pixels in two halves, on two threads when a core is free (each tile is its own part of
		// the image), then the slice numbers (Graphics2D is for one thread)
		List<byte[]> labelBytes = IntegerVoxels.unsignedBytesInFlatOrder(labelImage);
		TilePainter[] painters = new TilePainter[2];
		painters[0] = new TilePainter(PlaneReader.of(image), labelBytes != null && labelBytes.size() == nz ? labelBytes : null,
				labelImage, window, colours, pixels, out.getWidth(), tileHeight, xs, ys, sampleX, sampleY, nx);
		painters[1] = painters[0].forAnotherThread();
		int half = (tiles + 1) / 2;
		IntStream.range(0, 2).parallel().forEach(part -> {
			for (int t = part == 0 ? 0 : half; t < (part == 0 ? half : tiles); t++)
				painters[part].paint(zOfTile[t], (t % columns) * tileWidth, (t / columns) * tileHeight);
		});
		g.setColor(Color.WHITE);
		for (int t = 0; t < tiles; t++) {
			int ox = (t % columns) * tileWidth, oy = (t / columns) * tileHeight;
			g.setClip(ox, oy, tileWidth, tileHeight); // a number longer than its tile stops at the tile's edge
			g.drawString("z " + zOfTile[t], ox + 4, oy + g.getFontMetrics().getAscent() + 2);
		}
		g.dispose();
		return out;
	}

	/**
	 * Paints tiles: one axial plane of the scan and of the labels at a time, read in bulk (no random
	 * access per voxel); colours worked out once per distinct source voxel, then copied to the tile's
	 * pixels. One instance per thread ({@link #forAnotherThread()}); tiles painted at the same time must
	 * not overlap.
	 */
	private static final class TilePainter {
		private final PlaneReader scanSlices;
		/** The label map's own byte planes when it is kept as bytes, else null (then read as floats). */
		private final List<byte[]> labelBytes;
		private final RandomAccessibleInterval<FloatType> labelImage;
		private final PlaneReader labelSlices;
		private final double[] window;
		private final Map<Integer, Integer> colourMap;
		private final Colours palette;
		private final int[] pixels, xs, ys, sampleX, sampleY, rgb;
		private final int width, tileHeight;
		private final long nx;
		private final float[] scanPlane, labelPlane;

		TilePainter(PlaneReader scanSlices, List<byte[]> labelBytes, RandomAccessibleInterval<FloatType> labelImage,
				double[] window, Map<Integer, Integer> colours, int[] pixels, int width, int tileHeight, int[] xs, int[] ys,
				int[] sampleX, int[] sampleY, long nx) {
			this.scanSlices = scanSlices;
			this.labelBytes = labelBytes;
			this.labelImage = labelImage;
			this.labelSlices = labelBytes == null ? PlaneReader.of(labelImage) : null;
			this.window = window;
			this.colourMap = colours;
			this.palette = new Colours(colours);
			this.pixels = pixels;
			this.width = width;
			this.tileHeight = tileHeight;
			this.xs = xs;
			this.ys = ys;
			this.sampleX = sampleX;
			this.sampleY = sampleY;
			this.nx = nx;
			this.rgb = new int[sampleX.length * sampleY.length];
			this.scanPlane = new float[scanSlices.planeVoxels()];
			this.labelPlane = labelSlices == null ? null : new float[labelSlices.planeVoxels()];
		}

		TilePainter forAnotherThread() {
			return new TilePainter(scanSlices.independentCopy(), labelBytes, labelImage, window, colourMap, pixels, width,
					tileHeight, xs, ys, sampleX, sampleY, nx);
		}

		/** Paints plane {@code z} into the tile whose top left pixel is ({@code ox}, {@code oy}). */
		void paint(long z, int ox, int oy) {
			scanSlices.read(z, scanPlane);
			byte[] bytes = labelBytes == null ? null : labelBytes.get((int) z);
			if (bytes == null)
				labelSlices.read(z, labelPlane);
			for (int j = 0; j < sampleY.length; j++)
				colourRow(j, bytes);
			int tileWidth = xs.length;
			for (int py = 0; py < tileHeight; py++) {
				int at = (oy + py) * width + ox;
				if (py > 0 && ys[py] == ys[py - 1]) // the same source row as the pixel row above
					System.arraycopy(pixels, at - width, pixels, at, tileWidth);
				else
					pixelRow(ys[py] * sampleX.length, at);
			}
		}

		// The rows are methods of their own: called per row, they are compiled early in a fresh JVM,
		// where a loop over a whole tile would run interpreted.

		/** The colours of the distinct source voxels of sample row {@code j}. */
		private void colourRow(int j, byte[] bytes) {
			int columnsUsed = sampleX.length, row = (int) (sampleY[j] * nx);
			for (int i = 0; i < columnsUsed; i++) {
				int at = row + sampleX[i];
				int label = bytes != null ? bytes[at] & 0xff : Math.round(labelPlane[at]);
				rgb[j * columnsUsed + i] = blend(grey(scanPlane[at], window), label, palette);
			}
		}

		/** One pixel row of a tile from the colours of row {@code from} of {@code rgb}, at pixel {@code at}. */
		private void pixelRow(int from, int at) {
			for (int px = 0; px < xs.length; px++)
				pixels[at + px] = rgb[from + xs[px]];
		}
	}

	/**
	 * Draws a montage of a synthetic 128 x 128 x 16 int16 scan with byte labels twice, with this
	 * montage's tiles, and encodes it to nowhere: in a fresh JVM, AWT's imaging and the slice numbers'
	 * font are then loaded, and the tile painting and the PNG rows compiled by the JIT, before the real
	 * montage is drawn (called while the model loads, {@link OutputSink#prepare}); about 0.1 CPU-s.
	 * Writes nothing. Thread-safe.
	 */
	void warmUp() {
		long[] dims = { 128, 128, 16 };
		PlanarImg<ShortType, ?> hu = PlanarImgs.shorts(dims);
		long[] voxel = { 0 };
		hu.forEach(v -> v.set((short) (voxel[0]++ % 1400 - 1000))); // -1000 to 399 HU: the CT window
		IntegerVoxels<UnsignedByteType> labelBytes = IntegerVoxels.allocateUnsignedBytes(dims);
		List<byte[]> planes = IntegerVoxels.unsignedBytesInFlatOrder(labelBytes);
		for (int z = 0; z < planes.size(); z++)
			for (int k = 0; k < planes.get(z).length; k++)
				planes.get(z)[k] = (byte) ((k / 128 + z) % 5); // bands of labels 0-4 on every slice
		Volume scan = new Volume(StoredVoxels.of(hu, false, 1, 0), Geometry.identity());
		Volume labels = new Volume(labelBytes, Geometry.identity());
		try {
			for (int round = 0; round < 2; round++)
				PngEncoder.write(render(scan, labels, Map.of()), OutputStream.nullOutputStream());
		} catch (IOException e) {
			throw new UncheckedIOException(e); // a stream that discards cannot fail
		}
	}

	private void setUp(Graphics2D g) {
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(10, tileWidth / 20)));
	}

	/** Renders and writes the PNG atomically (temporary file next to {@code target}, then a move). */
	public void write(Volume scan, Volume labels, Map<Integer, Integer> colours, Path target) {
		BufferedImage image = render(scan, labels, colours);
		try {
			Files.createDirectories(target.toAbsolutePath().getParent());
			AtomicFiles.write(target, out -> PngEncoder.write(image, out));
		}
		catch (IOException e) {
			throw new VolSegException(target + ": cannot write the montage PNG (" + e.getMessage()
					+ "); check that the folder is writable", e);
		}
	}

	private static int grey(float value, double[] window) {
		double v = (value - window[0]) / (window[1] - window[0]);
		int g = (int) Math.round(255 * Math.max(0, Math.min(1, v)));
		return g << 16 | g << 8 | g;
	}

	/**
	 * For a non-decreasing {@code of}: the rank of each entry among the distinct values (0, 0, 1, 2, 2, ...),
	 * so that equal source voxels share one colour computation.
	 */
	private static int[] distinctIndex(int[] of) {
		int[] rank = new int[of.length];
		for (int i = 1; i < of.length; i++)
			rank[i] = rank[i - 1] + (of[i] != of[i - 1] ? 1 : 0);
		return rank;
	}

	/** The value of {@code of} at each rank. */
	private static int[] firstOf(int[] of, int[] rank, int ranks) {
		int[] value = new int[ranks];
		for (int i = of.length - 1; i >= 0; i--)
			value[rank[i]] = of[i];
		return value;
	}

	/** Colour per label: the map's, else the palette's; looked up once per label value. */
	private static final class Colours {
		private final Map<Integer, Integer> colours;
		private int[] known = new int[0];

		Colours(Map<Integer, Integer> colours) {
			this.colours = colours;
		}

		int of(int label) {
			if (label >= known.length) {
				int n = known.length;
				known = Arrays.copyOf(known, Math.max(label + 1, 2 * n));
				Arrays.fill(known, n, known.length, -1);
			}
			int c = known[label];
			if (c < 0)
				c = known[label] = colours.getOrDefault(label, PALETTE[(label - 1) % PALETTE.length]);
			return c;
		}
	}

	private static int blend(int grey, int label, Colours colours) {
		if (label <= 0)
			return grey;
		int colour = colours.of(label);
		int r = mix(grey >> 16 & 0xff, colour >> 16 & 0xff), gr = mix(grey >> 8 & 0xff, colour >> 8 & 0xff),
				b = mix(grey & 0xff, colour & 0xff);
		return r << 16 | gr << 8 | b;
	}

	private static int mix(int under, int over) {
		return (int) Math.round(under * (1 - DEFAULT_OPACITY) + over * DEFAULT_OPACITY);
	}

	/** The display window: CT soft tissue, or the 0.5th to 99.5th percentile of a strided sample. */
	static double[] window(RandomAccessibleInterval<FloatType> image) {
		long n = image.dimension(0) * image.dimension(1) * image.dimension(2);
		int stride = (int) Math.max(1, n / 200_000);
		float[] sample = new float[(int) ((n + stride - 1) / stride)];
		int k = 0;
		// every stride-th voxel in flat order (x fastest), visited directly instead of walking past the others
		long nx = image.dimension(0), nxy = nx * image.dimension(1), min0 = image.min(0), min1 = image.min(1),
				min2 = image.min(2);
		RandomAccess<FloatType> a = image.randomAccess();
		for (long i = 0; i < n && k < sample.length; i += stride) {
			a.setPosition(min0 + i % nx, 0);
			a.setPosition(min1 + i % nxy / nx, 1);
			a.setPosition(min2 + i / nxy, 2);
			float v = a.get().get();
			// the sample's minimum is below -500 as soon as one voxel is: CT, whose window needs no percentiles
			if (v < -500)
				return CT_WINDOW.clone();
			sample[k++] = v;
		}
		float[] sorted = Arrays.copyOf(sample, k);
		Arrays.sort(sorted);
		double lo = sorted[(int) (0.005 * (k - 1))], hi = sorted[(int) (0.995 * (k - 1))];
		return hi > lo ? new double[] { lo, hi } : new double[] { lo, lo + 1 };
	}

	/** First and last z holding a label above 0, or the whole range if none does. */
	static long[] labelledZRange(RandomAccessibleInterval<FloatType> labels) {
		long nz = labels.dimension(2), first = -1, last = -1;
		RandomAccess<FloatType> a = labels.randomAccess();
		List<byte[]> bytes = labels.numDimensions() == 3 ? IntegerVoxels.unsignedBytesInFlatOrder(labels) : null;
		if (bytes != null && bytes.size() == nz) { // a label map kept as bytes, one array per plane
			byte[] zeros = new byte[nz == 0 ? 0 : bytes.get(0).length];
			for (int z = 0; z < nz; z++) {
				if (Arrays.mismatch(bytes.get(z), zeros) >= 0) { // a label above 0 (the JDK's vectorised comparison)
					if (first < 0)
						first = z;
					last = z;
				}
			}
			return first < 0 ? new long[] { 0, nz - 1 } : new long[] { first, last };
		}
		// the image's own arrays when it has them (one per plane, or one for all): no random access per voxel
		List<float[]> arrays = labels.numDimensions() == 3 ? FloatStorage.arraysInFlatOrder(labels) : null;
		int plane = (int) (labels.dimension(0) * labels.dimension(1));
		if (arrays != null && arrays.size() != nz && arrays.size() != 1)
			arrays = null;
		for (long z = 0; z < nz; z++) {
			boolean any = false;
			if (arrays != null) {
				float[] values = arrays.size() == nz ? arrays.get((int) z) : arrays.get(0);
				for (int i = arrays.size() == nz ? 0 : (int) z * plane, end = i + plane; i < end && !any; i++)
					any = values[i] >= 0.5f;
			} else {
				a.setPosition(z, 2);
				for (long y = 0; y < labels.dimension(1) && !any; y++) {
					a.setPosition(y, 1);
					for (long x = 0; x < labels.dimension(0) && !any; x++) {
						a.setPosition(x, 0);
						any = a.get().get() >= 0.5f;
					}
				}
			}
			if (any) {
				if (first < 0)
					first = z;
				last = z;
			}
		}
		return first < 0 ? new long[] { 0, nz - 1 } : new long[] { first, last };
	}
}
