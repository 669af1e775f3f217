package org.volseg.tiling;

import org.volseg.runtime.PatchPredictor;

import java.util.Arrays;
import java.util.List;

/**
 * Blends window outputs into whole-volume outputs with bounded memory: the streaming stitcher.
 *
 * <p>Every window output is multiplied by the {@link ImportanceMap} and added to a running sum,
 * the weights to a running weight sum; a voxel's blended value is its sum divided by its summed
 * weights (MONAI's {@code sliding_window_inference}); the padding the plan added is cropped off.</p>
 *
 * <p>Streaming along z and y: the sums live in one array per padded row (plane {@code z}, row
 * {@code y}) of {@code x * (classes + 1)} values (sums and summed weights; {@code x * classes} if
 * every output's {@link Finalizer#ignoresScale() finaliser ignores scale}, as labels do), in the
 * plan's {@link TilePlan#sumPrecision() precision} (float32, or float16 at half the bytes), taken
 * when the first window writes the row. Every row knows how many windows of the plan write it; when
 * the last of them has been added the row is complete: it is finalised at once, handed to every
 * {@link StitchOutput} (a label map stores it straight into its byte planes, a
 * {@link VolumeAssembler} of logits where it belongs), and its array is zeroed and reused, so the
 * stitcher allocates rows only up to its peak. Windows may be added in any order, each once; the
 * result does not depend on it (up to float rounding), the memory does.</p>
 *
 * <p>Memory bound, in the plan's order ({@link TilePlanner} picks it and computes the peak,
 * {@link TilePlan#heldBytes()}; {@link #accumulatorBytes()} is what this stitcher really held).
 * z-slowest (z-row by z-row, within a z-row y-row by y-row, x fastest; the last two z-rows swept
 * together when they overlap by more than the scan interval): while a z-row sweeps y, only the
 * planes the next z-row also writes ({@code roi_z - interval_z}) are held whole, the planes only
 * this z-row writes in a band of about {@code roi_y} rows. With regular z starts the peak is exactly
 * {@code b f px ((roi_z - interval_z) py + interval_z roi_y)} bytes ({@code f} values per voxel
 * of {@code b} bytes, {@code px, py} the padded xy size). y-slowest swaps the roles of y and z, less when the volume
 * has fewer planes than rows. For 512 x 512 x 400, 14 classes, ROI 96, overlap 0.5, labels only:
 * 0.73 GB y-slowest in float32 (0.36 GB in float16), instead of 1.51 GB for a ring of {@code roi_z}
 * whole planes of float32 sums with weights.</p>
 *
 * <p>Not thread-safe: one thread adds windows (outputs are called on that thread).</p>
 */
final class Stitcher {

	private final TilePlan plan;
	private final int classes;
	private final float[] weights;
	private final StitchOutput[] outputs;
	private final Finalizer[] finalizers;
	private final int[] roi;
	private final int px;
	private final int[] pad;
	private final int[] size;
	/** Rows hold {@code px * classes} sums ({@code [x, class]}), then {@code px} summed weights if {@link #weighted}. */
	private final SumRows sums;
	/** Rows end with the summed weights and values are divided by them; not if every output ignores scale. */
	private final boolean weighted;
	/** Per padded plane and row: the slot of its sums, or {@link #NONE} before the first window writing it and after it is finalised. */
	private final int[][] slots;
	private static final int NONE = -1;
	/** Per padded plane and row: windows still to write it. */
	private final int[][] windowsLeft;
	private final boolean[] added;
	private int windowsAdded;
	/** Per output: the finished row handed to it. */
	private final float[][] rowBuffers;
	private final float[] voxel;
	private final float[] scratch;
	/** The slots of the rows of the window being added. */
	private final int[] windowSlots;
	private boolean finished;

	/**
	 * @param plan the windows
	 * @param classes channels of every window output
	 * @param importance weights of a window's voxels; its size must be the plan's window size
	 * @param outputs what to produce from the blended values; each gets every finished row once
	 */
	Stitcher(TilePlan plan, int classes, ImportanceMap importance, List<? extends StitchOutput> outputs) {
		if (classes < 1)
			throw new IllegalArgumentException("classes must be at least 1, got " + classes);
		if (!Arrays.equals(importance.roi(), plan.roi()))
			throw new IllegalArgumentException("importance map and plan have different window sizes");
		this.plan = plan;
		this.classes = classes;
		this.weights = importance.weights();
		this.outputs = outputs.toArray(new StitchOutput[0]);
		this.finalizers = new Finalizer[this.outputs.length];
		this.roi = plan.roi();
		long[] padded = plan.paddedSize();
		this.px = Math.toIntExact(padded[0]);
		this.pad = toInts(plan.padBefore());
		this.size = toInts(plan.imageSize());
		int floats = TilePlanner.valuesPerVoxel(classes, outputs);
		this.weighted = floats > classes;
		this.sums = SumRows.of(plan.sumPrecision(), Math.multiplyExact(px, floats));
		this.slots = new int[Math.toIntExact(padded[2])][Math.toIntExact(padded[1])];
		for (int[] plane : slots)
			Arrays.fill(plane, NONE);
		this.windowsLeft = plan.windowsPerRow();
		this.added = new boolean[plan.windowCount()];
		this.rowBuffers = new float[this.outputs.length][];
		for (int i = 0; i < finalizers.length; i++) {
			finalizers[i] = this.outputs[i].finalizer();
			rowBuffers[i] = new float[size[0] * finalizers[i].channels(classes)];
		}
		this.voxel = new float[classes];
		this.scratch = new float[classes];
		this.windowSlots = new int[roi[1] * roi[2]];
	}

