package org.volseg.tiling;

import java.util.Objects;

/**
 * One output of a stitcher: how voxels are finalised, and who receives the finished slabs.
 *
 * @param finalizer raw logits, probabilities, labels, masks: see {@link SlabFinalizers}
 * @param consumer receives the slabs in z order
 */
public record StitchOutput(SlabFinalizer finalizer, SlabConsumer consumer) {

	public StitchOutput {
		Objects.requireNonNull(finalizer, "finalizer");
		Objects.requireNonNull(consumer, "consumer");
	}
}
