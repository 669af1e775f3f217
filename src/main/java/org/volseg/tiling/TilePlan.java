package org.volseg.tiling;

import java.util.Arrays;

import org.volseg.InvalidParameterException;

/**
 * Where the sliding windows go over a volume of a given size, and how they are grouped into
 * predictor batches. Immutable and thread-safe.
 *
 * <p>Placement follows MONAI's {@code sliding_window_inference} ({@code _get_scan_interval} and
 * {@code dense_patch_slices}), axis by axis:</p>
 * <ol>
 * <li>An axis shorter than the window is padded to the window's size, symmetrically: with
 * {@code d = roi - size}, {@code floor(d / 2)} voxels before and {@code d - floor(d / 2)} after (so
 * an odd padding puts the extra voxel at the end, as MONAI's {@code F.pad} call does). Everything
 * below is in these padded coordinates; the stitcher crops the padding off.</li>
 * <li>Scan interval: the window size where it equals the padded size, otherwise
 * {@code floor(roi * (1 - overlap))} with the axis's overlap, at least 1 (computed as MONAI does,
 * in double precision).</li>
 * <li>Window starts {@code 0, interval, 2 interval, ...} up to and including the first whose window
 * reaches the end; that last one is moved back to be flush with the end ({@code size - roi}).</li>
 * </ol>
 *
 * <p>Windows are all combinations of the per-axis starts, ordered z-row by z-row and, within a
 * z-row, y-row by y-row, x fastest: window index {@code i = ix + nx * (iy + ny * iz)} (z slowest),
 * except that, by default, the last z start joins the z-row before it when it is closer to it
 * than the scan interval (it was moved back to be flush with the end): that pair of z-rows is swept
 * together, {@code i = ix + nx * (iz' + 2 * iy)} within it. This lets the {@link Stitcher}, which
 * finalises rows as soon as they are complete, release them while the y sweep passes,
 * instead of holding the two heavily overlapping last z-rows whole; a stitcher that keeps rows until
 * their whole plane is complete would be better served without the pairing
 * ({@link Order#Z_SLOWEST}). The roles of z and y can be swapped
 * ({@link Order#Y_SLOWEST_LAST_PAIRED}: y-row by y-row, z-rows within, x fastest, the last two y-rows paired
 * in the same way): a stitcher that hands rows on as they finish then holds a band of
 * {@code x * z} rows instead of {@code x * y}, less for scans with fewer planes than rows
 * ({@link TilePlanner} chooses). MONAI enumerates the same positions
 * with the first array axis slowest; the order only changes which windows share a batch and the
 * order of floating-point sums, not the result.
 * Batches are consecutive runs of {@code batch} windows in this order; the last may be shorter.</p>
 */
public final class TilePlan {

	private final long[] imageSize;
	private final long[] paddedSize;
	private final long[] padBefore;
	private final int[] roi;
	private final int[] scanInterval;
	private final long[][] starts;
	private final int windowCount;
	private final int batch;
	private final double[] overlap;
	/** {@link #heldBytes()}, or {@link #UNKNOWN}. */
	private final long heldBytes;
	/** The stitcher's sums: FLOAT32 or FLOAT16, never AUTO. */
	private final SumPrecision sumPrecision;
	private static final long UNKNOWN = -1;
	/** The order of the windows. */
	public enum Order {
		/** z-rows one after the other, y-rows within, x fastest. */
		Z_SLOWEST,
		/** As {@link #Z_SLOWEST}, but the last two z-rows are swept together when they overlap by more than the scan interval. */
		Z_SLOWEST_LAST_PAIRED,
		/** y-rows one after the other, z-rows within, x fastest; the last two y-rows swept together as above. */
		Y_SLOWEST_LAST_PAIRED
	}

	private final Order order;
	/** The axis of the outer rows (2 for z, 1 for y) and the other one of y and z. */
	private final int slow, middle;
	/** The last two rows of the slow axis are swept together. */
	private final boolean lastRowsPaired;

