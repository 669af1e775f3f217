package org.volseg.tiling;

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
 * <p>Accumulation layout of a plane: {@code [y, x, class]} (class fastest), so that a window
 * output in {@link PatchPredictor} layout is read sequentially. Not thread-safe: one thread adds
 * windows (consumers are called on that thread).</p>
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
	private final float[][] sums;
	private final float[][] weightSums;
	/** Padded planes below this are finished and handed on (or dropped as padding). */
	private long finishedBelow;
	/** Padded planes below this have been zeroed for accumulation. */
	private long liveBelow;
	private boolean finished;

	/**
	 * @param plan the windows; its padded x * y plane must fit a Java array per class
	 * @param classes channels of every window output
	 * @param importance weights of a window's voxels; its size must be the plan's window size
	 * @param outputs what to produce from the blended values, each handed its slabs in z order
	 */
	public Stitcher(TilePlan plan, int classes, ImportanceMap importance, List<StitchOutput> outputs) {
		if (classes < 1)
			throw new IllegalArgumentException("classes must be at least 1, got " + classes);
		if (!java.util.Arrays.equals(importance.roi(), plan.roi()))
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
		Math.multiplyExact(Math.multiplyExact(px, py), classes);
		this.sums = new float[roi[2]][];
		this.weightSums = new float[roi[2]][];
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
		for (long z = liveBelow; z < z0 + roi[2]; z++)
			clearPlane(z);
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

	/** Accumulator planes allocated so far (at most the window's z size). */
	int allocatedPlanes() {
		int n = 0;
		for (float[] p : sums)
			if (p != null)
				n++;
		return n;
	}

	private void clearPlane(long z) {
		int slot = (int) (z % roi[2]);
		if (sums[slot] == null) {
			sums[slot] = new float[px * py * classes];
			weightSums[slot] = new float[px * py];
		} else {
			java.util.Arrays.fill(sums[slot], 0f);
			java.util.Arrays.fill(weightSums[slot], 0f);
		}
	}

	private void accumulate(int x0, int y0, long z0, float[] out, int offset) {
		int rx = roi[0], ry = roi[1], rz = roi[2], c = classes;
		int k = offset, wi = 0;
		float[][] planeSums = new float[rz][];
		float[][] planeWeights = new float[rz][];
		for (int z = 0; z < rz; z++) {
			int slot = (int) ((z0 + z) % rz);
			planeSums[z] = sums[slot];
			planeWeights[z] = weightSums[slot];
		}
		for (int x = 0; x < rx; x++)
			for (int y = 0; y < ry; y++) {
				int voxel = (y0 + y) * px + x0 + x;
				int base = voxel * c;
				for (int z = 0; z < rz; z++) {
					float w = weights[wi++];
					float[] s = planeSums[z];
					for (int j = 0; j < c; j++)
						s[base + j] += w * out[k++];
					planeWeights[z][voxel] += w;
				}
			}
	}

	/** Finalises padded planes [finishedBelow, z) that lie inside the volume, in slabs. */
	private void finishBelow(long z) {
		long from = Math.max(finishedBelow, pad[2]);
		long to = Math.min(z, pad[2] + size[2]);
		int sx = (int) size[0], sy = (int) size[1];
		for (StitchOutput o : outputs) {
			int ch = o.finalizer().channels(classes);
			long perPlane = (long) sx * sy * ch;
			int slabPlanes = (int) Math.max(1, Math.min(roi[2], SLAB_FLOATS / perPlane));
			for (long s = from; s < to; s += slabPlanes)
				emit(o, s, (int) Math.min(slabPlanes, to - s), ch);
		}
		finishedBelow = Math.max(finishedBelow, z);
	}

	private void emit(StitchOutput o, long firstPlane, int planes, int ch) {
		int sx = (int) size[0], sy = (int) size[1];
		int ox = (int) pad[0], oy = (int) pad[1];
		int stride = Math.multiplyExact(Math.multiplyExact(sx, sy), planes);
		float[] data = new float[Math.multiplyExact(stride, ch)];
		float[] voxel = new float[classes];
		SlabFinalizer f = o.finalizer();
		int i = 0;
		for (int zl = 0; zl < planes; zl++) {
			int slot = (int) ((firstPlane + zl) % roi[2]);
			float[] s = sums[slot], w = weightSums[slot];
			for (int y = 0; y < sy; y++)
				for (int x = 0; x < sx; x++, i++) {
					int v = (y + oy) * px + x + ox;
					float weight = w[v];
					int base = v * classes;
					for (int c = 0; c < classes; c++)
						voxel[c] = s[base + c] / weight;
					f.apply(voxel, 0, classes, data, i, stride);
				}
		}
		long z = firstPlane - pad[2];
		RandomAccessibleInterval<FloatType> slab = ch == 1 ? ArrayImgs.floats(data, sx, sy, planes)
				: ArrayImgs.floats(data, sx, sy, planes, ch);
		o.consumer().accept(ch == 1 ? Views.translate(slab, 0, 0, z) : Views.translate(slab, 0, 0, z, 0));
	}
}
