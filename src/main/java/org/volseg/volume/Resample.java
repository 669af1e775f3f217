package org.volseg.volume;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.volseg.InvalidParameterException;

import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Resampling of a volume onto another voxel grid: trilinear interpolation for intensities,
 * nearest neighbour for label maps. The channel axis of a 4D volume is carried along unchanged
 * (each channel is resampled on its own).
 *
 * <p>Sampling positions are voxel centres. With {@link Padding#BORDER} (what {@link #toSpacing}
 * uses, as MONAI's {@code Spacing} does) a target voxel whose centre falls outside the source grid
 * takes the value at the nearest point of the source grid. With {@link Padding#FILL} that holds only
 * within half a voxel (inside the source's field of view); a target voxel farther out gets the fill
 * value. Nearest neighbour rounds halves up ({@code floor(p + 0.5)}).</p>
 *
 * <p>Results are newly allocated images (see {@link Volume#allocateFloats}); the source is only
 * read. Work is split over z slices with a parallel stream. Thread-safe as long as nobody writes the
 * source meanwhile.</p>
 */
public final class Resample {

	/** How a value between voxel centres is computed. */
	public enum Interpolation {
		/** Trilinear, for intensities and probabilities. */
		LINEAR,
		/** Nearest voxel, for label maps: never creates a label that is not in the source. */
		NEAREST
	}

	private Resample() {}

	/**
	 * How a target voxel whose centre falls outside the source grid gets its value.
	 */
	public enum Padding {
		/**
		 * The value at the nearest point of the source grid (MONAI's and PyTorch's {@code border}
		 * padding): every target voxel gets a source value, however far outside it lies.
		 */
		BORDER,
		/**
		 * Edge clamping within half a source voxel of the outer centres (inside the source's field
		 * of view), the fill value farther out.
		 */
		FILL
	}

	/**
	 * A voxel grid: size (x, y, z) and geometry.
	 *
	 * @param dims voxels along x, y, z
	 * @param geometry voxel to world
	 */
	public record Grid(long[] dims, Geometry geometry) {
		public Grid {
			dims = dims.clone();
		}

		@Override
		public long[] dims() {
			return dims.clone();
		}
	}

	/**
	 * The grid MONAI's {@code Spacing} (1.5, {@code scale_extent=False}, {@code diagonal=False})
	 * resamples a volume onto. Along each axis the new size is
	 * {@code n' = max(1, rint((n - 1) * s / s' + 1))} ({@code rint}: numpy's rounding, halves to even):
	 * the distance between the outer voxel centres, in new voxels, plus one. Voxel 0 of the new grid
	 * sits on voxel 0 of the old one (the input corner that is smallest in the new voxel
	 * coordinates, because the axis directions are kept); the last new centre lies within half a
	 * new voxel of the last old centre, before or beyond it. Axis directions are kept; only the
	 * column lengths of the affine change, to the new spacing. For an orthogonal direction matrix
	 * this is exactly MONAI's grid; for a sheared one MONAI removes the shear and VolSeg keeps it.
	 *
	 * @param dims the volume's size (x, y, z)
	 * @param spacingMm the new spacing (x, y, z) in mm, each finite and positive
	 * @throws InvalidParameterException naming {@code spacing} if it is not three finite positive values
	 */
	public static Grid monaiSpacingGrid(long[] dims, Geometry geometry, double[] spacingMm) {
		if (spacingMm == null || spacingMm.length != 3)
			throw InvalidParameterException.of("spacing", spacingMm == null ? null : java.util.Arrays.toString(spacingMm),
					"three spacings (x, y, z) in mm");
		double[] old = geometry.spacing();
		long[] newDims = new long[3];
		double[][] map = new double[4][4];
		map[3][3] = 1;
		for (int d = 0; d < 3; d++) {
			double s = spacingMm[d];
			if (!(s > 0) || !Double.isFinite(s))
				throw InvalidParameterException.of("spacing", java.util.Arrays.toString(spacingMm), "finite positive spacings in mm");
			newDims[d] = Math.max(1, (long) Math.rint((dims[d] - 1) * old[d] / s + 1));
			map[d][d] = s / old[d];
		}
		return new Grid(newDims, geometry.compose(map));
	}

	/**
	 * Resamples onto a target spacing as MONAI's {@code Spacing} does: onto
	 * {@link #monaiSpacingGrid}, with {@link Padding#BORDER border} padding, so the new grid covers
	 * the whole scan and every new voxel holds a source value.
	 *
	 * @param spacingMm the new spacing (x, y, z) in mm, each finite and positive
	 */
	public static Volume toSpacing(Volume volume, double[] spacingMm, Interpolation interpolation) {
		Grid grid = monaiSpacingGrid(volume.dimensions(), volume.geometry(), spacingMm);
		return onto(volume, grid.dims(), grid.geometry(), interpolation, Padding.BORDER, 0f);
	}

	/**
	 * Resamples onto an arbitrary grid: target voxel v gets the source value at world position
	 * {@code targetGeometry.voxelToWorld(v)}. This is the general primitive, for example to put a
	 * label map computed on a preprocessed grid back onto the input scan's grid (nearest).
	 *
	 * @param targetDims (x, y, z) of the new grid; channels come from the source
	 * @param fill the value of target voxels outside the source's field of view
	 */
	public static Volume onto(Volume volume, long[] targetDims, Geometry targetGeometry, Interpolation interpolation, float fill) {
		return onto(volume, targetDims, targetGeometry, interpolation, Padding.FILL, fill);
	}

	/**
	 * {@link #onto(Volume, long[], Geometry, Interpolation, float)} with a choice of padding:
	 * {@link Padding#BORDER} gives every target voxel the value at the nearest point of the source
	 * grid (as MONAI's {@code Invertd} of a {@code Spacingd} does), so nothing is left unset.
	 *
	 * <p>The result holds floats, except for {@link Interpolation#NEAREST} of a 3D label map kept as
	 * unsigned bytes ({@link IntegerVoxels#unsignedBytesInFlatOrder} not null, as the segmenter's label
	 * maps are): that gives a label map kept as bytes again, with the same values, when the padding is
	 * {@link Padding#BORDER} or the fill is a whole number from 0 to 255.</p>
	 *
	 * @param fill the value of target voxels outside the source's field of view with {@link Padding#FILL}; unused with BORDER
	 */
	public static Volume onto(Volume volume, long[] targetDims, Geometry targetGeometry, Interpolation interpolation,
			Padding padding, float fill) {
		if (interpolation == Interpolation.NEAREST) {
			Volume labels = nearestUnsignedBytes(volume, targetDims, targetGeometry, padding, fill);
			if (labels != null)
				return labels;
		}
		long channels = volume.channels();
		long[] dims = volume.voxels().numDimensions() == 4
				? new long[] { targetDims[0], targetDims[1], targetDims[2], channels }
				: new long[] { targetDims[0], targetDims[1], targetDims[2] };
		Volume out = Volume.allocate(targetGeometry, dims);
		double[][] m = targetToSource(volume.geometry(), targetGeometry);
		long[] srcDims = volume.dimensions();
		// source z moves by less than a plane across a target slice: each slice reads a few whole source planes
		boolean planeWise = Math.abs(m[2][0]) * targetDims[0] + Math.abs(m[2][1]) * targetDims[1] < 1;
		for (long c = 0; c < channels; c++) {
			Sampler src = Sampler.of(volume.voxels(), srcDims, c, planeWise);
			Sampler dst = Sampler.of(out.voxels(), out.dimensions(), c, false);
			IntStream.range(0, (int) targetDims[2]).parallel()
					.forEach(z -> resampleSlice(src, srcDims, dst, targetDims, z, m, interpolation, padding, fill));
		}
		return out;
	}

	/**
	 * Nearest resampling of a 3D label map kept as unsigned bytes ({@link IntegerVoxels}, one array per
	 * plane) onto a label map kept as bytes, straight between the arrays: the same voxel choice, rounding
	 * and padding as {@link #resampleSlice}, a quarter of the memory of a float result. Null if the volume
	 * is not such a label map or {@code fill} (used with {@link Padding#FILL}) is not a byte's value.
	 */
	private static Volume nearestUnsignedBytes(Volume volume, long[] targetDims, Geometry targetGeometry, Padding padding,
			float fill) {
		long[] srcDims = volume.dimensions();
		List<byte[]> source = volume.voxels().numDimensions() == 3 ? IntegerVoxels.unsignedBytesInFlatOrder(volume.voxels())
				: null;
		if (source == null || source.size() != srcDims[2]
				|| padding == Padding.FILL && !(fill >= 0 && fill <= 255 && fill == (int) fill))
			return null;
		IntegerVoxels<UnsignedByteType> out = IntegerVoxels.allocateUnsignedBytes(targetDims[0], targetDims[1], targetDims[2]);
		byte[][] from = source.toArray(new byte[0][]);
		byte[][] to = IntegerVoxels.unsignedBytesInFlatOrder(out).toArray(new byte[0][]);
		double[][] m = targetToSource(volume.geometry(), targetGeometry);
		int nx = (int) targetDims[0];
		int[][] along = nearestAlongAxes(m, srcDims, targetDims, padding);
		if (along != null) {
			// each target axis maps to the same source axis: the source index per x, y and z once, then copies
			byte outside = (byte) (int) fill;
			int sx = (int) srcDims[0];
			int[] xs = along[0], ys = along[1], zs = along[2];
			IntStream.range(0, zs.length).parallel()
					.forEach(z -> nearestPlane(zs[z] < 0 ? null : from[zs[z]], sx, xs, ys, outside, to[z]));
			return new Volume(out, targetGeometry);
		}
		Sampler src = Sampler.ofUnsignedBytes(from, srcDims[0]), dst = Sampler.ofUnsignedBytes(to, nx);
		IntStream.range(0, (int) targetDims[2]).parallel()
				.forEach(z -> resampleSlice(src, srcDims, dst, targetDims, z, m, Interpolation.NEAREST, padding, fill));
		return new Volume(out, targetGeometry);
	}

	/**
	 * For grids whose axes map one to one ({@code target} x, y, z along {@code source} x, y, z, each
	 * scaled, shifted or flipped, as between a scan's grid and a model grid made from it by
	 * {@link #monaiSpacingGrid}): per target axis, the source index that nearest resampling with
	 * {@link Padding#BORDER} ({@link #onto}) takes for each target index, {x, y, z}. Null when an axis of
	 * one grid is oblique to the other's.
	 *
	 * @param sourceDims (x, y, z) of the source grid
	 * @param targetDims (x, y, z) of the target grid
	 */
	public static int[][] nearestAlongAxes(Geometry source, long[] sourceDims, Geometry target, long[] targetDims) {
		return nearestAlongAxes(targetToSource(source, target), sourceDims, targetDims, Padding.BORDER);
	}

	/** Target voxel -> source voxel, as one affine (4 x 4 rows). */
	private static double[][] targetToSource(Geometry source, Geometry target) {
		return source.inverse().compose(target.affineLps()).affineLps();
	}

	/** {@link #nearestAlongAxes(Geometry, long[], Geometry, long[])} of the target-to-source voxel map {@code m}; -1 outside with FILL. */
	private static int[][] nearestAlongAxes(double[][] m, long[] sourceDims, long[] targetDims, Padding padding) {
		if (m[0][1] != 0 || m[0][2] != 0 || m[1][0] != 0 || m[1][2] != 0 || m[2][0] != 0 || m[2][1] != 0)
			return null;
		int[][] along = new int[3][];
		for (int d = 0; d < 3; d++)
			along[d] = nearestIndices(m[d][d], m[d][3], Math.toIntExact(targetDims[d]), sourceDims[d], padding);
		return along;
	}

	/**
	 * One target plane of an axis-aligned nearest resampling of bytes: target row {@code y} is source row
	 * {@code ys[y]} of {@code source} (a plane {@code sx} voxels wide; null: the plane is outside) through
	 * {@code xs}; -1 in {@code ys} or {@code xs} (or a null source) gives {@code outside}. A row equal to the
	 * one above is copied.
	 */
	private static void nearestPlane(byte[] source, int sx, int[] xs, int[] ys, byte outside, byte[] plane) {
		int nx = xs.length;
		for (int y = 0, at = 0; y < ys.length; y++, at += nx) {
			if (source == null || ys[y] < 0)
				Arrays.fill(plane, at, at + nx, outside);
			else if (y > 0 && ys[y] == ys[y - 1])
				System.arraycopy(plane, at - nx, plane, at, nx);
			else
				nearestRow(source, ys[y] * sx, xs, outside, plane, at);
		}
	}

	/** A row of its own method: called per row, it is compiled early in a fresh JVM (a plane's loop would run interpreted). */
	private static void nearestRow(byte[] source, int rowStart, int[] xs, byte outside, byte[] target, int at) {
		for (int x = 0; x < xs.length; x++) {
			int i = xs[x];
			target[at + x] = i < 0 ? outside : source[rowStart + i];
		}
	}

	/**
	 * Along one axis that maps to itself ({@code source = scale * target + shift}): the nearest source
	 * index of every target index, computed as {@link #resampleSlice} does, or -1 outside the source
	 * with {@link Padding#FILL}.
	 */
	private static int[] nearestIndices(double scale, double shift, int targets, long sources, Padding padding) {
		int[] index = new int[targets];
		for (int t = 0; t < targets; t++) {
			double p = scale * t + shift;
			if (padding == Padding.FILL && !(p >= -0.5 && p <= sources - 0.5))
				index[t] = -1;
			else
				index[t] = (int) Math.floor(Math.min(Math.max(p, 0), sources - 1) + 0.5);
		}
		return index;
	}

	private static void resampleSlice(Sampler src, long[] srcDims, Sampler dst, long[] dims, int z, double[][] m,
			Interpolation interpolation, Padding padding, float fill) {
		Sampler in = src.copy(), out = dst.copy();
		double[] p = new double[3];
		for (long y = 0; y < dims[1]; y++)
			for (long x = 0; x < dims[0]; x++) {
				for (int r = 0; r < 3; r++)
					p[r] = m[r][0] * x + m[r][1] * y + m[r][2] * z + m[r][3];
				float v = fill;
				if (padding == Padding.BORDER || inside(p, srcDims)) {
					for (int r = 0; r < 3; r++)
						p[r] = Math.min(Math.max(p[r], 0), srcDims[r] - 1);
					v = interpolation == Interpolation.NEAREST
							? in.get((long) Math.floor(p[0] + 0.5), (long) Math.floor(p[1] + 0.5), (long) Math.floor(p[2] + 0.5))
							: linear(in, p, srcDims);
				}
				out.set(x, y, z, v);
			}
	}

	private static boolean inside(double[] p, long[] dims) {
		for (int r = 0; r < 3; r++)
			if (!(p[r] >= -0.5 && p[r] <= dims[r] - 0.5))
				return false;
		return true;
	}

	private static float linear(Sampler in, double[] p, long[] dims) {
		long x0 = (long) Math.floor(p[0]), y0 = (long) Math.floor(p[1]), z0 = (long) Math.floor(p[2]);
		double fx = p[0] - x0, fy = p[1] - y0, fz = p[2] - z0;
		long x1 = Math.min(x0 + 1, dims[0] - 1), y1 = Math.min(y0 + 1, dims[1] - 1), z1 = Math.min(z0 + 1, dims[2] - 1);
		double c00 = lerp(in.get(x0, y0, z0), in.get(x1, y0, z0), fx);
		double c10 = lerp(in.get(x0, y1, z0), in.get(x1, y1, z0), fx);
		double c01 = lerp(in.get(x0, y0, z1), in.get(x1, y0, z1), fx);
		double c11 = lerp(in.get(x0, y1, z1), in.get(x1, y1, z1), fx);
		return (float) lerp(lerp(c00, c10, fy), lerp(c01, c11, fy), fz);
	}

	/**
	 * Reads and writes voxel (x, y, z) of one channel: straight from the Java arrays when the image
	 * has them (see {@link FloatStorage}), else through a RandomAccess. One instance per thread.
	 */
	private abstract static class Sampler {
		abstract float get(long x, long y, long z);

		abstract void set(long x, long y, long z, float v);

		abstract Sampler copy();

		/** Planes of unsigned bytes, one per z, x fastest: values 0 to 255; a value set is stored as its byte. */
		static Sampler ofUnsignedBytes(byte[][] planes, long nx) {
			return new Sampler() {
				float get(long x, long y, long z) {
					return planes[(int) z][(int) (x + nx * y)] & 0xff;
				}

				void set(long x, long y, long z, float v) {
					planes[(int) z][(int) (x + nx * y)] = (byte) (int) v;
				}

				Sampler copy() {
					return this;
				}
			};
		}

		/**
		 * The image's own float arrays if it has them; else, for {@code planeWise} reading, whole planes
		 * copied in bulk ({@link PlaneSampler}) if ImgLib2 can; else a random access per voxel.
		 */
		static Sampler of(RandomAccessibleInterval<FloatType> image, long[] dims, long channel, boolean planeWise) {
			java.util.List<float[]> arrays = FloatStorage.arraysInFlatOrder(image);
			long nx = dims[0], ny = dims[1], nz = dims[2];
			if (arrays != null && arrays.size() == 1) {
				float[] a = arrays.get(0);
				long base = channel * nx * ny * nz;
				return new Sampler() {
					float get(long x, long y, long z) {
						return a[(int) (base + x + nx * (y + ny * z))];
					}

					void set(long x, long y, long z, float v) {
						a[(int) (base + x + nx * (y + ny * z))] = v;
					}

					Sampler copy() {
						return this;
					}
				};
			}
			if (arrays != null && arrays.size() == nz * (image.numDimensions() == 4 ? image.dimension(3) : 1)) {
				float[][] planes = arrays.toArray(new float[0][]);
				long base = channel * nz;
				return new Sampler() {
					float get(long x, long y, long z) {
						return planes[(int) (base + z)][(int) (x + nx * y)];
					}

					void set(long x, long y, long z, float v) {
						planes[(int) (base + z)][(int) (x + nx * y)] = v;
					}

					Sampler copy() {
						return this;
					}
				};
			}
			Sampler bulk = planeWise ? PlaneSampler.of(image, dims, channel) : null;
			if (bulk != null)
				return bulk;
			RandomAccessibleInterval<FloatType> view = image.numDimensions() == 4 ? Views.hyperSlice(image, 3, channel) : image;
			return new Sampler() {
				final RandomAccess<FloatType> ra = view.randomAccess();
				final long[] pos = new long[3];

				float get(long x, long y, long z) {
					pos[0] = x;
					pos[1] = y;
					pos[2] = z;
					ra.setPosition(pos);
					return ra.get().get();
				}

				void set(long x, long y, long z, float v) {
					pos[0] = x;
					pos[1] = y;
					pos[2] = z;
					ra.setPosition(pos);
					ra.get().set(v);
				}

				Sampler copy() {
					return of(image, dims, channel, false);
				}
			};
		}
	}

	/**
	 * Reads a source that has no float arrays of its own (integers kept as stored, a label map kept as
	 * bytes) one whole xy plane at a time, with ImgLib2's bulk copy, keeping the last
	 * {@value #PLANES} planes it read: for grids where a target slice reads only a few source planes it
	 * replaces a random access per sample. Read-only. {@link #copy()} gives each thread its own instance
	 * (kept from slice to slice, so neighbouring slices share planes).
	 */
	private static final class PlaneSampler extends Sampler {
		private static final int PLANES = 4;

		private final PlaneReader reader;
		private final int nx;
		private final float[][] planes = new float[PLANES][];
		private final long[] zOf = { -1, -1, -1, -1 };
		private final ThreadLocal<PlaneSampler> perThread;
		private int next;

		private PlaneSampler(PlaneReader reader, int nx, ThreadLocal<PlaneSampler> perThread) {
			this.reader = reader;
			this.nx = nx;
			this.perThread = perThread;
		}

		/** A sampler of one channel, or null if ImgLib2 cannot copy the image in bulk or a plane would not fit an array. */
		static PlaneSampler of(RandomAccessibleInterval<FloatType> image, long[] dims, long channel) {
			PlaneReader reader = PlaneReader.inBulk(image.numDimensions() == 4 ? Views.hyperSlice(image, 3, channel) : image);
			if (reader == null)
				return null;
			ThreadLocal<PlaneSampler> perThread = new ThreadLocal<>();
			PlaneSampler first = new PlaneSampler(reader, (int) dims[0], perThread);
			perThread.set(first);
			return first;
		}

		@Override
		float get(long x, long y, long z) {
			return plane(z)[(int) (x + nx * y)];
		}

		private float[] plane(long z) {
			for (int i = 0; i < PLANES; i++)
				if (zOf[i] == z)
					return planes[i];
			int slot = next;
			next = (next + 1) % PLANES;
			if (planes[slot] == null)
				planes[slot] = new float[reader.planeVoxels()];
			reader.read(z, planes[slot]);
			zOf[slot] = z;
			return planes[slot];
		}

		@Override
		void set(long x, long y, long z, float v) {
			throw new UnsupportedOperationException("a plane sampler only reads");
		}

		@Override
		Sampler copy() {
			PlaneSampler mine = perThread.get();
			if (mine == null) {
				mine = new PlaneSampler(reader.independentCopy(), nx, perThread);
				perThread.set(mine);
			}
			return mine;
		}
	}

	/** True if {@link #onto} reads this image's channel planes in bulk where the grids allow it (for tests). */
	static boolean readsPlanesInBulk(RandomAccessibleInterval<FloatType> image) {
		return FloatStorage.arraysInFlatOrder(image) == null
				&& PlaneSampler.of(image, image.dimensionsAsLongArray(), 0) != null;
	}

	private static double lerp(double a, double b, double f) {
		return f == 0 ? a : a + (b - a) * f;
	}

}
