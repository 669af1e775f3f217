package org.volseg.tiling;

import java.util.OptionalDouble;

import org.volseg.runtime.PatchPredictor;

import net.imglib2.FinalInterval;
import net.imglib2.RandomAccessible;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.blocks.PrimitiveBlocks;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.volseg.volume.FloatBlocks;
import org.volseg.volume.StoredBlocks;
import org.volseg.volume.StoredVoxels;
import org.volseg.volume.Volume;

/**
 * Copies the windows of a {@link TilePlan} out of a {@link Volume} into {@link PatchPredictor}
 * input buffers ({@code [batch, x, y, z, channel]} row-major, channel fastest), padding the volume
 * as the settings' {@link Padding} says where the plan pads it.
 *
 * <p>Bulk copies go through ImgLib2's {@link PrimitiveBlocks} on an extended, translated and
 * permuted view {@code (channel, z, y, x)} of the voxels, whose flattening order is exactly the
 * predictor layout. Array and cell images take PrimitiveBlocks' fast path; other views fall back to
 * its slower generic copy. Integers kept as stored ({@link StoredVoxels}) are copied as integers and
 * decoded ({@link StoredBlocks}). Not thread-safe: one extractor per thread.</p>
 */
final class PatchExtractor {

	private final TilePlan plan;
	private final int channels;
	private final int[] roi;
	private final int patchLength;
	private final FloatBlocks blocks;
	private final int[] blockSize;
	private final boolean fourD;
	private float[] scratch;

	/**
	 * @param volume the voxels (x, y, z[, channel]), read while extracting; its size must be the plan's image size
	 * @param plan the windows
	 * @param padding how voxels outside the volume are filled
	 */
	public PatchExtractor(Volume volume, TilePlan plan, Padding padding) {
		long[] size = plan.imageSize();
		for (int d = 0; d < 3; d++)
			if (volume.dimension(d) != size[d])
				throw new IllegalArgumentException("volume " + volume + " does not have the plan's size");
		this.plan = plan;
		this.roi = plan.roi();
		this.channels = Math.toIntExact(volume.channels());
		this.patchLength = Math.multiplyExact(Math.multiplyExact(Math.multiplyExact(roi[0], roi[1]), roi[2]), channels);
		this.fourD = volume.voxels().numDimensions() == 4;
		FloatBlocks stored = volume.voxels() instanceof StoredVoxels<?> s ? storedBlocks(s, plan, padding) : null;
		this.blocks = stored != null ? stored
				: FloatBlocks.of(PrimitiveBlocks.of(orderedView(volume, plan, padding), PrimitiveBlocks.OnFallback.ACCEPT));
		this.blockSize = fourD ? new int[] { channels, roi[2], roi[1], roi[0] } : new int[] { roi[2], roi[1], roi[0] };
	}

	/**
	 * The padded volume in padded coordinates with axes reversed, {@code (channel, z, y, x)} (or
	 * {@code (z, y, x)}): its flattening order (first axis fastest) is the predictor layout.
	 */
	static RandomAccessible<FloatType> orderedView(Volume volume, TilePlan plan, Padding padding) {
		RandomAccessibleInterval<FloatType> voxels = volume.voxels();
		RandomAccessible<FloatType> extended = voxels instanceof StoredVoxels<?> stored ? extendStoredAsFloats(stored, padding)
				: extend(voxels, padding);
		return ordered(extended, plan, voxels.numDimensions());
	}

	/**
	 * Windows of integers kept as stored, copied as integers and decoded in bulk ({@link StoredBlocks}),
	 * or null when they cannot be (a constant the stored type cannot hold, a type StoredBlocks does not
	 * decode).
	 */
	private static <T extends RealType<T>> StoredBlocks storedBlocks(StoredVoxels<T> voxels, TilePlan plan, Padding padding) {
		RandomAccessible<T> extended = extendStored(voxels, padding);
		return extended == null ? null : StoredBlocks.of(voxels, ordered(extended, plan, voxels.numDimensions()));
	}

	/** The extended volume in padded coordinates with axes reversed (see {@link #orderedView}). */
	private static <T> RandomAccessible<T> ordered(RandomAccessible<T> extended, TilePlan plan, int dimensions) {
		long[] shift = new long[dimensions];
		System.arraycopy(plan.padBefore(), 0, shift, 0, 3);
		RandomAccessible<T> padded = Views.translate(extended, shift);
		return dimensions == 4
				? Views.permute(Views.permute(padded, 0, 3), 1, 2) // (c, z, y, x)
				: Views.permute(padded, 0, 2); // (z, y, x)
	}

