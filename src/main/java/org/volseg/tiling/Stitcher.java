package org.volseg.tiling;

import org.volseg.runtime.PatchPredictor;

import java.util.Arrays;
import java.util.List;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Blends window outputs into whole-volume outputs with bounded memory: the streaming stitcher.
 *
 * <p>Every window output is multiplied by the {@link ImportanceMap} and added to a running sum,
 * the weights to a running weight sum; a voxel's blended value is its sum divided by its summed
 * weights (MONAI's {@code sliding_window_inference}); the padding the plan added is cropped off.</p>
 *
 * <p>Streaming along z and y: the sums live in one array per padded row (plane {@code z}, row
 * {@code y}) of {@code x * (classes + 1)} floats (sums and summed weights; {@code x * classes} if
 * every output {@link SlabFinalizer#ignoresScale() ignores scale}, as labels do), taken when the
 * first window writes the row. Every row knows how many windows of the plan write it; when the last of them has been added the row is
 * complete. If every output's consumer is a {@link RowConsumer}, or the outputs are compact (their
 * channels together fewer than {@code classes + 1}: labels, masks;
 * {@link #releasesRowsEarly(int, int...)}), a complete row is finalised at once and its array is
 * released: outputs whose consumer is a {@code RowConsumer} get the finished row straight away
 * (a whole-volume {@link VolumeAssembler} of logits or probabilities stores it where it belongs),
 * the others collect it in their pending slab. Otherwise the row is kept until its slab is handed
 * on (finalising it earlier would save nothing). Slabs of whole xy planes (at most
 * about 64 MB per output, at least one plane) go to the outputs' {@link SlabConsumer}s in z order,
 * each plane once, as soon as all their planes are complete.
 * Released row arrays are zeroed and reused, so the stitcher allocates them only up to its peak.
 * Windows may be added in any order, each once; the result does not depend on it (up to float
 * rounding), the memory does.</p>
 *
 * <p>Memory bound, in the plan's order ({@link #plan} picks it). z-slowest (z-row by z-row, within
 * a z-row y-row by y-row, x fastest; the last two z-rows swept together when they overlap by more
 * than the scan interval, see {@link TilePlan}): while a z-row sweeps y, only the planes the next
 * z-row also writes ({@code roi_z - interval_z}) are held whole, the planes only this z-row writes
 * in a band of about {@code roi_y} rows that moves with the sweep. With regular z starts the peak
 * is exactly {@code 4 (classes + 1) px ((roi_z - interval_z) py + interval_z roi_y)} bytes
 * ({@code px, py} the padded xy size). y-slowest, for outputs that are all taken row by row, swaps
 * the roles of y and z: about {@code 4 (classes + 1) px ((roi_y - interval_y) pz + interval_y roi_z)}
 * (more where the z starts are irregular), less when the volume has fewer planes than rows. For
 * 512 x 512 x 400, 14 classes, ROI 96, overlap 0.5: 0.92 GB of sums z-slowest (1.03 GB with label
 * slabs waiting for their planes), 0.73 GB y-slowest with labels taken row by row (and no summed
 * weights), instead of 1.51 GB for a ring of {@code roi_z} whole planes. When some output takes
 * slabs and the outputs are as large as the sums (labels and logits handed on in slabs), rows wait
 * for whole planes and the peak stays at the ring's size. {@link #accumulatorBytes(TilePlan, int)} and
 * {@link #heldBytes(TilePlan, int, List)} give the exact peak of a plan (a dry run of the
 * bookkeeping).</p>
 *
 * <p>Not thread-safe: one thread adds windows (consumers are called on that thread).</p>
 */
public final class Stitcher {

	/** Upper bound (about 64 MB) on the floats of one slab handed to a consumer, unless one plane is larger. */
	static final int SLAB_FLOATS = 16 << 20;

	/** Stands for an allocated row in a dry run. */
	private static final float[] DRY_ROW = new float[0];

	private final TilePlan plan;
	private final int classes;
	private final float[] weights;
	private final List<StitchOutput> outputs;
	private final SlabFinalizer[] finalizers;
	/** Dry run: bookkeeping only, no arrays, no consumers (for {@link #heldBytes(TilePlan, int, int...)}). */
	private final boolean dry;
	/** Rows are finalised when complete (outputs smaller than the sums), else when their slab is handed on. */
	private final boolean eager;
	private final int[] roi;
	private final int px;
	private final int[] pad;
	private final int[] size;
	/** Floats of one row: {@code px * classes} sums ({@code [x, class]}), then {@code px} summed weights if {@link #weighted}. */
	private final int rowWidth;
	/** Rows end with the summed weights and values are divided by them; not if every output {@link SlabFinalizer#ignoresScale() ignores scale}. */
	private final boolean weighted;
	/** Per padded plane and row: the sums, or null before the first window writing it and after it is finalised. */
	private final float[][][] rows;
	/** Per padded plane and row: windows still to write it. */
	private final int[][] windowsLeft;
	private final boolean[] added;
	/** Released rows, zeroed, for reuse: rows are allocated once up to the peak, not once per row. */
	private final java.util.ArrayDeque<float[]> freeRows = new java.util.ArrayDeque<>();
	private int windowsAdded;
	private long liveRows;
	private long peakRows;
	/** Bytes of pending slab data. */
	private long slabBytes;
	private long peakHeldBytes;

	/** Planes per slab handed on; slab {@code k} covers volume planes from {@code k * slabPlanes}. */
	private final int slabPlanes;
	/** Per volume plane: volume rows not yet complete. */
	private final int[] planeRowsLeft;
	/** Per slab: planes not yet complete. */
	private final int[] slabPlanesLeft;
	/** Per slab and output: finalised values, allocated when the slab's first row is finalised (not for row outputs). */
	private final float[][][] slabData;
	/** Per output: its consumer takes finished rows ({@link RowConsumer}, eager stitchers only), else slabs. */
	private final boolean[] rowWise;
	/** Per output: the row handed to a row-wise consumer (null for slab outputs). */
	private final float[][] rowBuffers;
	/** Some output takes slabs. */
	private final boolean slabOutputs;
	private int nextSlab;
	private final float[] voxel;
	private final float[] scratch;
	/** The rows of the window being added. */
	private final float[][] windowRows;
	private boolean finished;

	/**
	 * @param plan the windows
	 * @param classes channels of every window output
	 * @param importance weights of a window's voxels; its size must be the plan's window size
	 * @param outputs what to produce from the blended values, each handed its rows ({@link RowConsumer},
	 *        when rows are finalised early) or its slabs in z order
	 */
	public Stitcher(TilePlan plan, int classes, ImportanceMap importance, List<StitchOutput> outputs) {
		this(plan, classes, importance.weights(), importance.roi(), finalizersOf(outputs), List.copyOf(outputs), false, null);
	}

	private Stitcher(TilePlan plan, int classes, float[] weights, int[] weightRoi, SlabFinalizer[] finalizers,
			List<StitchOutput> outputs, boolean dry, boolean[] dryRowWise) {
		if (classes < 1)
			throw new IllegalArgumentException("classes must be at least 1, got " + classes);
		if (!Arrays.equals(weightRoi, plan.roi()))
			throw new IllegalArgumentException("importance map and plan have different window sizes");
		this.plan = plan;
		this.classes = classes;
		this.weights = weights;
		this.outputs = outputs;
		this.finalizers = finalizers;
		this.dry = dry;
		this.roi = plan.roi();
		long[] padded = plan.paddedSize();
		this.px = Math.toIntExact(padded[0]);
		int py = Math.toIntExact(padded[1]);
		int pz = Math.toIntExact(padded[2]);
		this.pad = toInts(plan.padBefore());
		this.size = toInts(plan.imageSize());
		boolean scaleFree = finalizers.length > 0;
		for (SlabFinalizer f : finalizers)
			scaleFree &= f.ignoresScale();
		this.weighted = !scaleFree;
		this.rowWidth = Math.multiplyExact(px, weighted ? classes + 1 : classes);
		this.rows = new float[pz][py][];
		this.windowsLeft = windowsPerRow(plan);
		this.added = new boolean[plan.windowCount()];

		long perPlane = (long) size[0] * size[1];
		for (SlabFinalizer f : finalizers)
			perPlane = Math.max(perPlane, (long) size[0] * size[1] * f.channels(classes));
		boolean[] takesRows = dry ? dryRowWise : takesRows(outputs);
		this.eager = finalisesEarly(classes, channelsOf(finalizers, classes), takesRows);
		this.slabPlanes = (int) Math.max(1, Math.min(roi[2], SLAB_FLOATS / perPlane));
		int slabs = (size[2] + slabPlanes - 1) / slabPlanes;
		this.planeRowsLeft = new int[size[2]];
		Arrays.fill(planeRowsLeft, size[1]);
		this.slabPlanesLeft = new int[slabs];
		for (int k = 0; k < slabs; k++)
			slabPlanesLeft[k] = planesOfSlab(k);
		this.slabData = new float[slabs][][];
		this.rowWise = new boolean[finalizers.length];
		this.rowBuffers = new float[finalizers.length][];
		for (int i = 0; i < finalizers.length; i++) {
			rowWise[i] = eager && takesRows[i];
			if (rowWise[i] && !dry)
				rowBuffers[i] = new float[size[0] * finalizers[i].channels(classes)];
		}
		boolean anySlabOutput = false;
		for (boolean r : rowWise)
			anySlabOutput |= !r;
		this.slabOutputs = anySlabOutput;
		this.voxel = new float[classes];
		this.scratch = new float[classes];
		this.windowRows = new float[roi[1] * roi[2]][];
	}

	/**
	 * Adds one window's output.
	 *
	 * @param window index of the window in the plan
	 * @param output the window's output in {@link PatchPredictor} layout: {@code roi_x * roi_y * roi_z * classes}
	 *        floats from {@code offset}, class fastest; read during the call only
	 * @throws IllegalStateException if the window was added before, or after {@link #finish()}
	 */
	public void add(int window, float[] output, int offset) {
		if (finished)
			throw new IllegalStateException("stitcher already finished");
		int x0 = (int) plan.windowStart(window, 0), y0 = (int) plan.windowStart(window, 1);
		int z0 = (int) plan.windowStart(window, 2);
		if (added[window])
			throw new IllegalStateException("window " + window + " was already added");
		added[window] = true;
		windowsAdded++;
		float[][] windowRows = allocateRows(y0, z0);
		if (!dry)
			accumulate(x0, windowRows, output, offset);
		for (int z = z0; z < z0 + roi[2]; z++)
			for (int y = y0; y < y0 + roi[1]; y++)
				if (--windowsLeft[z][y] == 0)
					completeRow(z, y);
		emitCompleteSlabs();
	}

	/**
	 * Checks that every window was added and every plane handed on. Call once, after the last window.
	 *
	 * @throws IllegalStateException if windows are missing
	 */
	public void finish() {
		if (finished)
			return;
		if (windowsAdded < plan.windowCount())
			throw new IllegalStateException("only " + windowsAdded + " of " + plan.windowCount()
					+ " windows were added: planes are missing");
		if (finalizers.length > 0 && nextSlab < slabData.length)
			throw new IllegalStateException("planes from z " + nextSlab * (long) slabPlanes + " were never completed");
		finished = true;
	}

	/** Peak bytes of sums and weights held so far. */
	long accumulatorBytes() {
		return 4L * peakRows * rowWidth;
	}

	/** Peak bytes held so far: sums and weights plus finalised slabs not yet handed on. */
	long heldBytes() {
		return peakHeldBytes;
	}

	/**
	 * Peak bytes of sums and weights a stitcher with no outputs holds when the plan's windows are
	 * added in the plan's order: {@code 4 * (classes + 1)} per voxel of the padded rows that are
	 * live at once (written by some windows, still to be written by others).
	 */
	public static long accumulatorBytes(TilePlan plan, int classes) {
		return heldBytes(plan, classes);
	}

	/**
	 * Peak bytes a stitcher holds besides the slab being handed on, when the plan's windows are
	 * added in the plan's order: sums and weights, plus finalised planes waiting for their slab.
	 *
	 * @param outputChannels channels of each output ({@link SlabFinalizer#channels}), e.g. 1 for labels
	 */
	public static long heldBytes(TilePlan plan, int classes, int... outputChannels) {
		SlabFinalizer[] finalizers = new SlabFinalizer[outputChannels.length];
		for (int i = 0; i < finalizers.length; i++)
			finalizers[i] = new ChannelsOnly(outputChannels[i], false);
		return dryRun(plan, classes, finalizers, new boolean[outputChannels.length]);
	}

	/**
	 * As {@link #heldBytes(TilePlan, int, int...)} for these outputs: their channels, and whether
	 * their consumers take rows ({@link RowConsumer}; their finished rows are then not held).
	 */
	public static long heldBytes(TilePlan plan, int classes, List<StitchOutput> outputs) {
		SlabFinalizer[] finalizers = new SlabFinalizer[outputs.size()];
		for (int i = 0; i < finalizers.length; i++) {
			SlabFinalizer f = outputs.get(i).finalizer();
			finalizers[i] = new ChannelsOnly(f.channels(classes), f.ignoresScale());
		}
		return dryRun(plan, classes, finalizers, takesRows(outputs));
	}

	private static long dryRun(TilePlan plan, int classes, SlabFinalizer[] finalizers, boolean[] rowWise) {
		Stitcher dryRun = new Stitcher(plan, classes, null, plan.roi(), finalizers, List.of(), true, rowWise);
		for (int w = 0; w < plan.windowCount(); w++)
			dryRun.add(w, null, 0);
		dryRun.finish();
		return dryRun.heldBytes();
	}

	/**
	 * Whether a stitcher with outputs of these channels finalises a row as soon as no window writes
	 * it any more (their channels together are fewer than {@code classes + 1}, the floats of sums and
	 * weight per voxel: labels, masks), rather than when its slab is handed on. Pass it to
	 * {@link TilePlan#of(long[], SlidingWindowSettings, boolean)}.
	 */
	public static boolean releasesRowsEarly(int classes, int... outputChannels) {
		long total = 0;
		for (int c : outputChannels)
			total += c;
		return total < classes + 1L;
	}

	/**
	 * The plan of windows to stitch these outputs with, in the order that needs the least memory:
	 * for outputs whose consumers all take rows ({@link RowConsumer}), whichever of
	 * {@link TilePlan.Order#Z_SLOWEST_LAST_PAIRED} and {@link TilePlan.Order#Y_SLOWEST_LAST_PAIRED} holds fewer bytes (a dry run of each: y-slowest
	 * wins when the volume has fewer planes than rows); for other early-finalised outputs, which
	 * are handed on in slabs of whole planes, z-slowest with the last z-rows paired; otherwise
	 * plain z-slowest.
	 */
	public static TilePlan plan(long[] imageSize, SlidingWindowSettings settings, int classes, List<StitchOutput> outputs) {
		boolean[] takesRows = takesRows(outputs);
		if (!finalisesEarly(classes, outputChannels(classes, outputs), takesRows))
			return TilePlan.of(imageSize, settings, TilePlan.Order.Z_SLOWEST);
		TilePlan zSlowest = TilePlan.of(imageSize, settings, TilePlan.Order.Z_SLOWEST_LAST_PAIRED);
		if (!allTrue(takesRows))
			return zSlowest;
		TilePlan ySlowest = TilePlan.of(imageSize, settings, TilePlan.Order.Y_SLOWEST_LAST_PAIRED);
		return heldBytes(ySlowest, classes, outputs) < heldBytes(zSlowest, classes, outputs) ? ySlowest : zSlowest;
	}

	/**
	 * Whether a stitcher with these outputs finalises a row as soon as no window writes it any more:
	 * when every output takes rows, or when they are compact ({@link #releasesRowsEarly(int, int...)}).
	 */
	private static boolean finalisesEarly(int classes, int[] outputChannels, boolean[] takesRows) {
		return allTrue(takesRows) || releasesRowsEarly(classes, outputChannels);
	}

	/** Per output: its consumer takes rows ({@link RowConsumer}). */
	private static boolean[] takesRows(List<StitchOutput> outputs) {
		boolean[] rows = new boolean[outputs.size()];
		for (int i = 0; i < rows.length; i++)
			rows[i] = outputs.get(i).consumer() instanceof RowConsumer;
		return rows;
	}

	/** At least one value, all true. */
	private static boolean allTrue(boolean[] values) {
		boolean all = values.length > 0;
		for (boolean v : values)
			all &= v;
		return all;
	}

	/** Channels each output writes. */
	public static int[] outputChannels(int classes, List<StitchOutput> outputs) {
		return channelsOf(finalizersOf(outputs), classes);
	}

	private static int[] channelsOf(SlabFinalizer[] finalizers, int classes) {
		int[] ch = new int[finalizers.length];
		for (int i = 0; i < ch.length; i++)
			ch[i] = finalizers[i].channels(classes);
		return ch;
	}

	/** Per padded plane and row: how many windows of the plan write it. */
	private static int[][] windowsPerRow(TilePlan plan) {
		long[] padded = plan.paddedSize();
		int[] cy = coverage(plan.axisStarts(1), plan.roi()[1], (int) padded[1]);
		int[] cz = coverage(plan.axisStarts(2), plan.roi()[2], (int) padded[2]);
		int nx = plan.windowGrid()[0];
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

	/** The rows window {@code (y0, z0)} writes, {@code [y * roi_z + z]}, taken if not live yet; the array is reused by the next call. */
	private float[][] allocateRows(int y0, int z0) {
		int ry = roi[1], rz = roi[2];
		for (int y = 0; y < ry; y++)
			for (int z = 0; z < rz; z++) {
				float[] r = rows[z0 + z][y0 + y];
				if (r == null) {
					r = dry ? DRY_ROW : freeRows.isEmpty() ? new float[rowWidth] : freeRows.pop();
					rows[z0 + z][y0 + y] = r;
					liveRows++;
				}
				windowRows[y * rz + z] = r;
			}
		peakRows = Math.max(peakRows, liveRows);
		updatePeak();
		return windowRows;
	}

	private void updatePeak() {
		peakHeldBytes = Math.max(peakHeldBytes, 4L * liveRows * rowWidth + slabBytes);
	}

	/**
	 * Adds the weighted window output; {@code windowRows[y * roi_z + z]} are the rows it writes.
	 * Row by row, so that each row is written in one contiguous run; the output is read as
	 * {@code roi_x} sequential streams.
	 */
	private void accumulate(int x0, float[][] windowRows, float[] out, int offset) {
		int rx = roi[0], ryz = roi[1] * roi[2];
		int c = classes;
		int weightBase = px * c;
		int perX = ryz * c;
		for (int yz = 0; yz < ryz; yz++) {
			float[] r = windowRows[yz];
			int k = offset + yz * c;
			for (int x = 0; x < rx; x++, k += perX) {
				float weight = weights[x * ryz + yz];
				if (weighted)
					r[weightBase + x0 + x] += weight;
				int base = (x0 + x) * c;
				for (int j = 0; j < c; j++)
					r[base + j] += weight * out[k + j];
			}
		}
	}

	/** A row no window writes any more: released if outside the volume, else finalised now or kept for its slab. */
	private void completeRow(int z, int y) {
		int vz = z - pad[2], vy = y - pad[1];
		if (finalizers.length == 0 || vz < 0 || vz >= size[2] || vy < 0 || vy >= size[1]) {
			releaseRow(z, y);
			return;
		}
		int slab = vz / slabPlanes;
		if (eager) {
			blendRow(z, y, slabOutputs ? slabData(slab) : null);
			releaseRow(z, y);
		}
		if (--planeRowsLeft[vz] == 0)
			slabPlanesLeft[slab]--;
	}

	private void releaseRow(int z, int y) {
		if (!dry) {
			float[] r = rows[z][y];
			Arrays.fill(r, 0f);
			freeRows.push(r);
		}
		rows[z][y] = null;
		liveRows--;
	}

	/** The pending data of a slab, allocated on first use. */
	private float[][] slabData(int slab) {
		float[][] data = slabData[slab];
		if (data == null) {
			long stride = (long) size[0] * size[1] * planesOfSlab(slab);
			data = new float[finalizers.length][];
			for (int i = 0; i < finalizers.length; i++) {
				if (rowWise[i])
					continue;
				long floats = stride * finalizers[i].channels(classes);
				data[i] = dry ? DRY_ROW : new float[Math.toIntExact(floats)];
				slabBytes += 4 * floats;
			}
			slabData[slab] = data;
			updatePeak();
		}
		return data;
	}

	/**
	 * Blends the sums of padded row (z, y), which lies inside the volume, into its slab's outputs
	 * ({@code data}, null if all outputs are row-wise) and hands it to the row-wise outputs.
	 */
	private void blendRow(int z, int y, float[][] data) {
		if (dry)
			return;
		float[] r = rows[z][y];
		int vz = z - pad[2], vy = y - pad[1];
		int slab = vz / slabPlanes;
		int sx = size[0], sy = size[1];
		int stride = sx * sy * planesOfSlab(slab);
		int outRow = ((vz - slab * slabPlanes) * sy + vy) * sx;
		int weightBase = px * classes;
		for (int x = 0; x < sx; x++) {
			int px0 = x + pad[0];
			int base = px0 * classes;
			if (weighted) {
				float weight = r[weightBase + px0];
				for (int c = 0; c < classes; c++)
					voxel[c] = r[base + c] / weight;
			} else
				System.arraycopy(r, base, voxel, 0, classes);
			for (int i = 0; i < finalizers.length; i++) {
				float[] v = voxel;
				if (finalizers.length > 1) { // finalisers may overwrite their input
					System.arraycopy(voxel, 0, scratch, 0, classes);
					v = scratch;
				}
				if (rowWise[i])
					finalizers[i].apply(v, 0, classes, rowBuffers[i], x, sx);
				else
					finalizers[i].apply(v, 0, classes, data[i], outRow + x, stride);
			}
		}
		for (int i = 0; i < finalizers.length; i++)
			if (rowWise[i])
				((RowConsumer) outputs.get(i).consumer()).acceptRow(vy, vz, rowBuffers[i]);
	}

	/** Hands on, in z order, every slab whose planes are all complete. */
	private void emitCompleteSlabs() {
		while (finalizers.length > 0 && nextSlab < slabData.length && slabPlanesLeft[nextSlab] == 0) {
			int slab = nextSlab++;
			int planes = planesOfSlab(slab);
			float[][] data = slabOutputs ? slabData(slab) : null;
			if (!eager)
				for (int vz = slab * slabPlanes; vz < slab * slabPlanes + planes; vz++)
					for (int vy = 0; vy < size[1]; vy++) {
						blendRow(vz + pad[2], vy + pad[1], data);
						releaseRow(vz + pad[2], vy + pad[1]);
					}
			slabData[slab] = null;
			long z = (long) slab * slabPlanes;
			for (int i = 0; i < finalizers.length; i++) {
				if (rowWise[i])
					continue;
				slabBytes -= 4L * size[0] * size[1] * planes * finalizers[i].channels(classes);
				if (dry)
					continue;
				int ch = finalizers[i].channels(classes);
				RandomAccessibleInterval<FloatType> image = ch == 1 ? ArrayImgs.floats(data[i], size[0], size[1], planes)
						: ArrayImgs.floats(data[i], size[0], size[1], planes, ch);
				data[i] = null;
				outputs.get(i).consumer()
						.accept(ch == 1 ? Views.translate(image, 0, 0, z) : Views.translate(image, 0, 0, z, 0));
			}
		}
	}

	private int planesOfSlab(int slab) {
		return Math.min(slabPlanes, size[2] - slab * slabPlanes);
	}

	private static SlabFinalizer[] finalizersOf(List<StitchOutput> outputs) {
		SlabFinalizer[] f = new SlabFinalizer[outputs.size()];
		for (int i = 0; i < f.length; i++)
			f[i] = outputs.get(i).finalizer();
		return f;
	}

	private static int[] toInts(long[] values) {
		int[] ints = new int[values.length];
		for (int i = 0; i < values.length; i++)
			ints[i] = Math.toIntExact(values[i]);
		return ints;
	}

	/** A finaliser that only knows its channel count and whether it ignores scale, for dry runs. */
	private record ChannelsOnly(int channels, boolean ignoresScale) implements SlabFinalizer {

		@Override
		public int channels(int classes) {
			return channels;
		}

		@Override
		public void apply(float[] blended, int offset, int classes, float[] out, int outIndex, int channelStride) {
			throw new UnsupportedOperationException("dry run");
		}
	}
}
