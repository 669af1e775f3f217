package org.volseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.tiling.DiskVolumeAssembler;
import org.volseg.tiling.StitchOutput;
import java.io.IOException;
import java.nio.file.Path;
import org.volseg.VolSegException;
import org.volseg.tiling.Finalizer;
import org.volseg.tiling.SlidingWindowSettings;
import org.volseg.tiling.SumPrecision;
import org.volseg.tiling.TilePlan;
import org.volseg.tiling.TilePlanner;
import org.volseg.tiling.VolumeAssembler;
import org.volseg.volume.Geometry;

/** The heap estimate a segmentation is checked against, and the message when it does not fit. */
class MemoryCheckTest {

	/**
	 * The estimate is the given plan's {@link TilePlan#heldBytes()} (nothing planned again), plus the
	 * label map, the whole-volume outputs and the batches in flight: for the issue-6 case 0.73 GB of
	 * sums with labels alone (y-rows outermost, no summed weights), 0.78 GB with logits as well.
	 */
	@Test
	void estimateIsThePlansHeldBytesPlusLabelsWholeVolumeOutputsAndBatchesInFlight() {
		SlidingWindowSettings w = SlidingWindowSettings.builder(96, 96, 96).overlap(0.5).build();
		long[] dims = { 512, 512, 400 };
		long ring = 4L * 512 * 512 * 96 * 15; // what the stitcher held before it swept y within z-rows
		long floatLabels = 4L * 512 * 512 * 400;
		long byteLabels = 512L * 512 * 400;
		long inFlight = 4L * 96 * 96 * 96 * (3 + 3 * 14);
		VolumeAssembler labels = VolumeAssembler.labels(Finalizer.argmax(), 14, dims, Geometry.identity(), 13);
		VolumeAssembler logits = VolumeAssembler.floats(Finalizer.raw(), 14, dims, Geometry.identity());
		List<VolumeAssembler> labelsOnly = List.of(labels);
		List<VolumeAssembler> both = List.of(labels, logits);
		TilePlan labelsPlan = TilePlanner.plan(dims, w, 14, labelsOnly);
		TilePlan labelsFloat32 = TilePlanner.plan(dims, w.toBuilder().sumPrecision(SumPrecision.FLOAT32).build(), 14,
				labelsOnly);
		TilePlan bothPlan = TilePlanner.plan(dims, w.toBuilder().sumPrecision(SumPrecision.FLOAT32).build(), 14, both);
		assertEquals(TilePlan.Order.Y_SLOWEST_LAST_PAIRED, labelsPlan.order());
		assertEquals(0.73, labelsFloat32.heldBytes() / 1e9, 0.005, labelsFloat32::toString);
		// labels alone: float16 sums by default, half the bytes
		assertEquals(labelsFloat32.heldBytes() / 2, labelsPlan.heldBytes());
		assertEquals(0.78, bothPlan.heldBytes() / 1e9, 0.005, bothPlan::toString);
		// the same rows with a summed weight per voxel: 15 floats instead of 14
		assertEquals(bothPlan.heldBytes() / 15 * 14, labelsFloat32.heldBytes());
		assertTrue(labelsFloat32.heldBytes() < 0.5 * ring);

		assertEquals(labelsPlan.heldBytes() + byteLabels + inFlight, MemoryCheck.neededBytes(labelsPlan, 1, 14, labelsOnly, 1));
		assertEquals(labelsPlan.heldBytes() + floatLabels + inFlight, MemoryCheck.neededBytes(labelsPlan, 1, 14, labelsOnly, 4));
		assertEquals(bothPlan.heldBytes() + byteLabels + 14 * floatLabels + inFlight,
				MemoryCheck.neededBytes(bothPlan, 1, 14, both, 1));
		// computed from the plan it is given: another plan of the same volume changes it by exactly its held bytes
		assertEquals(bothPlan.heldBytes() - labelsPlan.heldBytes(),
				MemoryCheck.neededBytes(bothPlan, 1, 14, labelsOnly, 1) - MemoryCheck.neededBytes(labelsPlan, 1, 14, labelsOnly, 1));
		// a plan that was not made by the planner has no memory figure: the check cannot silently plan again
		assertThrows(IllegalStateException.class, () -> MemoryCheck.neededBytes(
				org.volseg.tiling.TilePlanTestAccess.unplanned(dims, w), 1, 14, labelsOnly, 1));
	}

	/** Logits or probabilities kept on disk ({@link DiskVolumeAssembler}) take no heap in the estimate; in memory 5.9 GB. */
	@Test
	void wholeVolumeOutputsOnDiskAreNotCounted(@TempDir Path dir) throws IOException {
		SlidingWindowSettings w = SlidingWindowSettings.builder(96, 96, 96).overlap(0.5).build();
		long[] dims = { 512, 512, 400 };
		VolumeAssembler labels = VolumeAssembler.labels(Finalizer.argmax(), 14, dims, Geometry.identity(), 13);
		try (DiskVolumeAssembler onDisk = DiskVolumeAssembler.floats(Finalizer.softmax(), 14, dims, Geometry.identity(), dir)) {
			VolumeAssembler inMemory = VolumeAssembler.floats(Finalizer.softmax(), 14, dims, Geometry.identity());
			List<StitchOutput> disk = List.of(labels, onDisk), memory = List.of(labels, inMemory);
			TilePlan plan = TilePlanner.plan(dims, w, 14, disk);
			assertEquals(plan.heldBytes(), TilePlanner.plan(dims, w, 14, memory).heldBytes());
			long labelsOnly = MemoryCheck.neededBytes(plan, 1, 14, List.of(labels), 1);
			assertEquals(labelsOnly, MemoryCheck.neededBytes(plan, 1, 14, disk, 1));
			assertEquals(labelsOnly + 4L * 14 * 512 * 512 * 400, MemoryCheck.neededBytes(plan, 1, 14, memory, 1));
			assertTrue(MemoryCheck.neededBytes(plan, 1, 14, disk, 1) < 1.2e9, "under 1.2 GB with probabilities on disk");
		}
	}

	@Test
	void tooLittleHeapIsAClearErrorNotAnOutOfMemoryError() {
		VolSegException e = assertThrows(VolSegException.class, () -> MemoryCheck.requireHeap(1L << 50, "scan.nii.gz"));
		assertTrue(e.getMessage().startsWith("scan.nii.gz needs about") && e.getMessage().contains("VOLSEG_JAVA_OPTS=\"-Xmx"),
				e.getMessage());
		MemoryCheck.requireHeap(1 << 20, "small"); // fits
	}
}
