package org.volseg.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.volseg.InvalidParameterException;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

class AbdominalPhantomGeneratorTest {

	private static final long[] SEEDS = { 0, 1, 7 };
	private static Phantom[] phantoms;

	@BeforeAll
	static void generate() {
		phantoms = new Phantom[SEEDS.length];
		for (int k = 0; k < SEEDS.length; k++)
			phantoms[k] = AbdominalPhantomGenerator.defaults().generate(SEEDS[k]);
	}

	@Test
	void sameSeedGivesIdenticalVoxelsAndOtherSeedsDiffer() {
		Phantom again = AbdominalPhantomGenerator.defaults().generate(SEEDS[0]);
		assertArrayEquals(floats(phantoms[0].image()), floats(again.image()));
		assertArrayEquals(floats(phantoms[0].labels()), floats(again.labels()));
		assertEquals(phantoms[0].image().geometry(), again.image().geometry());
		assertEquals(phantoms[0].description(), again.description());
		assertFalse(Arrays.equals(floats(phantoms[0].image()), floats(phantoms[1].image())));
		assertFalse(Arrays.equals(floats(phantoms[0].labels()), floats(phantoms[1].labels())));
		assertFalse(phantoms[0].image().geometry().equals(phantoms[1].image().geometry()), "slice spacing is random");
	}

	@Test
	void gridSpacingAndGeometryAreAxialLps() {
		for (Phantom p : phantoms) {
			assertArrayEquals(new long[] { 128, 128, 64 }, p.image().dimensions());
			assertEquals(p.image().geometry(), p.labels().geometry());
			Geometry g = p.image().geometry();
			double[] s = g.spacing();
			assertTrue(s[0] >= 2.5 && s[0] <= 3.0 && s[1] == s[0], Arrays.toString(s));
			assertTrue(s[2] >= 2.5 && s[2] <= 5.0, Arrays.toString(s));
			double[][] d = g.direction();
			for (int r = 0; r < 3; r++)
				for (int c = 0; c < 3; c++)
					assertEquals(r == c ? 1 : 0, d[r][c], 0, "axis-aligned LPS: x left, y posterior, z superior");
		}
	}

	@Test
	void everyLabelIsPresentAndOrgansSitWhereAnatomySaysInLps() {
		for (Phantom p : phantoms) {
			double[][] c = centroids(p);
			for (int label = 0; label <= 6; label++)
				assertTrue(c[label][3] > 0, "label " + label + " missing in seed " + p.seed());
			// patient right is -x in LPS: liver and right kidney at negative world x, spleen and left kidney positive
			assertTrue(c[PhantomLabels.LIVER][0] < 0, "liver centroid x " + c[PhantomLabels.LIVER][0]);
			assertTrue(c[PhantomLabels.RIGHT_KIDNEY][0] < 0);
			assertTrue(c[PhantomLabels.SPLEEN][0] > 0);
			assertTrue(c[PhantomLabels.LEFT_KIDNEY][0] > 0);
			// spine is posterior (+y) of the liver and between the kidneys
			assertTrue(c[PhantomLabels.SPINE][1] > c[PhantomLabels.LIVER][1]);
			assertTrue(c[PhantomLabels.RIGHT_KIDNEY][0] < c[PhantomLabels.SPINE][0]
					&& c[PhantomLabels.SPINE][0] < c[PhantomLabels.LEFT_KIDNEY][0]);
			// the liver's dome is above (superior, +z) the right kidney
			assertTrue(c[PhantomLabels.LIVER][2] > c[PhantomLabels.RIGHT_KIDNEY][2]);
			// the liver is the largest organ
			assertTrue(c[PhantomLabels.LIVER][3] > c[PhantomLabels.SPLEEN][3]
					&& c[PhantomLabels.LIVER][3] > c[PhantomLabels.RIGHT_KIDNEY][3]);
		}
	}

