package org.volseg.sample;

import java.util.SplittableRandom;

/**
 * A smooth random solid: a superellipsoid {@code (|x/rx|^n + |y/ry|^n + |z/rz|^n)^(1/n) <= 1},
 * rotated about the world z axis then about its own y axis, whose boundary is pushed in and out by
 * a few low-frequency sinusoids of the direction from its centre (relative amplitude about
 * {@code wobble}). Coordinates are world mm (LPS). Immutable and thread-safe.
 */
final class OrganShape {

	private static final int WAVES = 6;

	private final double[] centre;
	private final double rx, ry, rz, exponent;
	private final double cosZ, sinZ, cosY, sinY;
	private final double[][] waveVectors = new double[WAVES][3];
	private final double[] wavePhases = new double[WAVES];
	private final double[] waveAmplitudes = new double[WAVES];
	private final double taper;
	private final double[] notchDirection;
	private final double notchDepth;

	/**
	 * @param centre world centre (mm)
	 * @param radii semi-axes (mm) along the shape's own x, y, z before rotation
	 * @param exponent superellipsoid exponent (2 is an ellipsoid; larger is boxier)
	 * @param angleZ rotation about the world z axis, radians (positive turns +x towards +y)
	 * @param angleY rotation about the shape's y axis, radians (positive tilts its +z end towards +x)
	 * @param wobble relative amplitude of the boundary deformation, for example 0.1
	 * @param random the source of the deformation (consumed here)
	 */
	OrganShape(double[] centre, double[] radii, double exponent, double angleZ, double angleY, double wobble,
			SplittableRandom random) {
		this.centre = centre.clone();
		this.rx = radii[0];
		this.ry = radii[1];
		this.rz = radii[2];
		this.exponent = exponent;
		cosZ = StrictMath.cos(angleZ);
		sinZ = StrictMath.sin(angleZ);
		cosY = StrictMath.cos(angleY);
		sinY = StrictMath.sin(angleY);
		for (int k = 0; k < WAVES; k++) {
			double[] v = randomUnit(random);
			double frequency = 1.5 + 2 * random.nextDouble();
			for (int d = 0; d < 3; d++)
				waveVectors[k][d] = v[d] * frequency;
			wavePhases[k] = 2 * Math.PI * random.nextDouble();
			waveAmplitudes[k] = wobble * (0.5 + random.nextDouble()) / Math.sqrt(WAVES);
		}
		taper = 0;
		notchDirection = null;
		notchDepth = 0;
	}

	private OrganShape(OrganShape o, double grow, double taper, double[] notchDirection, double notchDepth) {
		centre = o.centre;
		rx = o.rx + grow;
		ry = o.ry + grow;
		rz = o.rz + grow;
		exponent = o.exponent;
		cosZ = o.cosZ;
		sinZ = o.sinZ;
		cosY = o.cosY;
		sinY = o.sinY;
		for (int k = 0; k < WAVES; k++) {
			waveVectors[k] = o.waveVectors[k];
			wavePhases[k] = o.wavePhases[k];
			waveAmplitudes[k] = o.waveAmplitudes[k];
		}
		this.taper = taper;
		this.notchDirection = notchDirection;
		this.notchDepth = notchDepth;
	}

	/**
	 * This shape with its y extent narrowed towards its +x side: at local x = +rx the y radius is
	 * scaled by {@code 1 - amount} (a liver's left lobe is thinner than its right).
	 */
	OrganShape withTaper(double amount) {
		return new OrganShape(this, 0, amount, notchDirection, notchDepth);
	}

	/** This shape with its boundary indented around a local direction by {@code depth} (relative), like a kidney's hilum. */
	OrganShape withNotch(double[] localDirection, double depth) {
		double n = Math.sqrt(localDirection[0] * localDirection[0] + localDirection[1] * localDirection[1]
				+ localDirection[2] * localDirection[2]);
		return new OrganShape(this, 0, taper,
				new double[] { localDirection[0] / n, localDirection[1] / n, localDirection[2] / n }, depth);
	}

	/** This shape grown by {@code mm} along each semi-axis, with the same deformation (a fat capsule). */
	OrganShape inflated(double mm) {
		return new OrganShape(this, mm, taper, notchDirection, notchDepth);
	}

	/** True if the world point (mm) is inside. */
	boolean contains(double x, double y, double z) {
		double dx = x - centre[0], dy = y - centre[1], dz = z - centre[2];
		// world -> local: undo the z rotation, then the y rotation
		double ax = cosZ * dx + sinZ * dy, ay = -sinZ * dx + cosZ * dy;
		double lx = cosY * ax - sinY * dz, lz = sinY * ax + cosY * dz, ly = ay;
		double u = lx / rx, v = ly / (ry * (1 - taper * 0.5 * (1 + Math.max(-1, Math.min(1, u))))), w = lz / rz;
		double rho = StrictMath.pow(StrictMath.pow(Math.abs(u), exponent) + StrictMath.pow(Math.abs(v), exponent)
				+ StrictMath.pow(Math.abs(w), exponent), 1 / exponent);
		if (rho > 1.6)
			return false;
		double norm = Math.sqrt(u * u + v * v + w * w);
		if (norm == 0)
			return true;
		double ux = u / norm, uy = v / norm, uz = w / norm;
		double limit = 1;
		for (int k = 0; k < WAVES; k++)
			limit += waveAmplitudes[k]
					* StrictMath.sin(waveVectors[k][0] * ux + waveVectors[k][1] * uy + waveVectors[k][2] * uz + wavePhases[k]);
		if (notchDirection != null) {
			double cos = ux * notchDirection[0] + uy * notchDirection[1] + uz * notchDirection[2];
			limit -= notchDepth * StrictMath.exp(-(1 - cos) / 0.08);
		}
		return rho <= limit;
	}

	/** World bounding box {minX, minY, minZ, maxX, maxY, maxZ} (mm), generous. */
	double[] bounds() {
		double r = 1.6 * Math.max(rx, Math.max(ry, rz));
		return new double[] { centre[0] - r, centre[1] - r, centre[2] - r, centre[0] + r, centre[1] + r, centre[2] + r };
	}

	private static double[] randomUnit(SplittableRandom random) {
		while (true) {
			double x = 2 * random.nextDouble() - 1, y = 2 * random.nextDouble() - 1, z = 2 * random.nextDouble() - 1;
			double n = x * x + y * y + z * z;
			if (n > 1e-6 && n <= 1) {
				n = Math.sqrt(n);
				return new double[] { x / n, y / n, z / n };
			}
		}
	}
}
