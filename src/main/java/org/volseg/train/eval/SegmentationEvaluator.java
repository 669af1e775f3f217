package org.volseg.train.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.volseg.InvalidParameterException;
import org.volseg.VolSegException;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.FinalInterval;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Compares a predicted label image with a reference label image, class by class: Dice, percentile
 * Hausdorff distance (HD95 by default, see {@link SurfaceDistances}) and volumes.
 *
 * <p>Both images must be 3D (one channel), have the same dimensions and the same voxel-to-world
 * affine within {@link #geometryTolerance()} (mm, per affine entry); otherwise an
 * {@link IncompatibleVolumesException} names both images. Voxel values must be non-negative
 * integers (labels stored as floats); label 0 is background and is not reported.</p>
 *
 * <p>Classes: by default every label above 0 found in either image; {@link #withLabels} fixes the
 * list (labels found in neither image are then reported as absent). Empty classes: absent from both
 * images, Dice and HD are NaN (undefined) and the class is left out of the means; absent from
 * exactly one, Dice is 0 and HD is +Infinity (MONAI gives inf too), left out of the mean HD only.</p>
 *
 * <p>Distances use the grid's spacing (column norms of the affine), so they are exact for
 * orthogonal grids in any orientation. Memory: two boolean masks, their surfaces and one double
 * distance map over the bounding box of each class. Immutable and thread-safe.</p>
 */
public final class SegmentationEvaluator {

	/** Default tolerance on affine entries (mm) when checking that two images share a grid. */
	public static final double DEFAULT_GEOMETRY_TOLERANCE = 1e-3;

	private final double percentile;
	private final double geometryTolerance;
	private final int[] labels;

	private SegmentationEvaluator(double percentile, double geometryTolerance, int[] labels) {
		this.percentile = percentile;
		this.geometryTolerance = geometryTolerance;
		this.labels = labels;
	}

	/** HD95, geometry tolerance {@value #DEFAULT_GEOMETRY_TOLERANCE} mm, classes found in the images. */
	public static SegmentationEvaluator defaults() {
		return new SegmentationEvaluator(95, DEFAULT_GEOMETRY_TOLERANCE, null);
	}

	/** The same evaluator with another Hausdorff percentile in [0, 100] (100: classic Hausdorff). */
	public SegmentationEvaluator withPercentile(double p) {
		if (!(p >= 0 && p <= 100))
			throw InvalidParameterException.of("--percentile", p, "a number in [0, 100]");
		return new SegmentationEvaluator(p, geometryTolerance, labels);
	}

	/** The same evaluator with another geometry tolerance (mm per affine entry, at least 0). */
	public SegmentationEvaluator withGeometryTolerance(double mm) {
		if (!(mm >= 0) || !Double.isFinite(mm))
			throw InvalidParameterException.of("--geometry-tolerance", mm, "a finite number of mm, at least 0");
		return new SegmentationEvaluator(percentile, mm, labels);
	}

	/** The same evaluator reporting exactly these labels (each above 0), in increasing order. */
	public SegmentationEvaluator withLabels(int... classLabels) {
		int[] sorted = Arrays.stream(classLabels).sorted().distinct().toArray();
		if (sorted.length == 0 || sorted[0] < 1)
			throw InvalidParameterException.of("--labels", Arrays.toString(classLabels), "one or more labels, each at least 1");
		return new SegmentationEvaluator(percentile, geometryTolerance, sorted);
	}

	public double percentile() {
		return percentile;
	}

	public double geometryTolerance() {
		return geometryTolerance;
	}

	/** Compares two label images named "reference" and "prediction" in messages. */
	public EvaluationReport evaluate(Volume reference, Volume prediction) {
		return evaluate(reference, "reference", prediction, "prediction");
	}

	/**
	 * @param referenceName how to name the reference in messages and reports (its file, say)
	 * @param predictionName how to name the prediction
	 * @throws IncompatibleVolumesException if the grids differ
	 * @throws VolSegException if an image holds a value that is not a label
	 */
	public EvaluationReport evaluate(Volume reference, String referenceName, Volume prediction, String predictionName) {
		checkCompatible(reference, referenceName, prediction, predictionName);
		long[] dims = reference.dimensions();
		Map<Integer, ClassStats> stats = countClasses(reference.channel(0), referenceName, prediction.channel(0),
				predictionName, dims);
		int[] evaluated = labels != null ? labels
				: stats.keySet().stream().mapToInt(Integer::intValue).filter(l -> l > 0).toArray();
		Geometry g = reference.geometry();
		double[] spacing = g.spacing();
		double voxelMl = Math.abs(determinant(g.affineLps())) / 1000.0;
		List<ClassMetrics> out = new ArrayList<>();
		for (int label : evaluated) {
			ClassStats s = stats.getOrDefault(label, new ClassStats());
			double dice = s.ref + s.pred == 0 ? Double.NaN : 2.0 * s.both / (s.ref + s.pred);
			double hd;
			if (s.ref == 0 && s.pred == 0)
				hd = Double.NaN;
			else if (s.ref == 0 || s.pred == 0)
				hd = Double.POSITIVE_INFINITY;
			else
				hd = hausdorff(reference.channel(0), prediction.channel(0), label, s, spacing);
			out.add(new ClassMetrics(label, s.ref, s.pred, dice, hd, voxelMl));
		}
		return new EvaluationReport(referenceName, predictionName, out, percentile);
	}

	private void checkCompatible(Volume reference, String referenceName, Volume prediction, String predictionName) {
		if (reference.channels() != 1 || prediction.channels() != 1)
			throw new IncompatibleVolumesException("label images have one channel: " + referenceName + " has "
					+ reference.channels() + ", " + predictionName + " has " + prediction.channels()
					+ "; pass 3D label images (argmax of a probability map, not the map itself)");
		long[] a = Arrays.copyOf(reference.dimensions(), 3);
		long[] b = Arrays.copyOf(prediction.dimensions(), 3);
		if (!Arrays.equals(a, b))
			throw new IncompatibleVolumesException("different grids: " + referenceName + " is " + dimsText(a) + " voxels, "
					+ predictionName + " is " + dimsText(b) + "; resample the prediction onto the reference's grid first");
		if (!reference.geometry().equalsWithin(prediction.geometry(), geometryTolerance))
			throw new IncompatibleVolumesException("different positions in the patient: the voxel-to-world affines of "
					+ referenceName + " " + affineText(reference.geometry()) + " and " + predictionName + " "
					+ affineText(prediction.geometry()) + " differ by more than " + geometryTolerance
					+ " mm; resample the prediction onto the reference's grid, or raise --geometry-tolerance"
					+ " if the difference is rounding");
		if (a[0] * a[1] * a[2] > Integer.MAX_VALUE - 8)
			throw new IncompatibleVolumesException(referenceName + ": " + dimsText(a)
					+ " voxels is more than VolSeg's evaluation handles (2^31 voxels); evaluate a cropped region");
	}

	private static Map<Integer, ClassStats> countClasses(RandomAccessibleInterval<FloatType> ref, String refName,
			RandomAccessibleInterval<FloatType> pred, String predName, long[] dims) {
		Map<Integer, ClassStats> stats = new TreeMap<>();
		Cursor<FloatType> cr = Views.flatIterable(ref).cursor();
		Cursor<FloatType> cp = Views.flatIterable(pred).cursor();
		int nx = (int) dims[0], ny = (int) dims[1], nz = (int) dims[2];
		for (int z = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++) {
					int r = label(cr.next().get(), refName, x, y, z);
					int p = label(cp.next().get(), predName, x, y, z);
					ClassStats sr = stats.computeIfAbsent(r, k -> new ClassStats());
					sr.ref++;
					sr.include(x, y, z);
					if (p == r) {
						sr.pred++;
						sr.both++;
					} else {
						ClassStats sp = stats.computeIfAbsent(p, k -> new ClassStats());
						sp.pred++;
						sp.include(x, y, z);
					}
				}
		return stats;
	}

	private static int label(float v, String name, int x, int y, int z) {
		if (!(v >= 0) || v != Math.rint(v) || v > Integer.MAX_VALUE)
			throw new VolSegException(name + ": voxel (" + x + ", " + y + ", " + z + ") holds " + v
					+ ", which is not a label (labels are integers of at least 0); pass a label image, not a scan"
					+ " or a probability map");
		return (int) v;
	}

	private double hausdorff(RandomAccessibleInterval<FloatType> ref, RandomAccessibleInterval<FloatType> pred,
			int label, ClassStats s, double[] spacing) {
		FinalInterval box = new FinalInterval(new long[] { s.min[0], s.min[1], s.min[2] },
				new long[] { s.max[0], s.max[1], s.max[2] });
		int[] dims = { s.max[0] - s.min[0] + 1, s.max[1] - s.min[1] + 1, s.max[2] - s.min[2] + 1 };
		boolean[] a = mask(ref, box, label, dims);
		boolean[] b = mask(pred, box, label, dims);
		return SurfaceDistances.percentileHausdorff(b, a, dims, spacing, percentile);
	}

	private static boolean[] mask(RandomAccessibleInterval<FloatType> image, FinalInterval box, int label, int[] dims) {
		boolean[] m = new boolean[dims[0] * dims[1] * dims[2]];
		Cursor<FloatType> c = Views.flatIterable(Views.interval(image, box)).cursor();
		for (int i = 0; i < m.length; i++)
			m[i] = c.next().get() == label;
		return m;
	}

	private static double determinant(double[][] a) {
		return a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
				- a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
				+ a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
	}

	private static String dimsText(long[] d) {
		return d[0] + "x" + d[1] + "x" + d[2];
	}

	private static String affineText(Geometry g) {
		StringBuilder s = new StringBuilder("[");
		double[][] a = g.affineLps();
		for (int r = 0; r < 3; r++) {
			s.append(r == 0 ? "[" : ", [");
			for (int c = 0; c < 4; c++)
				s.append(c == 0 ? "" : " ").append(String.format(java.util.Locale.ROOT, "%.4g", a[r][c]));
			s.append(']');
		}
		return s.append("] (LPS)").toString();
	}

	/** Voxel counts and the union bounding box of one label over both images. */
	private static final class ClassStats {
		long ref, pred, both;
		final int[] min = { Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE };
		final int[] max = { -1, -1, -1 };

		void include(int x, int y, int z) {
			if (x < min[0]) min[0] = x;
			if (y < min[1]) min[1] = y;
			if (z < min[2]) min[2] = z;
			if (x > max[0]) max[0] = x;
			if (y > max[1]) max[1] = y;
			if (z > max[2]) max[2] = z;
		}
	}
}
