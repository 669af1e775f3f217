package org.volseg.sample;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import org.volseg.InvalidParameterException;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Synthetic abdominal CT scans in Hounsfield units with exact ground-truth labels
 * ({@link PhantomLabels}): body outline, liver, spleen, both kidneys and the spine, with random
 * sizes, positions, intensities, noise and slice spacing. See {@code docs/phantoms.md} for the
 * model, the HU table and the label rules.
 *
 * <p>Geometry: axial slices, axis-aligned LPS (voxel x runs to the patient's left, y to posterior,
 * z to superior); the grid is centred on the world origin. The patient's right is therefore at
 * negative world x and low voxel x: the liver and the right kidney sit there.</p>
 *
 * <p>Deterministic: the same seed and size give the same voxels on every JVM (only
 * {@link SplittableRandom} and {@link StrictMath} are used). Instances are immutable and
 * thread-safe; {@link #generate} allocates two float volumes of the grid's size.</p>
 */
public final class AbdominalPhantomGenerator {

	/** Default grid (x, y, z). */
	public static final int[] DEFAULT_SIZE = { 128, 128, 64 };
	private static final int MIN_SIZE = 32, MAX_SIZE = 1024;

	// tissues: each maps to a label and has a per-case base HU and a texture amplitude
	private static final byte AIR = 0, SUBCUTANEOUS_FAT = 1, VISCERAL_FAT = 2, BOWEL = 3, BOWEL_GAS = 4, MUSCLE = 5,
			VESSEL = 6, CANAL = 7, DISC = 8, LIVER = 9, SPLEEN = 10, RIGHT_KIDNEY = 11, LEFT_KIDNEY = 12,
			CANCELLOUS_BONE = 13, CORTICAL_BONE = 14, TISSUES = 15;
	private static final int[] LABEL_OF = { PhantomLabels.BACKGROUND, PhantomLabels.BODY, PhantomLabels.BODY,
			PhantomLabels.BODY, PhantomLabels.BODY, PhantomLabels.BODY, PhantomLabels.BODY, PhantomLabels.BODY,
			PhantomLabels.BODY, PhantomLabels.LIVER, PhantomLabels.SPLEEN, PhantomLabels.RIGHT_KIDNEY,
			PhantomLabels.LEFT_KIDNEY, PhantomLabels.SPINE, PhantomLabels.SPINE };
	/** Texture amplitude (HU) of each tissue: the smooth field's value times this is added to the base. */
	private static final double[] TEXTURE_HU = { 0, 3, 3, 5, 0, 3, 2, 3, 5, 3, 3, 3, 3, 20, 30 };

	private final int[] size;

	private AbdominalPhantomGenerator(int[] size) {
		this.size = size;
	}

	/** The default grid, {@code 128 x 128 x 64}. */
	public static AbdominalPhantomGenerator defaults() {
		return new AbdominalPhantomGenerator(DEFAULT_SIZE.clone());
	}

	/**
	 * A generator for another grid. The field of view stays that of a patient (320 to 384 mm across),
	 * so in-plane spacing scales with the size; slices stay 2.5 to 5 mm apart.
	 *
	 * @param size (x, y, z), each from 32 to 1024
	 */
	public static AbdominalPhantomGenerator ofSize(int... size) {
		if (size.length != 3 || Arrays.stream(size).anyMatch(s -> s < MIN_SIZE || s > MAX_SIZE))
			throw InvalidParameterException.of("--size", Arrays.toString(size),
					"three sizes (x, y, z), each from " + MIN_SIZE + " to " + MAX_SIZE);
		return new AbdominalPhantomGenerator(size.clone());
	}

	/** The grid (x, y, z). */
	public int[] size() {
		return size.clone();
	}

	/** Generates the case of a seed. */
	public Phantom generate(long seed) {
		return new Case(seed).build();
	}

	/** One case under construction: its random parameters and its tissue map. */
	private final class Case {
		final long seed;
		final SplittableRandom random;
		final int nx = size[0], ny = size[1], nz = size[2];
		final double sxy, sz;
		final double[] origin;
		final byte[] tissue;

		// body
		final double scale, bx, by, a, b, bodyExponent, fat, zRef;
		final double[] bodyHarmonics = new double[6];
		final double bodyPhaseZ;

		Case(long seed) {
			this.seed = seed;
			random = new SplittableRandom(seed);
			double fov = uniform(320, 384);
			sxy = fov / Math.max(nx, ny);
			sz = uniform(2.5, 5.0);
			origin = new double[] { -(nx - 1) / 2.0 * sxy, -(ny - 1) / 2.0 * sxy, -(nz - 1) / 2.0 * sz };
			tissue = new byte[nx * ny * nz];

			scale = uniform(0.9, 1.08);
			bx = uniform(-8, 8);
			by = uniform(-8, 8);
			double halfX = (nx - 1) / 2.0 * sxy, halfY = (ny - 1) / 2.0 * sxy;
			a = Math.min(uniform(130, 155) * scale, halfX - 6 - Math.abs(bx));
			b = Math.min(uniform(0.70, 0.82) * a, halfY - 6 - Math.abs(by));
			bodyExponent = uniform(2.2, 2.8);
			fat = uniform(8, 22) * scale;
			for (int k = 0; k < 3; k++) {
				bodyHarmonics[2 * k] = uniform(0, 0.025);
				bodyHarmonics[2 * k + 1] = uniform(0, 2 * Math.PI);
			}
			bodyPhaseZ = uniform(0, 2 * Math.PI);
			zRef = uniform(-20, 20);
		}

		double uniform(double lo, double hi) {
			return lo + (hi - lo) * random.nextDouble();
		}

		Phantom build() {
			double[] lower = { origin[0], origin[1], origin[2] };
			double[] upper = { origin[0] + (nx - 1) * sxy, origin[1] + (ny - 1) * sxy, origin[2] + (nz - 1) * sz };
			SmoothNoise bowelField = new SmoothNoise(lower, upper, 28, random.split());
			SmoothNoise bowelDetail = new SmoothNoise(lower, upper, 12, random.split());
			SmoothNoise gasField = new SmoothNoise(lower, upper, 11, random.split());
			double bowelThreshold = uniform(0.05, 0.3);
			paintBody(bowelField, bowelDetail, bowelThreshold, gasField);

			// spine geometry first: other structures are placed relative to it
			double vbRx = uniform(17, 21) * scale, vbRy = uniform(13, 16) * scale;
			double yv = by + b * uniform(0.28, 0.38);
			double lordosis = uniform(3, 8), lordosisPhase = uniform(0, 2 * Math.PI);
			double canalR = uniform(6.5, 8.5) * scale, archT = uniform(4.5, 6.5) * scale;
			double spinousLength = uniform(18, 26) * scale, levelHeight = uniform(28, 34) * scale;
			double discT = uniform(5, 8) * scale, levelPhase = uniform(0, levelHeight);
			java.util.function.DoubleUnaryOperator spineY = z -> yv + lordosis * StrictMath.sin(z / 160 + lordosisPhase);

			paintMuscles(vbRx, spineY, canalR, vbRy);

			OrganShape liver = new OrganShape(
					new double[] { bx - a * uniform(0.30, 0.40), by - b * uniform(0.05, 0.20), zRef + uniform(45, 65) * scale },
					new double[] { uniform(70, 85) * scale, uniform(62, 78) * scale, uniform(65, 80) * scale },
					uniform(2.2, 2.8), uniform(-0.25, 0.25), uniform(-0.15, 0.15), 0.10, random.split())
					.withTaper(uniform(0.3, 0.5));
			// the retroperitoneum (aorta, vena cava, spine) stays free of liver: carve its posteromedial part
			double carveX = bx - vbRx - uniform(5, 15) * scale, carveGap = uniform(20, 30) * scale;
			paint(liver, LIVER, (wx, wy, wz) -> wx > carveX && wy > spineY.applyAsDouble(wz) - vbRy - carveGap);

			OrganShape spleen = new OrganShape(
					new double[] { bx + a * uniform(0.48, 0.58), by + b * uniform(0.10, 0.30), zRef + uniform(40, 60) * scale },
					new double[] { uniform(22, 30) * scale, uniform(45, 58) * scale, uniform(42, 55) * scale },
					2.2, uniform(0.35, 0.7), uniform(-0.1, 0.1), 0.08, random.split());
			paint(spleen, SPLEEN, NOWHERE);

			for (int side = -1; side <= 1; side += 2) { // -1: patient right (negative x), +1: left
				double rx = uniform(24, 29) * scale, ry = uniform(17, 22) * scale, rz = uniform(48, 58) * scale;
				double cx = bx + side * (vbRx + rx + uniform(12, 22) * scale);
				double cz = side < 0 ? zRef - uniform(5, 20) : zRef + uniform(-5, 10);
				double cy = spineY.applyAsDouble(cz) + uniform(0, 12) * scale;
				OrganShape kidney = new OrganShape(new double[] { cx, cy, cz }, new double[] { rx, ry, rz }, 2.1,
						uniform(-0.3, 0.3), -side * uniform(0.05, 0.2), 0.06, random.split())
						.withNotch(new double[] { -side, -0.4, 0 }, 0.35);
				paint(kidney.inflated(uniform(4, 8)), VISCERAL_FAT, NOWHERE);
				paint(kidney, side < 0 ? RIGHT_KIDNEY : LEFT_KIDNEY, NOWHERE);
			}

			paintVessels(vbRy, spineY);
			paintSpine(vbRx, vbRy, spineY, canalR, archT, spinousLength, levelHeight, discT, levelPhase);
			return render();
		}

		/** Skin outline: subcutaneous fat shell, and inside it visceral fat with bowel loops and gas. */
		void paintBody(SmoothNoise bowelField, SmoothNoise bowelDetail, double bowelThreshold, SmoothNoise gasField) {
			int i = 0;
			for (int z = 0; z < nz; z++) {
				double wz = origin[2] + z * sz;
				for (int y = 0; y < ny; y++) {
					double wy = origin[1] + y * sxy;
					for (int x = 0; x < nx; x++, i++) {
						double wx = origin[0] + x * sxy;
						double outer = bodyRadius(wx, wy, wz, 0);
						if (outer > 1)
							continue;
						if (bodyRadius(wx, wy, wz, fat) > 1)
							tissue[i] = SUBCUTANEOUS_FAT;
						else if (bowelField.at(wx, wy, wz) + 0.4 * bowelDetail.at(wx, wy, wz) > bowelThreshold)
							tissue[i] = gasField.at(wx, wy, wz) > 0.72 ? BOWEL_GAS : BOWEL;
						else
							tissue[i] = VISCERAL_FAT;
					}
				}
			}
		}

		/** Superellipse radius of the body outline shrunk by {@code inset} mm: at most 1 inside. */
		double bodyRadius(double wx, double wy, double wz, double inset) {
			double dx = wx - bx, dy = wy - by;
			double theta = StrictMath.atan2(dy, dx);
			double wobble = 1 + 0.04 * StrictMath.sin(wz / 55 + bodyPhaseZ);
			for (int k = 0; k < 3; k++)
				wobble += bodyHarmonics[2 * k] * StrictMath.cos((k + 2) * theta + bodyHarmonics[2 * k + 1]);
			double ra = a * wobble - inset, rb = b * wobble - inset;
			return StrictMath.pow(StrictMath.pow(Math.abs(dx / ra), bodyExponent) + StrictMath.pow(Math.abs(dy / rb), bodyExponent),
					1 / bodyExponent);
		}

		boolean insideBodyWall(double wx, double wy, double wz) {
			return bodyRadius(wx, wy, wz, fat) <= 1;
		}

		/** Paraspinal muscles behind the spine and the psoas muscles beside it (growing downwards). */
		void paintMuscles(double vbRx, java.util.function.DoubleUnaryOperator spineY, double canalR, double vbRy) {
			double mx = uniform(25, 35) * scale, my = uniform(8, 16) * scale;
			double mrx = uniform(20, 26) * scale, mry = uniform(15, 20) * scale;
			double psoasGap = uniform(8, 14) * scale;
			forEachVoxel((i, wx, wy, wz) -> {
				double ys = spineY.applyAsDouble(wz);
				double canalY = ys + vbRy + canalR + 1.5;
				for (int side = -1; side <= 1; side += 2) {
					double ex = (wx - (bx + side * mx)) / mrx, ey = (wy - (canalY + my)) / mry;
					if (ex * ex + ey * ey <= 1 && insideBodyWall(wx, wy, wz))
						tissue[i] = MUSCLE;
					double pr = (7 + 9 * Math.max(0, Math.min(1, (zRef + 40 - wz) / 120))) * scale;
					double px = (wx - (bx + side * (vbRx + psoasGap))) / pr, py = (wy - ys) / (pr * 0.85);
					if (px * px + py * py <= 1 && insideBodyWall(wx, wy, wz))
						tissue[i] = MUSCLE;
				}
			});
		}

		/** Aorta (left of the midline) and inferior vena cava (right), in front of the vertebral bodies. */
		void paintVessels(double vbRy, java.util.function.DoubleUnaryOperator spineY) {
			double ar = uniform(9, 12) * scale, ax = bx + uniform(6, 14) * scale, aGap = uniform(1, 4);
			double vrx = uniform(11, 15) * scale, vry = uniform(7, 10) * scale, vx = bx - uniform(16, 24) * scale;
			forEachVoxel((i, wx, wy, wz) -> {
				double front = spineY.applyAsDouble(wz) - vbRy;
				double ex = (wx - ax) / ar, ey = (wy - (front - ar - aGap)) / ar;
				double cx = (wx - vx) / vrx, cy = (wy - (front - vry - aGap)) / vry;
				if (ex * ex + ey * ey <= 1 || cx * cx + cy * cy <= 1)
					tissue[i] = VESSEL;
			});
		}

		/**
		 * Vertebral bodies (cancellous bone in a cortical shell) separated by discs, the neural arch
		 * around the canal and the spinous process, level by level.
		 */
		void paintSpine(double vbRx, double vbRy, java.util.function.DoubleUnaryOperator spineY, double canalR,
				double archT, double spinousLength, double levelHeight, double discT, double levelPhase) {
			double shell = 2.5;
			double spinousHalfWidth = 3.5 * scale;
			forEachVoxel((i, wx, wy, wz) -> {
				double ys = spineY.applyAsDouble(wz);
				double dx = wx - bx, dy = wy - ys;
				if (Math.abs(dx) > vbRx + canalR + archT || dy < -vbRy || dy > 2 * vbRy + 3 * canalR + archT + spinousLength)
					return;
				double level = ((wz - levelPhase) % levelHeight + levelHeight) % levelHeight;
				boolean disc = level < discT;
				double rho = StrictMath.pow(StrictMath.pow(Math.abs(dx / vbRx), 2.3) + StrictMath.pow(Math.abs(dy / vbRy), 2.3), 1 / 2.3);
				if (rho <= 1) {
					if (disc)
						tissue[i] = DISC;
					else
						tissue[i] = rho > 1 - shell / Math.min(vbRx, vbRy) ? CORTICAL_BONE : CANCELLOUS_BONE;
					return;
				}
				double canalY = ys + vbRy + canalR + 1.5;
				double r = StrictMath.hypot(dx, wy - canalY);
				if (r <= canalR) {
					tissue[i] = CANAL;
					return;
				}
				if (disc)
					return;
				boolean arch = r <= canalR + archT && wy >= canalY - canalR;
				boolean spinous = Math.abs(dx) <= spinousHalfWidth && wy >= canalY && wy <= canalY + canalR + spinousLength
						&& level < discT + 0.6 * (levelHeight - discT) && insideBodyWall(wx, wy, wz);
				if (arch || spinous)
					tissue[i] = CORTICAL_BONE;
			});
		}

		/** Writes {@code t} wherever the shape is, inside the body wall, except where {@code excluded}. */
		void paint(OrganShape shape, int t, WorldPredicate excluded) {
			double[] box = shape.bounds();
			int x0 = Math.max(0, (int) Math.floor((box[0] - origin[0]) / sxy)), x1 = Math.min(nx - 1, (int) Math.ceil((box[3] - origin[0]) / sxy));
			int y0 = Math.max(0, (int) Math.floor((box[1] - origin[1]) / sxy)), y1 = Math.min(ny - 1, (int) Math.ceil((box[4] - origin[1]) / sxy));
			int z0 = Math.max(0, (int) Math.floor((box[2] - origin[2]) / sz)), z1 = Math.min(nz - 1, (int) Math.ceil((box[5] - origin[2]) / sz));
			for (int z = z0; z <= z1; z++)
				for (int y = y0; y <= y1; y++)
					for (int x = x0; x <= x1; x++) {
						double wx = origin[0] + x * sxy, wy = origin[1] + y * sxy, wz = origin[2] + z * sz;
						if (shape.contains(wx, wy, wz) && insideBodyWall(wx, wy, wz) && !excluded.test(wx, wy, wz))
							tissue[x + nx * (y + ny * z)] = (byte) t;
					}
		}

		void forEachVoxel(VoxelAction action) {
			int i = 0;
			for (int z = 0; z < nz; z++)
				for (int y = 0; y < ny; y++)
					for (int x = 0; x < nx; x++, i++)
						if (tissue[i] != AIR)
							action.apply(i, origin[0] + x * sxy, origin[1] + y * sxy, origin[2] + z * sz);
		}

		/**
		 * HU = the tissue's base for this case + smooth texture + gaussian noise, rounded to an integer
		 * and clamped to [-1024, 3071] as a CT scanner stores it; labels from tissues.
		 */
		Phantom voxels(double[] baseHu, double noise) {
			Geometry g = Geometry.ofLps(new double[][] { { sxy, 0, 0, origin[0] }, { 0, sxy, 0, origin[1] },
					{ 0, 0, sz, origin[2] }, { 0, 0, 0, 1 } });
			Volume image = Volume.allocate(g, nx, ny, nz);
			Volume labels = Volume.allocate(g, nx, ny, nz);
			double[] lower = { origin[0], origin[1], origin[2] };
			double[] upper = { origin[0] + (nx - 1) * sxy, origin[1] + (ny - 1) * sxy, origin[2] + (nz - 1) * sz };
			SmoothNoise soft = new SmoothNoise(lower, upper, 18, random.split());
			SmoothNoise bone = new SmoothNoise(lower, upper, 9, random.split());
			SplittableRandom noiseRandom = random.split();
			Cursor<FloatType> ci = Views.flatIterable(image.voxels()).cursor();
			Cursor<FloatType> cl = Views.flatIterable(labels.voxels()).cursor();
			int i = 0;
			for (int z = 0; z < nz; z++)
				for (int y = 0; y < ny; y++)
					for (int x = 0; x < nx; x++, i++) {
						int t = tissue[i];
						double wx = origin[0] + x * sxy, wy = origin[1] + y * sxy, wz = origin[2] + z * sz;
						double texture = TEXTURE_HU[t] == 0 ? 0
								: TEXTURE_HU[t] * (t >= CANCELLOUS_BONE ? bone : soft).at(wx, wy, wz);
						double hu = baseHu[t] + texture + noise * gaussian(noiseRandom);
						ci.next().set((float) (Math.rint(Math.max(-1024, Math.min(3071, hu))) + 0.0)); // + 0.0: no -0
						cl.next().set(LABEL_OF[t]);
					}
			return new Phantom(image, labels, seed, description(baseHu, noise));
		}

		Phantom render() {
			double[] hu = new double[TISSUES];
			hu[AIR] = -1000;
			hu[SUBCUTANEOUS_FAT] = uniform(-100, -85);
			hu[VISCERAL_FAT] = uniform(-95, -75);
			hu[BOWEL] = uniform(5, 15);
			hu[BOWEL_GAS] = uniform(-1000, -900);
			hu[MUSCLE] = uniform(30, 40);
			hu[VESSEL] = uniform(30, 40);
			hu[CANAL] = uniform(5, 20);
			hu[DISC] = uniform(70, 100);
			hu[LIVER] = uniform(55, 65);
			hu[SPLEEN] = uniform(45, Math.min(55, hu[LIVER] - 5));
			hu[RIGHT_KIDNEY] = uniform(25, 35);
			hu[LEFT_KIDNEY] = Math.max(25, Math.min(35, hu[RIGHT_KIDNEY] + uniform(-2, 2)));
			hu[CANCELLOUS_BONE] = uniform(320, 400);
			hu[CORTICAL_BONE] = uniform(700, 1000);
			double noise = uniform(5, 15);
			return voxels(hu, noise);
		}

		double gaussian(SplittableRandom r) {
			while (true) {
				double u = 2 * r.nextDouble() - 1, v = 2 * r.nextDouble() - 1, s = u * u + v * v;
				if (s > 0 && s < 1)
					return u * Math.sqrt(-2 * StrictMath.log(s) / s);
			}
		}

		String description(double[] hu, double noise) {
			return String.format(Locale.ROOT,
					"VolSeg abdominal phantom seed %d; spacing %.3f x %.3f x %.3f mm; noise %.1f HU; liver %.0f, spleen %.0f,"
							+ " kidneys %.0f/%.0f HU",
					seed, sxy, sxy, sz, noise, hu[LIVER], hu[SPLEEN], hu[RIGHT_KIDNEY], hu[LEFT_KIDNEY]);
		}
	}

	private static final WorldPredicate NOWHERE = (x, y, z) -> false;

	@FunctionalInterface
	private interface WorldPredicate {
		boolean test(double wx, double wy, double wz);
	}

	@FunctionalInterface
	private interface VoxelAction {
		void apply(int index, double wx, double wy, double wz);
	}
}