	/**
	 * Extends integers kept as stored before they become floats, so that the block copy stays on its
	 * fast path (ImgLib2 copies fast only when no converter comes before an extension). A constant
	 * the stored type cannot hold exactly is padded after the conversion (correct, but slower).
	 */
	private static <T extends RealType<T>> RandomAccessible<FloatType> extendStoredAsFloats(StoredVoxels<T> voxels,
			Padding padding) {
		RandomAccessible<T> extended = extendStored(voxels, padding);
		return extended == null ? extend(voxels, padding) : voxels.asFloats(extended);
	}

	/** The stored integers extended as {@code padding} says, or null for a constant they cannot hold exactly. */
	private static <T extends RealType<T>> RandomAccessible<T> extendStored(StoredVoxels<T> voxels, Padding padding) {
		RandomAccessibleInterval<T> stored = voxels.stored();
		switch (padding.kind()) {
		case CONSTANT: {
			OptionalDouble value = voxels.storedValueOf(padding.value());
			if (value.isEmpty())
				return null;
			T outside = stored.getType().createVariable();
			outside.setReal(value.getAsDouble());
			return Views.extendValue(stored, outside);
		}
		case EDGE:
			return Views.extendBorder(stored);
		case REFLECT:
			return Views.extendMirrorSingle(widenSingletons(stored));
		default:
			throw new AssertionError(padding);
		}
	}

	private static RandomAccessible<FloatType> extend(RandomAccessibleInterval<FloatType> voxels, Padding padding) {
		switch (padding.kind()) {
		case CONSTANT:
			return Views.extendValue(voxels, padding.value());
		case EDGE:
			return Views.extendBorder(voxels);
		case REFLECT:
			return Views.extendMirrorSingle(widenSingletons(voxels));
		default:
			throw new AssertionError(padding);
		}
	}

	/**
	 * Reflecting an axis of one voxel gives that voxel everywhere, but a mirror of period 0 is
	 * undefined (ImgLib2's block copier divides by it): such axes are widened to two equal voxels
	 * first, which mirrors to the same values. Other axes are left alone.
	 */
	private static <T> RandomAccessibleInterval<T> widenSingletons(RandomAccessibleInterval<T> voxels) {
		long[] max = voxels.maxAsLongArray();
		boolean any = false;
		for (int d = 0; d < max.length; d++)
			if (voxels.dimension(d) == 1) {
				max[d] = 1;
				any = true;
			}
		return any ? Views.interval(Views.extendBorder(voxels), new FinalInterval(voxels.minAsLongArray(), max)) : voxels;
	}

	/** Floats of one patch: {@code roi_x * roi_y * roi_z * channels}. */
	public int patchLength() {
		return patchLength;
	}

	/** Channels of the volume (1 for a 3D volume). */
	public int channels() {
		return channels;
	}

	/**
	 * Copies one window into {@code dest} at {@code offset} in the predictor layout.
	 *
	 * @param window window index in the plan
	 * @param dest at least {@code offset + patchLength()} floats
	 */
	public void extract(int window, float[] dest, int offset) {
		long[] start = plan.windowStart(window);
		long[] min = fourD ? new long[] { 0, start[2], start[1], start[0] } : new long[] { start[2], start[1], start[0] };
		if (offset == 0) {
			blocks.copy(min, dest, blockSize);
			return;
		}
		if (scratch == null)
			scratch = new float[patchLength];
		blocks.copy(min, scratch, blockSize);
		System.arraycopy(scratch, 0, dest, offset, patchLength);
	}

	/**
	 * A new buffer holding the windows {@code from} (inclusive) to {@code to} (exclusive), one patch
	 * after the other, ready for {@link PatchPredictor#predict}.
	 */
	public float[] extractBatch(int from, int to) {
		return extractBatch(from, to, null);
	}

	/**
	 * As {@link #extractBatch(int, int)}, into {@code reuse} when its length is exactly the batch's.
	 *
	 * @param reuse an array the caller no longer needs, or null
	 * @return {@code reuse} or a new buffer
	 */
	public float[] extractBatch(int from, int to, float[] reuse) {
		int length = Math.multiplyExact(to - from, patchLength);
		float[] batch = reuse != null && reuse.length == length ? reuse : new float[length];
		for (int w = from; w < to; w++)
			extract(w, batch, (w - from) * patchLength);
		return batch;
	}
}