	private TilePlan(long[] imageSize, int[] roi, double[] overlap, int batch, Order order, SumPrecision sumPrecision,
			long heldBytes) {
		this.imageSize = imageSize.clone();
		this.overlap = overlap.clone();
		this.sumPrecision = sumPrecision;
		this.heldBytes = heldBytes;
		this.roi = roi.clone();
		this.batch = batch;
		paddedSize = new long[3];
		padBefore = new long[3];
		scanInterval = new int[3];
		starts = new long[3][];
		long count = 1;
		for (int d = 0; d < 3; d++) {
			paddedSize[d] = Math.max(imageSize[d], roi[d]);
			padBefore[d] = (paddedSize[d] - imageSize[d]) / 2;
			scanInterval[d] = scanInterval(paddedSize[d], roi[d], overlap[d]);
			starts[d] = axisStarts(paddedSize[d], roi[d], scanInterval[d]);
			count *= starts[d].length;
		}
		if (count > Integer.MAX_VALUE - 8)
			throw InvalidParameterException.of("overlap", Arrays.toString(overlap),
					"a smaller overlap or a larger roi: " + count + " windows are too many");
		windowCount = (int) count;
		this.order = order;
		slow = order == Order.Y_SLOWEST_LAST_PAIRED ? 1 : 2;
		middle = 3 - slow;
		int ns = starts[slow].length;
		lastRowsPaired = order != Order.Z_SLOWEST && ns >= 2
				&& starts[slow][ns - 1] - starts[slow][ns - 2] < scanInterval[slow];
	}

	/**
	 * The plan of a sliding window over a volume in the default order ({@link Order#Z_SLOWEST_LAST_PAIRED}),
	 * without a memory figure: for tests and tools that place windows. A segmentation gets its plan
	 * from {@link TilePlanner}, which also chooses the order and the sums' precision and knows
	 * {@link #heldBytes()}. The sums are the settings' {@link SumPrecision}, float32 for {@link SumPrecision#AUTO}.
	 *
	 * @param imageSize (x, y, z) of the volume, each at least 1
	 * @param settings window size, overlap and batch size are used
	 */
	static TilePlan of(long[] imageSize, SlidingWindowSettings settings) {
		return of(imageSize, settings, Order.Z_SLOWEST_LAST_PAIRED);
	}

	/**
	 * @param imageSize (x, y, z) of the volume, each at least 1
	 * @param settings window size, overlap and batch size are used
	 * @param order the order of the windows (see the class comment)
	 */
	static TilePlan of(long[] imageSize, SlidingWindowSettings settings, Order order) {
		if (imageSize == null || imageSize.length < 3 || Arrays.stream(imageSize).limit(3).anyMatch(s -> s < 1))
			throw new IllegalArgumentException("image size must be (x, y, z), each at least 1, got "
					+ Arrays.toString(imageSize));
		return new TilePlan(Arrays.copyOf(imageSize, 3), settings.roi(), settings.overlap(), settings.batch(),
				java.util.Objects.requireNonNull(order, "order"), settings.sumPrecision().resolve(false, 0), UNKNOWN);
	}

	/**
	 * This plan with the sums' precision chosen for the outputs it was planned for and the
	 * stitcher's peak memory then ({@link TilePlanner}).
	 */
	TilePlan withSums(SumPrecision precision, long bytes) {
		if (precision == SumPrecision.AUTO)
			throw new IllegalArgumentException("a resolved precision is needed");
		return new TilePlan(imageSize, roi, overlap, batch, order, precision, bytes);
	}

	/** The number type of the stitcher's sums: {@link SumPrecision#FLOAT32} or {@link SumPrecision#FLOAT16}. */
	public SumPrecision sumPrecision() {
		return sumPrecision;
	}

	/**
	 * Peak bytes the stitcher holds while it adds this plan's windows in this order, for the outputs
	 * the plan was made for: the sums (and summed weights, unless every output
	 * {@link Finalizer#ignoresScale() ignores scale}) of the padded rows that some windows have
	 * written and others are still to write. Exact: a dry run of the stitcher's bookkeeping.
	 *
	 * @throws IllegalStateException for a plan not made by {@link TilePlanner}
	 */
	public long heldBytes() {
		if (heldBytes == UNKNOWN)
			throw new IllegalStateException("a plan made without its outputs has no memory figure: plan with TilePlanner");
		return heldBytes;
	}

	/** The order of the windows. */
	public Order order() {
		return order;
	}

	/** MONAI's {@code _get_scan_interval} for one axis of the padded image. */
	static int scanInterval(long paddedSize, int roi, double overlap) {
		if (roi == paddedSize)
			return roi;
		int interval = (int) (roi * (1 - overlap));
		return Math.max(interval, 1);
	}

