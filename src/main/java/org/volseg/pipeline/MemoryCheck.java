package org.volseg.pipeline;

import java.util.List;
import java.util.Locale;

import org.volseg.VolSegException;
import org.volseg.tiling.StitchOutput;
import org.volseg.tiling.TilePlan;
import org.volseg.tiling.TilePlanner;
import org.volseg.tiling.VolumeAssembler;

/**
 * Refuses, before the inference starts, a segmentation whose Java arrays cannot fit in the heap,
 * with a message that says how much is needed and what to do, instead of an
 * {@link OutOfMemoryError} minutes later. Counts what the stitcher holds (the sums of the rows live
 * at its peak, {@link TilePlan#heldBytes()} of the plan the inference will run), the label map, the optional whole-volume logits and
 * probabilities when they are kept in memory (large ones are kept on disk, see {@code FloatOutputs}), and a few batches of window inputs and outputs in flight; TensorFlow's own memory
 * is outside the Java heap and not counted. Stateless.
 */
final class MemoryCheck {

	private MemoryCheck() {
	}

	/**
	 * Bytes of Java heap the inference and its outputs need for this volume on the model grid.
	 *
	 * @param plan the plan the inference will run ({@link TilePlanner}): the stitcher holds its
	 *        {@link TilePlan#heldBytes()}
	 * @param inputChannels channels of the volume on the model grid
	 * @param outputs what the stitcher produces: the first is the label map; the others (logits,
	 *        probabilities) count as whole volumes of floats if they are {@link VolumeAssembler}s, and
	 *        not at all if they are kept on disk ({@code DiskVolumeAssembler}, a few MB of buffers)
	 * @param labelBytes bytes per voxel of the label map (1, 2 or 4, see {@link VolumeAssembler#bytesPerVoxel()})
	 */
	static long neededBytes(TilePlan plan, long inputChannels, int classes, List<? extends StitchOutput> outputs,
			int labelBytes) {
		int[] roi = plan.roi();
		long[] size = plan.imageSize();
		long voxels = size[0] * size[1] * size[2];
		long windowVoxels = (long) roi[0] * roi[1] * roi[2] * plan.batchSize();
		long inFlight = 4L * windowVoxels * (3L * inputChannels + 3L * classes);
		long wholeOutputs = 0;
		for (int i = 1; i < outputs.size(); i++)
			if (outputs.get(i) instanceof VolumeAssembler) // others keep theirs on disk (DiskVolumeAssembler)
				wholeOutputs += 4L * voxels * outputs.get(i).finalizer().channels(classes);
		return plan.heldBytes() + (long) labelBytes * voxels + wholeOutputs + inFlight;
	}

	/**
	 * @throws VolSegException if {@code needed} bytes exceed the heap that is free (after one
	 *         garbage collection, tried only when the first look says it does not fit)
	 */
	static void requireHeap(long needed, String what) {
		Runtime rt = Runtime.getRuntime();
		if (needed <= free(rt))
			return;
		System.gc();
		long free = free(rt);
		if (needed <= free)
			return;
		throw new VolSegException(String.format(Locale.ROOT,
				"%s needs about %.1f GB of Java heap for the sliding window and its outputs, but only %.1f GB of the "
						+ "%.1f GB maximum are free: give Java more memory (volseg: VOLSEG_JAVA_OPTS=\"-Xmx%dg -Xmn64m\"; Fiji: "
						+ "Edit > Options > Memory & Threads), drop --save-logits / --save-probabilities, or use a "
						+ "smaller --roi",
				what, needed / 1e9, free / 1e9, rt.maxMemory() / 1e9,
				(long) Math.ceil((rt.maxMemory() - free + needed) * 1.3 / (1L << 30))));
	}

	private static long free(Runtime rt) {
		return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
	}
}
