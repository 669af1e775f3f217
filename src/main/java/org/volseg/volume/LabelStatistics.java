package org.volseg.volume;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * Per-label voxel counts, volumes and intensity statistics of a label map, as shown in VolSeg's
 * results table, the command line summary and a batch's {@code summary.csv}.
 *
 * <p>Labels are the label map's voxel values rounded to the nearest integer; label 0 is background
 * and is not reported. Volumes use the voxel volume of the label map's geometry (the absolute
 * determinant of its 3x3 block, mm^3), reported in millilitres (1 mL = 1000 mm^3). Intensity mean
 * and standard deviation (population, divisor n) are of the intensity volume's first channel at the
 * same voxels; it must have the label map's spatial dimensions.</p>
 */
public final class LabelStatistics {

	/** One label's row. {@code meanIntensity} and {@code sdIntensity} are NaN without an intensity volume. */
	public record Row(int label, long voxels, double volumeMl, double meanIntensity, double sdIntensity) {}

	private LabelStatistics() {}

	/** Counts and volumes only. */
	public static List<Row> of(Volume labels) {
		return of(labels, null);
	}

	/**
	 * @param labels a 3D label map
	 * @param intensities the scan on the same grid, or null
	 * @return one row per label present, in increasing label order
	 * @throws IllegalArgumentException if the intensity volume's spatial dimensions differ
	 */
	public static List<Row> of(Volume labels, Volume intensities) {
		RandomAccessibleInterval<FloatType> labelVoxels = labels.channel(0);
		RandomAccessibleInterval<FloatType> intensityVoxels = null;
		if (intensities != null) {
			intensityVoxels = intensities.channel(0);
			if (!Intervals.equalDimensions(labelVoxels, intensityVoxels))
				throw new IllegalArgumentException("labels " + Arrays.toString(labelVoxels.dimensionsAsLongArray())
						+ " and intensities " + Arrays.toString(intensityVoxels.dimensionsAsLongArray())
						+ " must have the same dimensions");
		}
		long[] count = new long[16];
		double[] sum = new double[16], sumSq = new double[16];
		java.util.List<byte[]> bytes = intensityVoxels == null ? IntegerVoxels.unsignedBytesInFlatOrder(labelVoxels) : null;
		if (bytes != null) { // counts only, of a label map kept as bytes
			count = new long[256];
			for (byte[] a : bytes)
				for (byte b : a)
					count[b & 0xff]++;
		}
		java.util.List<float[]> arrays = intensityVoxels == null && bytes == null
				? FloatStorage.arraysInFlatOrder(labelVoxels) : null;
		if (arrays != null) // counts only, straight from the arrays (the same loop without a cursor per voxel)
			for (float[] a : arrays)
				for (float f : a) {
					int label = Math.round(f);
					if (label <= 0)
						continue;
					if (label >= count.length)
						count = Arrays.copyOf(count, Math.max(label + 1, count.length * 2));
					count[label]++;
				}
		Cursor<FloatType> l = arrays != null || bytes != null ? null : Views.flatIterable(labelVoxels).cursor();
		Cursor<FloatType> v = intensityVoxels == null ? null : Views.flatIterable(intensityVoxels).cursor();
		while (l != null && l.hasNext()) {
			int label = Math.round(l.next().get());
			double value = v == null ? 0 : v.next().get();
			if (label <= 0)
				continue;
			if (label >= count.length) {
				int n = Math.max(label + 1, count.length * 2);
				count = Arrays.copyOf(count, n);
				sum = Arrays.copyOf(sum, n);
				sumSq = Arrays.copyOf(sumSq, n);
			}
			count[label]++;
			sum[label] += value;
			sumSq[label] += value * value;
		}
		double voxelMl = voxelVolumeMm3(labels.geometry()) / 1000;
		List<Row> rows = new ArrayList<>();
		for (int label = 1; label < count.length; label++) {
			long n = count[label];
			if (n == 0)
				continue;
			double mean = intensityVoxels == null ? Double.NaN : sum[label] / n;
			double sd = intensityVoxels == null ? Double.NaN : Math.sqrt(Math.max(0, sumSq[label] / n - mean * mean));
			rows.add(new Row(label, n, n * voxelMl, mean, sd));
		}
		return Collections.unmodifiableList(rows);
	}

	/** Volume of one voxel in mm^3: the absolute determinant of the affine's 3x3 block. */
	public static double voxelVolumeMm3(Geometry geometry) {
		double[][] a = geometry.affineLps();
		return Math.abs(a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
				- a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
				+ a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]));
	}
}