	@Test
	void meanHuPerLabelLiesInTheDocumentedRange() {
		// documented in docs/phantoms.md: base ranges, and texture of at most 3 HU (30 in bone)
		double[][] range = { { -1000, -1000 }, { -100, 40 }, { 55, 65 }, { 45, 55 }, { 25, 35 }, { 25, 35 }, { 300, 1000 } };
		for (Phantom p : phantoms) {
			double[] sum = new double[7];
			long[] n = new long[7];
			Cursor<FloatType> ci = Views.flatIterable(p.image().voxels()).cursor();
			Cursor<FloatType> cl = Views.flatIterable(p.labels().voxels()).cursor();
			while (ci.hasNext()) {
				float hu = ci.next().get();
				int l = (int) cl.next().get();
				assertEquals(hu, Math.rint(hu), 0, "HU values are integers");
				sum[l] += hu;
				n[l]++;
			}
			for (int l = 0; l <= 6; l++) {
				double mean = sum[l] / n[l];
				double margin = l == 0 ? 1 : 3.5;
				assertTrue(mean >= range[l][0] - margin && mean <= range[l][1] + margin,
						"seed " + p.seed() + " label " + l + " mean " + mean);
			}
			// distinguishable by intensity: liver brighter than spleen brighter than kidneys
			assertTrue(sum[2] / n[2] > sum[3] / n[3] && sum[3] / n[3] > sum[4] / n[4], "seed " + p.seed());
		}
	}

	@Test
	void airOutsideTheBodyAndLabelsAreIntegersFromZeroToSix() {
		for (Phantom p : phantoms) {
			float[] hu = floats(p.image()), labels = floats(p.labels());
			for (int i = 0; i < hu.length; i++) {
				assertTrue(labels[i] >= 0 && labels[i] <= 6 && labels[i] == Math.rint(labels[i]));
				if (labels[i] == 0)
					assertTrue(hu[i] < -850, "background is air, got " + hu[i]);
			}
		}
	}

	@Test
	void otherSizesKeepAPatientSizedFieldOfViewAndBadSizesAreRefused() {
		Phantom small = AbdominalPhantomGenerator.ofSize(64, 64, 32).generate(3);
		assertArrayEquals(new long[] { 64, 64, 32 }, small.image().dimensions());
		double fov = small.image().geometry().spacing()[0] * 64;
		assertTrue(fov >= 320 && fov <= 384, "field of view " + fov);
		double[][] c = centroids(small);
		for (int label = 1; label <= 6; label++)
			assertTrue(c[label][3] > 0, "label " + label);
		InvalidParameterException e = assertThrows(InvalidParameterException.class,
				() -> AbdominalPhantomGenerator.ofSize(128, 128, 8));
		assertTrue(e.getMessage().startsWith("--size"), e.getMessage());
	}

	/** Per label: world centroid x, y, z (mm) and voxel count. */
	private static double[][] centroids(Phantom p) {
		double[][] c = new double[7][4];
		Volume labels = p.labels();
		Cursor<FloatType> cl = Views.flatIterable(labels.voxels()).cursor();
		double[] voxel = new double[3], world = new double[3];
		while (cl.hasNext()) {
			int l = (int) cl.next().get();
			for (int d = 0; d < 3; d++)
				voxel[d] = cl.getDoublePosition(d);
			labels.geometry().voxelToWorld(voxel, world);
			for (int d = 0; d < 3; d++)
				c[l][d] += world[d];
			c[l][3]++;
		}
		for (double[] row : c)
			if (row[3] > 0)
				for (int d = 0; d < 3; d++)
					row[d] /= row[3];
		return c;
	}

	private static float[] floats(Volume v) {
		float[] out = new float[(int) v.spatialVoxelCount()];
		Cursor<FloatType> c = Views.flatIterable(v.voxels()).cursor();
		for (int i = 0; i < out.length; i++)
			out[i] = c.next().get();
		return out;
	}
}
