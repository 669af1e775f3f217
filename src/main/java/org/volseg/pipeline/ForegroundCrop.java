package org.volseg.pipeline;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.volseg.model.Preprocessing;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * MONAI's {@code CropForeground} on the model grid ({@link Preprocessing.CropForeground}) and the
 * way back: the box a volume is cropped to, the crop, and outputs of the crop put back on the full
 * grid with zeros outside (MONAI's {@code Invertd} undoes the crop by zero padding).
 *
 * <p>The box, per axis x, y, z as MONAI's {@code generate_spatial_bounding_box} and
 * {@code compute_bounding_box} make it: foreground = voxels where any channel is {@code > 0};
 * {@code [first - margin, last + margin + 1)}, clamped to {@code [0, size]} when
 * {@code allowSmaller}; then the length {@code n} is rounded up to a multiple {@code m} of
 * {@code k_divisible} and the start moved back by {@code floor((m - n) / 2)}. No foreground gives
 * the empty box {@code [0, 0)} on every axis (MONAI's {@code [0, 0, 0], [0, 0, 0]}). Where the box
 * leaves the volume the crop holds zeros (MONAI pads with constant 0). Immutable.</p>
 */
public final class ForegroundCrop {

	private final long[] start;
	private final long[] size;
	private final long[] fullDims;
	private final Geometry fullGeometry;

	private ForegroundCrop(long[] start, long[] size, long[] fullDims, Geometry fullGeometry) {
		this.start = start;
		this.size = size;
		this.fullDims = fullDims;
		this.fullGeometry = fullGeometry;
	}

	/** The box of {@code volume}'s foreground for {@code step}. */
	public static ForegroundCrop of(Volume volume, Preprocessing.CropForeground step) {
		long[] dims = Arrays.copyOf(volume.dimensions(), 3);
		long[] lo = { Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE }, hi = { -1, -1, -1 };
		RandomAccessibleInterval<FloatType> v = volume.voxels();
		net.imglib2.Cursor<FloatType> c = Views.flatIterable(v).localizingCursor();
		while (c.hasNext()) {
			if (c.next().get() > 0)
				for (int d = 0; d < 3; d++) {
					long p = c.getLongPosition(d);
					lo[d] = Math.min(lo[d], p);
					hi[d] = Math.max(hi[d], p);
				}
		}
		if (hi[0] < 0)
			return new ForegroundCrop(new long[3], new long[3], dims, volume.geometry());
		long[] start = new long[3], size = new long[3];
		for (int d = 0; d < 3; d++) {
			long s = lo[d] - step.margin().get(d), e = hi[d] + step.margin().get(d) + 1;
			if (step.allowSmaller()) {
				s = Math.max(s, 0);
				e = Math.min(e, dims[d]);
			}
			long n = e - s, k = step.kDivisible().get(d);
			long m = k > 0 ? (n + k - 1) / k * k : n;
			start[d] = s - Math.floorDiv(m - n, 2);
			size[d] = m;
		}
		return new ForegroundCrop(start, size, dims, volume.geometry());
	}

	/** True when there was no foreground: nothing to run the network on. */
	public boolean empty() {
		return size[0] == 0 || size[1] == 0 || size[2] == 0;
	}

	/** First voxel of the box (x, y, z) on the full grid; may be negative. */
	public long[] start() {
		return start.clone();
	}

	/** Size of the box (x, y, z). */
	public long[] size() {
		return size.clone();
	}

	/** The full grid's spatial size (x, y, z). */
	public long[] fullDimensions() {
		return fullDims.clone();
	}

	/** The full grid's geometry. */
	public Geometry fullGeometry() {
		return fullGeometry;
	}

	/** The box's geometry: the full geometry shifted to the box's first voxel. */
	public Geometry boxGeometry() {
		double[][] shift = { { 1, 0, 0, start[0] }, { 0, 1, 0, start[1] }, { 0, 0, 1, start[2] }, { 0, 0, 0, 1 } };
		return fullGeometry.compose(shift);
	}

	/**
	 * The box cut out of a volume on the full grid (any channels), zeros where the box leaves it.
	 *
	 * @throws IllegalStateException for the empty box
	 */
	public Volume crop(Volume full) {
		if (empty())
			throw new IllegalStateException("no foreground: nothing to crop");
		Volume out = Volume.allocate(boxGeometry(), withChannels(size, full));
		copyOverlap(full, out, start);
		return out;
	}

	/** An output on the box (any channels) put back on the full grid, zeros outside the box. */
	public Volume padBack(Volume onBox) {
		Volume out = Volume.allocate(fullGeometry, withChannels(fullDims, onBox));
		if (!empty()) {
			long[] back = { -start[0], -start[1], -start[2] };
			copyOverlap(onBox, out, back);
		}
		return out;
	}

	/** One line for the preprocessing report. */
	public String describe() {
		if (empty())
			return "crop_foreground: no voxel > 0, nothing to segment";
		return String.format(Locale.ROOT, "crop_foreground: box from %s size %s of %s", Arrays.toString(start),
				Arrays.toString(size), Arrays.toString(fullDims));
	}

	private static long[] withChannels(long[] spatial, Volume like) {
		return like.voxels().numDimensions() == 3 ? spatial.clone()
				: new long[] { spatial[0], spatial[1], spatial[2], like.channels() };
	}

	/** Copies {@code from} into {@code to} where they overlap; voxel p of {@code to} is voxel p + offset of {@code from}. */
	private static void copyOverlap(Volume from, Volume to, long[] offset) {
		int n = from.voxels().numDimensions();
		long[] fMin = new long[n], fMax = new long[n], tMin = new long[n], tMax = new long[n];
		for (int d = 0; d < n; d++) {
			long o = d < 3 ? offset[d] : 0;
			long lo = Math.max(0, -o), hi = Math.min(to.voxels().dimension(d), from.voxels().dimension(d) - o);
			if (hi <= lo)
				return;
			tMin[d] = lo;
			tMax[d] = hi - 1;
			fMin[d] = lo + o;
			fMax[d] = hi - 1 + o;
		}
		LoopBuilder.setImages(Views.interval(from.voxels(), fMin, fMax), Views.interval(to.voxels(), tMin, tMax))
				.forEachPixel((s, t) -> t.set(s));
	}

	/** The crop step of a model's steps, or {@code null}; more than one is refused by the caller. */
	static Preprocessing.CropForeground cropStep(List<Preprocessing> steps) {
		for (Preprocessing p : steps)
			if (p instanceof Preprocessing.CropForeground c)
				return c;
		return null;
	}
}
