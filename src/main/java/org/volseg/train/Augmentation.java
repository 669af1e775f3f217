package org.volseg.train;

import java.util.SplittableRandom;

/**
 * Random augmentation of training patches, applied to image and labels together so they stay
 * aligned: flips along chosen axes (each with probability 1/2), optional rotations by a multiple of
 * 90 degrees in the axial (x, y) plane (square patches only), and an intensity scale and shift
 * ({@code v * s + t}, s uniform in {@code [1 - scale, 1 + scale]}, t uniform in {@code [-shift, shift]},
 * one draw per patch) on the image only.
 *
 * <p>Flips along x and axial rotations move the patient's left to the right: do not use them when
 * classes are lateralised (left/right kidney) unless every image is mirrored with its labels swapped.</p>
 *
 * <p>Layout: one patch {@code [x, y, z, channel]} / {@code [x, y, z]} row-major (as
 * {@link PatchSampler} writes it). Deterministic for a seed; not thread-safe.</p>
 *
 * @param flipAxes which of x, y, z may be flipped
 * @param rotate90 whether to rotate by 0, 90, 180 or 270 degrees in the (x, y) plane
 * @param intensityScale half-width of the multiplicative range
 * @param intensityShift half-width of the additive range (in preprocessed units)
 */
public record Augmentation(boolean[] flipAxes, boolean rotate90, double intensityScale, double intensityShift) {

	/** No augmentation. */
	public static Augmentation none() {
		return new Augmentation(new boolean[3], false, 0, 0);
	}

	public Augmentation {
		flipAxes = flipAxes.clone();
		if (flipAxes.length != 3) throw new IllegalArgumentException("flipAxes needs 3 entries (x, y, z)");
		if (!(intensityScale >= 0 && intensityScale < 1) || !(intensityShift >= 0)) {
			throw new IllegalArgumentException("intensity scale must be in [0, 1) and shift >= 0");
		}
	}

	/**
	 * Augments patch {@code b} of a batch in place.
	 *
	 * @param patch (x, y, z); rotations need x == y
	 */
	public void apply(float[] image, int[] labels, int b, int[] patch, int channels, SplittableRandom random) {
		int px = patch[0], py = patch[1], pz = patch[2];
		int n = px * py * pz;
		float[] img = new float[n * channels];
		int[] lab = new int[n];
		System.arraycopy(image, b * n * channels, img, 0, n * channels);
		System.arraycopy(labels, b * n, lab, 0, n);
		boolean[] flip = new boolean[3];
		for (int a = 0; a < 3; a++) flip[a] = flipAxes[a] && random.nextBoolean();
		int turns = rotate90 && px == py ? random.nextInt(4) : 0;
		double s = intensityScale > 0 ? 1 + (2 * random.nextDouble() - 1) * intensityScale : 1;
		double t = intensityShift > 0 ? (2 * random.nextDouble() - 1) * intensityShift : 0;
		for (int x = 0; x < px; x++) {
			for (int y = 0; y < py; y++) {
				// source (sx, sy) after rotation: output (x, y) reads the input rotated by `turns` quarter turns
				int rx = x, ry = y;
				for (int q = 0; q < turns; q++) {
					int tmp = rx;
					rx = ry;
					ry = px - 1 - tmp;
				}
				int sx = flip[0] ? px - 1 - rx : rx;
				int sy = flip[1] ? py - 1 - ry : ry;
				for (int z = 0; z < pz; z++) {
					int sz = flip[2] ? pz - 1 - z : z;
					int o = (x * py + y) * pz + z;
					int src = (sx * py + sy) * pz + sz;
					labels[b * n + o] = lab[src];
					for (int c = 0; c < channels; c++) {
						image[(b * n + o) * channels + c] = (float) (img[src * channels + c] * s + t);
					}
				}
			}
		}
	}

	/** Short description for reports. */
	public String describe() {
		StringBuilder sb = new StringBuilder();
		String axes = (flipAxes[0] ? "x" : "") + (flipAxes[1] ? "y" : "") + (flipAxes[2] ? "z" : "");
		sb.append("flips ").append(axes.isEmpty() ? "none" : axes);
		sb.append(", axial 90-degree rotations ").append(rotate90 ? "on" : "off");
		sb.append(String.format(java.util.Locale.ROOT, ", intensity scale +-%.3g, shift +-%.3g", intensityScale, intensityShift));
		return sb.toString();
	}
}