	/** MONAI's {@code dense_patch_slices} for one axis: window starts, the last flush with the end. */
	static long[] axisStarts(long size, int roi, int interval) {
		long num = (size + interval - 1) / interval;
		long n = 1;
		for (long d = 0; d < num; d++)
			if (d * interval + roi >= size) {
				n = d + 1;
				break;
			}
		long[] s = new long[Math.toIntExact(n)];
		for (int i = 0; i < n; i++) {
			long start = (long) i * interval;
			s[i] = start - Math.max(start + roi - size, 0);
		}
		return s;
	}

	/** The volume's size (x, y, z), before padding; a copy. */
	public long[] imageSize() {
		return imageSize.clone();
	}

	/** Size (x, y, z) after padding: {@code max(imageSize, roi)} per axis; a copy. */
	public long[] paddedSize() {
		return paddedSize.clone();
	}

	/** Voxels of padding before the volume's first voxel, per axis; a copy. */
	public long[] padBefore() {
		return padBefore.clone();
	}

	/** Overlap of neighbouring windows (x, y, z), as in the settings; a copy. */
	public double[] overlap() {
		return overlap.clone();
	}

	/** Window size (x, y, z); a copy. */
	public int[] roi() {
		return roi.clone();
	}

	/** Scan interval (x, y, z); a copy. */
	public int[] scanInterval() {
		return scanInterval.clone();
	}

	/** Window start positions along one axis, ascending, in padded coordinates; a copy. */
	public long[] axisStarts(int axis) {
		return starts[axis].clone();
	}

	/** Windows along (x, y, z). */
	public int[] windowGrid() {
		return new int[] { starts[0].length, starts[1].length, starts[2].length };
	}

	public int windowCount() {
		return windowCount;
	}

	/** First voxel of window {@code i} along {@code axis}, in padded coordinates. */
	public long windowStart(int i, int axis) {
		int nx = starts[0].length, nm = starts[middle].length, ns = starts[slow].length;
		int row = Math.min(i / (nx * nm), lastRowsPaired ? ns - 2 : ns - 1);
		int rows = lastRowsPaired && row == ns - 2 ? 2 : 1;
		int rest = i - row * nx * nm;
		int index = axis == 0 ? rest % nx : axis == middle ? rest / nx / rows : row + (rest / nx) % rows;
		return starts[axis][index];
	}

	/** First voxel (x, y, z) of window {@code i}, in padded coordinates. */
	public long[] windowStart(int i) {
		if (i < 0 || i >= windowCount)
			throw new IndexOutOfBoundsException("window " + i + " of " + windowCount);
		return new long[] { windowStart(i, 0), windowStart(i, 1), windowStart(i, 2) };
	}

	/** Windows per batch (the last batch may hold fewer). */
	public int batchSize() {
		return batch;
	}

	public int batchCount() {
		return (int) ((windowCount + (long) batch - 1) / batch);
	}

	/** Index of the first window of batch {@code b}. */
	public int batchStart(int b) {
		return (int) Math.min((long) b * batch, windowCount);
	}

	/** One past the index of the last window of batch {@code b}. */
	public int batchEnd(int b) {
		return (int) Math.min((long) (b + 1) * batch, windowCount);
	}

	/** Per padded plane and row, {@code [z][y]}: how many windows of the plan write it. */
	int[][] windowsPerRow() {
		int[] cy = coverage(starts[1], roi[1], (int) paddedSize[1]);
		int[] cz = coverage(starts[2], roi[2], (int) paddedSize[2]);
		int nx = starts[0].length;
		int[][] counts = new int[cz.length][cy.length];
		for (int z = 0; z < cz.length; z++)
			for (int y = 0; y < cy.length; y++)
				counts[z][y] = cz[z] * cy[y] * nx;
		return counts;
	}

	/** Per position along an axis: how many of the windows starting at {@code starts} contain it. */
	private static int[] coverage(long[] starts, int roi, int length) {
		int[] c = new int[length];
		for (long s : starts)
			for (int i = (int) s; i < s + roi; i++)
				c[i]++;
		return c;
	}

	@Override
	public String toString() {
		return "TilePlan(image " + Arrays.toString(imageSize) + ", padded " + Arrays.toString(paddedSize) + ", roi "
				+ Arrays.toString(roi) + ", interval " + Arrays.toString(scanInterval) + ", windows "
				+ Arrays.toString(windowGrid()) + " = " + windowCount + ", batches " + batchCount() + ", " + order
				+ (heldBytes == UNKNOWN ? "" : String.format(java.util.Locale.ROOT, ", holds %.2f GB", heldBytes / 1e9)) + ")";
	}
}
