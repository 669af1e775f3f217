package org.volseg.volume;

import java.util.Locale;

import org.volseg.InvalidParameterException;

/**
 * A three-letter orientation code such as {@code RAS}, {@code LPS} or {@code PSL}, in nibabel's
 * convention: letter d names the world direction in which voxel axis d (x, y, z) <em>increases</em>
 * (R/L, A/P, S/I). {@code RAS} is NIfTI's canonical orientation; a DICOM axial series read in its
 * stored order is usually {@code LPS}. (ITK and DICOM literature sometimes use the opposite
 * "from" convention, where the same data would be called RAI; VolSeg never does.)
 *
 * <p>Immutable and thread-safe.</p>
 */
public final class Orientation {

	private static final String POSITIVE = "RAS";
	private static final String NEGATIVE = "LPI";

	/** For each voxel axis: the RAS world axis (0 = R/L, 1 = A/P, 2 = S/I) it runs along. */
	private final int[] worldAxis;
	/** For each voxel axis: +1 if it runs towards R, A or S, -1 towards L, P or I. */
	private final int[] sign;

	private Orientation(int[] worldAxis, int[] sign) {
		this.worldAxis = worldAxis;
		this.sign = sign;
	}

	/**
	 * Parses a code such as {@code "RAS"} (case-insensitive).
	 *
	 * @param parameter the user-facing name of the setting, used in the error message
	 * @throws InvalidParameterException unless the code has three letters from R/L, A/P and S/I,
	 *         one of each pair
	 */
	public static Orientation parse(String code, String parameter) {
		String expectation = "three letters, one of R/L, one of A/P and one of S/I (for example RAS, LPS or PSL)";
		if (code == null || code.length() != 3)
			throw InvalidParameterException.of(parameter, code, expectation);
		String c = code.toUpperCase(Locale.ROOT);
		int[] axis = new int[3], sign = new int[3];
		boolean[] seen = new boolean[3];
		for (int d = 0; d < 3; d++) {
			char letter = c.charAt(d);
			int p = POSITIVE.indexOf(letter), n = NEGATIVE.indexOf(letter);
			int w = p >= 0 ? p : n;
			if (w < 0 || seen[w])
				throw InvalidParameterException.of(parameter, code, expectation);
			seen[w] = true;
			axis[d] = w;
			sign[d] = p >= 0 ? 1 : -1;
		}
		return new Orientation(axis, sign);
	}

	/** Parses a code; errors name the parameter {@code orientation}. */
	public static Orientation parse(String code) {
		return parse(code, "orientation");
	}

	/** The orientation of a geometry's voxel axes, as {@link #ofRasAffine} of its RAS affine. */
	public static Orientation of(Geometry geometry) {
		return ofRasAffine(geometry.affineRas());
	}

	/**
	 * The orientation of a voxel-to-RAS affine exactly as nibabel's {@code aff2axcodes}
	 * ({@code io_orientation}): the columns of the 3x3 block are divided by their norms (the zooms),
	 * the result replaced by its nearest orthogonal matrix (polar decomposition, {@code P Q^T} of the
	 * SVD), and then, for voxel axes x, y, z in turn, the world axis with the largest absolute entry
	 * in that axis's column is picked (the first on ties) and its row zeroed so no later axis can
	 * take it. The entry's sign gives the letter.
	 *
	 * @param affineRas 4x4 (or 3x3) voxel-to-RAS matrix, rows first; its 3x3 block must be invertible
	 */
	public static Orientation ofRasAffine(double[][] affineRas) {
		double[][] rzs = Matrix3.block(affineRas);
		double[] zooms = Matrix3.columnNorms(rzs);
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 3; c++)
				rzs[r][c] /= zooms[c] == 0 ? 1 : zooms[c];
		double[][] rot = Matrix3.nearestOrthogonal(rzs);
		int[] axis = new int[3], sign = new int[3];
		for (int in = 0; in < 3; in++) {
			int best = 0;
			for (int out = 1; out < 3; out++)
				if (Math.abs(rot[out][in]) > Math.abs(rot[best][in]))
					best = out;
			axis[in] = best;
			sign[in] = rot[best][in] < 0 ? -1 : 1;
			rot[best] = new double[3];
		}
		return new Orientation(axis, sign);
	}

	/** The RAS world axis (0 = R/L, 1 = A/P, 2 = S/I) along which voxel axis {@code d} runs. */
	public int worldAxis(int d) {
		return worldAxis[d];
	}

	/** +1 if voxel axis {@code d} increases towards R, A or S; -1 towards L, P or I. */
	public int sign(int d) {
		return sign[d];
	}

	/** The three-letter code, for example {@code "RAS"}. */
	public String code() {
		StringBuilder b = new StringBuilder(3);
		for (int d = 0; d < 3; d++)
			b.append((sign[d] > 0 ? POSITIVE : NEGATIVE).charAt(worldAxis[d]));
		return b.toString();
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof Orientation && ((Orientation) o).code().equals(code());
	}

	@Override
	public int hashCode() {
		return code().hashCode();
	}

	@Override
	public String toString() {
		return code();
	}
}
