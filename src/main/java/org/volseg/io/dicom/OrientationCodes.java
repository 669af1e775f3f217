package org.volseg.io.dicom;

import org.volseg.volume.Geometry;

/**
 * Three-letter orientation codes (nibabel's {@code aff2axcodes}): for each voxel axis x, y, z,
 * the patient direction it points to, L/R, P/A, S/I. Minimal stand-in until
 * {@code org.volseg.volume.Orientation} exists; then delegate to it.
 */
final class OrientationCodes {

	private OrientationCodes() {
	}

	/** For example "LPS" for a plain axial DICOM series, "PIL"... for others; '?' for an axis no world axis dominates. */
	static String of(Geometry geometry) {
		double[][] d = geometry.direction();
		char[] code = new char[3];
		boolean[] used = new boolean[3];
		for (int axis = 0; axis < 3; axis++) {
			int best = -1;
			double bestAbs = 0;
			for (int w = 0; w < 3; w++)
				if (!used[w] && Math.abs(d[w][axis]) > bestAbs) {
					bestAbs = Math.abs(d[w][axis]);
					best = w;
				}
			if (best < 0) {
				code[axis] = '?';
				continue;
			}
			used[best] = true;
			boolean positive = d[best][axis] > 0;
			code[axis] = "LPS".charAt(best);
			if (!positive)
				code[axis] = "RAI".charAt(best);
		}
		return new String(code);
	}
}
