package org.volseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.volseg.VolSegException;
import org.volseg.tiling.SlabFinalizers;
import org.volseg.tiling.SlidingWindowSettings;
import org.volseg.tiling.StitchOutput;
import org.volseg.tiling.Stitcher;
import org.volseg.tiling.TilePlan;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.img.array.ArrayImgs;

/** The heap estimate a segmentation is checked against, and the message when it does not fit. */
class MemoryCheckTest {

	@Test
	void estimateCountsAccumulatorLabelsWholeVolumeOutputsAndBatchesInFlight() {
		// a 512 x 512 x 400 scan seen through a 1-voxel stand-in: only its dimensions matter
		Volume v = new Volume(ArrayImgs.floats(1, 1, 1), Geometry.identity());
		Volume big = new Volume(net.imglib2.view.Views.interval(net.imglib2.view.Views.extendZero(v.voxels()),
				new long[] { 0, 0, 0 }, new long[] { 511, 511, 399 }), Geometry.identity());
		SlidingWindowSettings w = SlidingWindowSettings.builder(96, 96, 96).overlap(0.5).build();
		long[] dims = { 512, 512, 400 };
		long stitcherWithLabels = Stitcher.heldBytes(TilePlan.of(dims, w, true), 14, 1);
		long stitcherWithLogits = Stitcher.heldBytes(TilePlan.of(dims, w, false), 14, 1, 14);
		long ring = 4L * 512 * 512 * 96 * 15; // what the stitcher held before it swept y within z-rows
		assertTrue(stitcherWithLabels < 0.7 * ring && stitcherWithLogits <= ring + 4L * 512 * 512 * 4 * 15);
		long labels = 4L * 512 * 512 * 400;
		long byteLabels = 512L * 512 * 400;
		long inFlight = 4L * 96 * 96 * 96 * (3 + 3 * 14);
		StitchOutput rowWiseLabels = new StitchOutput(SlabFinalizers.argmax(),
				new PlaneAssembler(dims, Geometry.identity(), 13));
		StitchOutput slabLabels = new StitchOutput(SlabFinalizers.argmax(), slab -> {});
		StitchOutput logits = new StitchOutput(SlabFinalizers.raw(), slab -> {});
		long rowWise = Stitcher.heldBytes(Stitcher.plan(dims, w, 14, List.of(rowWiseLabels)), 14, List.of(rowWiseLabels));
		// labels taken row by row are not held in float slabs, and argmax needs no summed weights: 14 sums per voxel remain
		assertEquals(Stitcher.accumulatorBytes(Stitcher.plan(dims, w, 14, List.of(rowWiseLabels)), 14) / 15 * 14, rowWise);
		assertTrue(rowWise < stitcherWithLabels - 4L * 512 * 512 * 48, rowWise + " vs " + stitcherWithLabels);
		assertEquals(rowWise + byteLabels + inFlight, MemoryCheck.neededBytes(big, w, 14, List.of(rowWiseLabels), 1));
		long slabWise = Stitcher.heldBytes(TilePlan.of(dims, w, true), 14, List.of(slabLabels));
		assertTrue(rowWise < slabWise && slabWise < stitcherWithLabels, slabWise + " vs " + stitcherWithLabels);
		assertEquals(slabWise + labels + inFlight, MemoryCheck.neededBytes(big, w, 14, List.of(slabLabels), 4));
		assertEquals(stitcherWithLogits + byteLabels + 14 * labels + inFlight,
				MemoryCheck.neededBytes(big, w, 14, List.of(rowWiseLabels, logits), 1));
		// logits assembled from rows (as the segmenter does): the sums are released row by row, no ring of planes
		List<StitchOutput> rowWiseBoth = List.of(rowWiseLabels,
				new StitchOutput(SlabFinalizers.raw(), new org.volseg.tiling.VolumeAssembler(dims, 14, Geometry.identity())));
		long bothRowWise = Stitcher.heldBytes(Stitcher.plan(dims, w, 14, rowWiseBoth), 14, rowWiseBoth);
		assertTrue(bothRowWise < 0.55 * stitcherWithLogits, bothRowWise + " vs " + stitcherWithLogits);
		assertEquals(bothRowWise + byteLabels + 14 * labels + inFlight, MemoryCheck.neededBytes(big, w, 14, rowWiseBoth, 1));
	}

	@Test
	void tooLittleHeapIsAClearErrorNotAnOutOfMemoryError() {
		VolSegException e = assertThrows(VolSegException.class, () -> MemoryCheck.requireHeap(1L << 50, "scan.nii.gz"));
		assertTrue(e.getMessage().startsWith("scan.nii.gz needs about") && e.getMessage().contains("VOLSEG_JAVA_OPTS=\"-Xmx"),
				e.getMessage());
		MemoryCheck.requireHeap(1 << 20, "small"); // fits
	}
}
