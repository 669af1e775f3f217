package org.volseg.tiling;

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
 * weights (MONAI's {@code sliding_window_inference}); the padding the plan added is cropped off.
 * Windows must be added in the plan's order, or at least in non-decreasing z start: once a
 * window starting at plane {@code z} arrives, no later window writes below {@code z}, so those
 * planes are finished. They are finalised by each output's {@link SlabFinalizer} and handed to its
 * {@link SlabConsumer}, and their memory is reused.</p>
 *
 * <p>Memory: the sums live in a ring of {@code roi_z} padded xy planes of {@code classes} floats
 * plus one float of weight per voxel; that is, one slab of windows, never the whole multi-class
 * volume. Finished planes are handed on in slabs of at most about {@value #SLAB_FLOATS} floats
 * per output (at least one plane).</p>
 *
 * <p>Accumulation layout: one array per padded x, {@code [y, z mod roi_z, class]} (class fastest).
 * A window spans exactly {@code roi_z} planes, so for every (x, y) it writes each ring slot once,
 * in at most two contiguous runs, and its output (in {@link PatchPredictor} layout) is read
 * sequentially. Not thread-safe: one thread adds windows (consumers are called on that
 * thread).</p>
 */
public final class Stitcher {

	/** Upper bound (about 64 MB) on the floats of one slab handed to a consumer, unless one plane is larger. */
	static final int SLAB_FLOATS = 16 << 20;

	private final TilePlan plan;
	private final int classes;
	private final float[] weights;
	private final List<StitchOutput> outputs;
	private final int[] roi;
	private final int px, py;
	private final long pz;
	private final long[] pad;
	private final long[] size;
	/** Per padded x: sums {@code [y, slot, class]}. */
	private final float[][] sums;
	/** Per padded x: summed weights {@code [y, slot]}. */
	private final float[][] weightSums;
	/** Padded planes below this are finished and handed on (or dropped as padding). */
	private long finishedBelow;
	/** Padded planes below this have received windows. */
	private long liveBelow;
	private boolean finished;

	/**
	 * @param plan the windows
	 * @param classes channels of every window output
	 * @param importance weights of a window's voxels; its size must be the plan's window size
	 * @param outputs what to produce from the blended values, each handed its slabs in z order
	 */
	public Stitcher(TilePlan plan, int classes, ImportanceMap importance, List<StitchOutput> outputs) {
		if (classes < 1)
			throw new IllegalArgumentException("classes must be at least 1, got " + classes);
		if (!Arrays.equals(importance.roi(), plan.roi()))
			throw new IllegalArgumentException("importance map and plan have different window sizes");
		this.plan = plan;
		this.classes = classes;
		this.weights = importance.weights();
		this.outputs = List.copyOf(outputs);
		this.roi = plan.roi();
		long[] padded = plan.paddedSize();
		this.px = Math.toIntExact(padded[0]);
		this.py = Math.toIntExact(padded[1]);
		this.pz = padded[2];
		this.pad = plan.padBefore();
		this.size = plan.imageSize();
		int column = Math.multiplyExact(Math.multiplyExact(py, roi[2]), classes);
		this.sums = new float[px][column];
		this.weightSums = new float[px][py * roi[2]];
	}

	/**
	 * Adds one window's output.
	 *
	 * @param window index of the window in the plan
	 * @param output the window's output in {@link PatchPredictor} layout: {@code roi_x * roi_y * roi_z * classes}
	 *        floats from {@code offset}, class fastest; read during the call only
	 * @throws IllegalStateException if the window starts below a plane already finished, or after {@link #finish()}
	 */
	public void add(int window, float[] output, int offset) {
		if (finished)
			throw new IllegalStateException("stitcher already finished");
		long x0 = plan.windowStart(window, 0), y0 = plan.windowStart(window, 1), z0 = plan.windowStart(window, 2);
		if (z0 < finishedBelow)
			throw new IllegalStateException("window " + window + " starts at z " + z0 + ", below the finished planes (< "
					+ finishedBelow + "): add windows in plan order");
		if (z0 > liveBelow)
			throw new IllegalStateException("planes " + liveBelow + " to " + (z0 - 1) + " are covered by no window");
		finishBelow(z0);
		liveBelow = Math.max(liveBelow, z0 + roi[2]);
		accumulate((int) x0, (int) y0, z0, output, offset);
	}

	/** Finalises and hands on every plane not yet handed on. Call once, after the last window. */
	public void finish() {
		if (finished)
			return;
		if (liveBelow < pz)
			throw new IllegalStateException("planes from z " + liveBelow + " were never covered by a window");
		finishBelow(pz);
		finished = true;
	}

	/** Accumulator bytes held (the ring of {@code roi_z} padded planes). */
	long accumulatorBytes() {
		return 4L * px * ((long) sums[0].length + weightSums[0].length);
	}

	private void accumulate(int x0, int y0, long z0, float[] out, int offset) {
		int rx = roi[0], ry = roi[1], rz = roi[2];
		int slot0 = (int) (z0 % rz);
		int beforeWrap = rz - slot0;
		int k = offset;
		for (int x = 0; x < rx; x++) {
			float[] s = sums[x0 + x];
			float[] w = weightSums[x0 + x];
			for (int y = 0; y < ry; y++) {
				int row = (y0 + y) * rz;
				int wi = (x * ry + y) * rz;
				k = accumulateRun(s, w, row + slot0, wi, beforeWrap, out, k);
				k = accumulateRun(s, w, row, wi + beforeWrap, slot0, out, k);
			}
		}
	}

	/** Adds {@code count} voxels of a window column: weights from {@code wi}, ring slots from {@code slotIndex}. */
	private int accumulateRun(float[] s, float[] w, int slotIndex, int wi, int count, float[] out, int k) {
		int c = classes;
		for (int i = 0; i < count; i++) {
			float weight = weights[wi + i];
			w[slotIndex + i] += weight;
			int base = (slotIndex + i) * c;
			for (int j = 0; j < c; j++)
				s[base + j] += weight * out[k++];
		}
		return k;
	}

	/** Finalises padded planes [finishedBelow, z): hands on those inside the volume, then clears their slots. */
	private void finishBelow(long z) {
		long from = Math.max(finishedBelow, pad[2]);
		long to = Math.min(z, pad[2] + size[2]);
		if (from < to && !outputs.isEmpty()) {
			long perPlane = size[0] * size[1];
			for (StitchOutput o : outputs)
				perPlane = Math.max(perPlane, size[0] * size[1] * o.finalizer().channels(classes));
			int slabPlanes = (int) Math.max(1, Math.min(roi[2], SLAB_FLOATS / perPlane));
			for (long s = from; s < to; s += slabPlanes)
				emit(s, (int) Math.min(slabPlanes, to - s));
		}
		if (z > finishedBelow)
			clear(finishedBelow, z);
		finishedBelow = Math.max(finishedBelow, z);
	}

	/** Blends planes [firstPlane, firstPlane + planes) once and applies every output's finaliser. */
	private void emit(long firstPlane, int planes) {
		int sx = (int) size[0], sy = (int) size[1];
		int ox = (int) pad[0], oy = (int) pad[1];
		int rz = roi[2];
		int stride = Math.multiplyExact(Math.multiplyExact(sx, sy), planes);
		int n = outputs.size();
		float[][] data = new float[n][];
		SlabFinalizer[] finalizers = new SlabFinalizer[n];
		for (int i = 0; i < n; i++) {
			finalizers[i] = outputs.get(i).finalizer();
			data[i] = new float[Math.multiplyExact(stride, finalizers[i].channels(classes))];
		}
		float[] voxel = new float[classes];
		float[] scratch = new float[classes];
		int[] slots = new int[planes];
		for (int zl = 0; zl < planes; zl++)
			slots[zl] = (int) ((firstPlane + zl) % rz);
		// blocks of 16 x (one cache line of output) keep both the reads and the writes local
		for (int xb = 0; xb < sx; xb += 16) {
			int xe = Math.min(sx, xb + 16);
			for (int y = 0; y < sy; y++)
				for (int zl = 0; zl < planes; zl++) {
					int index = (y + oy) * rz + slots[zl];
					int outIndex = (zl * sy + y) * sx;
					for (int x = xb; x < xe; x++) {
						float[] s = sums[x + ox];
						float weight = weightSums[x + ox][index];
						int base = index * classes;
						for (int c = 0; c < classes; c++)
							voxel[c] = s[base + c] / weight;
						for (int i = 0; i < n; i++) {
							float[] v = voxel;
							if (n > 1) { // finalisers may overwrite their input
								System.arraycopy(voxel, 0, scratch, 0, classes);
								v = scratch;
							}
							finalizers[i].apply(v, 0, classes, data[i], outIndex + x, stride);
						}
					}
				}
		}
		long z = firstPlane - pad[2];
		for (int i = 0; i < n; i++) {
			int ch = finalizers[i].channels(classes);
			RandomAccessibleInterval<FloatType> slab = ch == 1 ? ArrayImgs.floats(data[i], sx, sy, planes)
					: ArrayImgs.floats(data[i], sx, sy, planes, ch);
			outputs.get(i).consumer()
					.accept(ch == 1 ? Views.translate(slab, 0, 0, z) : Views.translate(slab, 0, 0, z, 0));
			data[i] = null;
		}
	}

	/** Zeroes the ring slots of padded planes [from, to) (at most roi_z planes), ready for reuse. */
	private void clear(long from, long to) {
		int rz = roi[2];
		int first = (int) (from % rz);
		int count = (int) (to - from);
		int beforeWrap = Math.min(count, rz - first);
		int afterWrap = count - beforeWrap;
		for (int x = 0; x < px; x++) {
			float[] s = sums[x], w = weightSums[x];
			for (int y = 0; y < py; y++) {
				int row = y * rz;
				Arrays.fill(w, row + first, row + first + beforeWrap, 0f);
				Arrays.fill(s, (row + first) * classes, (row + first + beforeWrap) * classes, 0f);
				if (afterWrap > 0) {
					Arrays.fill(w, row, row + afterWrap, 0f);
					Arrays.fill(s, row * classes, (row + afterWrap) * classes, 0f);
				}
			}
		}
	}
}