	/**
	 * Adds one window's output.
	 *
	 * @param window index of the window in the plan
	 * @param output the window's output in {@link PatchPredictor} layout: {@code roi_x * roi_y * roi_z * classes}
	 *        floats from {@code offset}, class fastest; read during the call only
	 * @throws IllegalStateException if the window was added before, or after {@link #finish()}
	 */
	void add(int window, float[] output, int offset) {
		if (finished)
			throw new IllegalStateException("stitcher already finished");
		int x0 = (int) plan.windowStart(window, 0), y0 = (int) plan.windowStart(window, 1);
		int z0 = (int) plan.windowStart(window, 2);
		if (added[window])
			throw new IllegalStateException("window " + window + " was already added");
		added[window] = true;
		windowsAdded++;
		accumulate(x0, takeRows(y0, z0), output, offset);
		for (int z = z0; z < z0 + roi[2]; z++)
			for (int y = y0; y < y0 + roi[1]; y++)
				if (--windowsLeft[z][y] == 0)
					completeRow(z, y);
	}

	/**
	 * Checks that every window was added, and so every row handed on. Call once, after the last window.
	 *
	 * @throws IllegalStateException if windows are missing
	 */
	void finish() {
		if (finished)
			return;
		if (windowsAdded < plan.windowCount())
			throw new IllegalStateException("only " + windowsAdded + " of " + plan.windowCount()
					+ " windows were added: rows are missing");
		finished = true;
	}

	/** Peak bytes of sums and weights held so far (equals {@link TilePlan#heldBytes()} of a planned plan, windows in order). */
	long accumulatorBytes() {
		return sums.peakBytes();
	}

	/** The slots of the rows window {@code (y0, z0)} writes, {@code [y * roi_z + z]}, taken if not live yet; the array is reused by the next call. */
	private int[] takeRows(int y0, int z0) {
		int ry = roi[1], rz = roi[2];
		for (int y = 0; y < ry; y++)
			for (int z = 0; z < rz; z++) {
				int slot = slots[z0 + z][y0 + y];
				if (slot == NONE) {
					slot = sums.take();
					slots[z0 + z][y0 + y] = slot;
				}
				windowSlots[y * rz + z] = slot;
			}
		return windowSlots;
	}

	/**
	 * Adds the weighted window output; {@code windowSlots[y * roi_z + z]} are the rows it writes.
	 * Row by row, so that each row is written in one contiguous run; the output is read as
	 * {@code roi_x} sequential streams.
	 */
	private void accumulate(int x0, int[] windowSlots, float[] out, int offset) {
		int rx = roi[0], ryz = roi[1] * roi[2];
		int c = classes;
		int weightBase = px * c;
		int perX = ryz * c;
		for (int yz = 0; yz < ryz; yz++) {
			int slot = windowSlots[yz];
			int k = offset + yz * c;
			for (int x = 0; x < rx; x++, k += perX) {
				float weight = weights[x * ryz + yz];
				if (weighted)
					sums.add(slot, weightBase + x0 + x, weight);
				sums.addWeighted(slot, (x0 + x) * c, out, k, c, weight);
			}
		}
	}

	/** A row no window writes any more: finalised and handed on if inside the volume, then released. */
	private void completeRow(int z, int y) {
		int vz = z - pad[2], vy = y - pad[1];
		int slot = slots[z][y];
		if (outputs.length > 0 && vz >= 0 && vz < size[2] && vy >= 0 && vy < size[1])
			blendRow(slot, vy, vz);
		sums.release(slot);
		slots[z][y] = NONE;
	}

	/** Blends the sums of a padded row that lies inside the volume and hands it to every output. */
	private void blendRow(int slot, int vy, int vz) {
		int sx = size[0];
		int weightBase = px * classes;
		for (int x = 0; x < sx; x++) {
			int px0 = x + pad[0];
			int base = px0 * classes;
			sums.read(slot, base, voxel, classes);
			if (weighted) {
				float weight = sums.get(slot, weightBase + px0);
				for (int c = 0; c < classes; c++)
					voxel[c] /= weight;
			}
			for (int i = 0; i < finalizers.length; i++) {
				float[] v = voxel;
				if (finalizers.length > 1) { // finalisers may overwrite their input
					System.arraycopy(voxel, 0, scratch, 0, classes);
					v = scratch;
				}
				finalizers[i].apply(v, 0, classes, rowBuffers[i], x, sx);
			}
		}
		for (int i = 0; i < outputs.length; i++)
			outputs[i].acceptRow(vy, vz, rowBuffers[i]);
	}

	private static int[] toInts(long[] values) {
		int[] ints = new int[values.length];
		for (int i = 0; i < values.length; i++)
			ints[i] = Math.toIntExact(values[i]);
		return ints;
	}
}
