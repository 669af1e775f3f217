package org.volseg.train.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.volseg.VolSegException;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

class SegmentationEvaluatorTest {

	private static final double SX = 0.8, SY = 1.1, SZ = 3.0;

	/** A 10-voxel cube of {@code label} with its low corner at (x0, y0, z0). */
	private static void cube(Volume v, int label, int x0, int y0, int z0) {
		RandomAccess<FloatType> ra = v.voxels().randomAccess();
		for (int z = z0; z < z0 + 10; z++)
			for (int y = y0; y < y0 + 10; y++)
				for (int x = x0; x < x0 + 10; x++) {
					ra.setPositionAndGet(x, y, z).set(label);
				}
	}

	private static Volume empty() {
		return Volume.allocate(Geometry.ofSpacing(SX, SY, SZ), 40, 30, 30);
	}

	@Test
	void cubesOffsetByKVoxelsHaveKnownDiceHd95AndVolumes() {
		Volume ref = empty(), pred = empty();
		cube(ref, 1, 2, 2, 2);
		cube(pred, 1, 2, 2, 4); // class 1 moved 2 slices: HD95 = 2 * 3.0 mm
		cube(ref, 2, 20, 5, 5);
		cube(pred, 2, 23, 5, 5); // class 2 moved 3 columns: HD95 = 3 * 0.8 mm
		EvaluationReport r = SegmentationEvaluator.defaults().evaluate(ref, pred);
		assertEquals(2, r.classes().size());
		ClassMetrics c1 = r.forLabel(1), c2 = r.forLabel(2);
		assertEquals(0.8, c1.dice(), 1e-12); // overlap 10*10*8 of 1000 + 1000
		assertEquals(6.0, c1.hd95Mm(), 1e-9);
		assertEquals(0.7, c2.dice(), 1e-12);
		assertEquals(2.4, c2.hd95Mm(), 1e-9);
		double cubeMl = 1000 * SX * SY * SZ / 1000;
		assertEquals(cubeMl, c1.volumeReferenceMl(), 1e-9);
		assertEquals(cubeMl, c1.volumePredictionMl(), 1e-9);
		assertEquals(0, c1.volumeDifferenceMl(), 1e-9);
		assertEquals(0.75, r.meanDice(), 1e-12);
		assertEquals(4.2, r.meanHd95Mm(), 1e-9);
		// the classic Hausdorff distance of the same pair is the same here
		assertEquals(6.0, SegmentationEvaluator.defaults().withPercentile(100).evaluate(ref, pred).forLabel(1).hd95Mm(), 1e-9);
	}

	@Test
	void identicalImagesGiveDiceOneAndDistanceZero() {
		Volume ref = empty();
		cube(ref, 3, 1, 1, 1);
		cube(ref, 5, 15, 12, 14);
		EvaluationReport r = SegmentationEvaluator.defaults().evaluate(ref, ref);
		for (ClassMetrics c : r.classes()) {
			assertEquals(1, c.dice(), 0);
			assertEquals(0, c.hd95Mm(), 0);
			assertEquals(0, c.volumeDifferenceRelative(), 0);
		}
		assertEquals(2, r.classes().size());
	}

	@Test
	void disjointClassesGiveDiceZeroAndTheGapAsDistance() {
		Volume ref = empty(), pred = empty();
		cube(ref, 1, 0, 0, 0);
		cube(pred, 1, 25, 0, 0);
		ClassMetrics c = SegmentationEvaluator.defaults().evaluate(ref, pred).forLabel(1);
		assertEquals(0, c.dice(), 0);
		// the far face of each cube (100 of 488 surface voxels, more than the top 5 %) is 25 columns
		// from the other cube's near face
		assertEquals(25 * SX, c.hd95Mm(), 1e-9);
	}

	@Test
	void emptyClassesAreDocumentedValues() {
		Volume ref = empty(), pred = empty();
		cube(ref, 1, 0, 0, 0); // only in the reference
		cube(pred, 2, 20, 0, 0); // only in the prediction
		cube(ref, 3, 10, 15, 15);
		cube(pred, 3, 10, 15, 15);
		EvaluationReport r = SegmentationEvaluator.defaults().withLabels(1, 2, 3, 4).evaluate(ref, pred);
		assertEquals(0, r.forLabel(1).dice(), 0);
		assertEquals(Double.POSITIVE_INFINITY, r.forLabel(1).hd95Mm());
		assertEquals("reference_only", r.forLabel(1).presence());
		assertEquals(-1, r.forLabel(1).volumeDifferenceRelative(), 1e-12);
		assertEquals(Double.POSITIVE_INFINITY, r.forLabel(2).hd95Mm());
		assertTrue(Double.isNaN(r.forLabel(2).volumeDifferenceRelative()));
		assertTrue(Double.isNaN(r.forLabel(4).dice()));
		assertTrue(Double.isNaN(r.forLabel(4).hd95Mm()));
		assertEquals("neither", r.forLabel(4).presence());
		assertEquals(1.0 / 3, r.meanDice(), 1e-12); // classes 1, 2, 3; class 4 undefined
		assertEquals(0, r.meanHd95Mm(), 0); // only class 3 has a finite distance
		assertEquals(3, r.classesWithoutHd95());
		String json = r.toJson();
		assertTrue(json.contains("\"label\": 4, \"presence\": \"neither\""), json);
		assertTrue(json.contains("\"dice\": null, \"hd95_mm\": null"), json);
		assertTrue(!json.contains("NaN") && !json.contains("Infinity"), json);
	}

	@Test
	void matchesScipyReferenceOfMonaiProcedure() throws Exception {
		int[] dims = { 23, 19, 11 };
		Geometry g = Geometry.ofSpacing(0.9, 1.3, 2.7);
		Volume ref = fromBytes("/eval/labels_reference.u8", dims, g);
		Volume pred = fromBytes("/eval/labels_prediction.u8", dims, g);
		EvaluationReport r = SegmentationEvaluator.defaults().evaluate(ref, pred);
		String expected = new String(getClass().getResourceAsStream("/eval/expected.json").readAllBytes());
		Matcher m = Pattern.compile("\"label\": (\\d+),\\s*\"dice\": ([-0-9.e]+),\\s*\"hd95_mm\": ([-0-9.e]+),"
				+ "\\s*\"reference_voxels\": (\\d+),\\s*\"prediction_voxels\": (\\d+)").matcher(expected);
		int n = 0;
		while (m.find()) {
			ClassMetrics c = r.forLabel(Integer.parseInt(m.group(1)));
			assertEquals(Double.parseDouble(m.group(2)), c.dice(), 1e-12, "dice of " + m.group(1));
			assertEquals(Double.parseDouble(m.group(3)), c.hd95Mm(), 1e-9, "hd95 of " + m.group(1));
			assertEquals(Long.parseLong(m.group(4)), c.referenceVoxels());
			assertEquals(Long.parseLong(m.group(5)), c.predictionVoxels());
			n++;
		}
		assertEquals(3, n);
		assertEquals(3, r.classes().size());
	}

	@Test
	void refusesDifferentGridsNamingBothImages() {
		Volume a = empty();
		Volume b = Volume.allocate(Geometry.ofSpacing(SX, SY, SZ), 40, 30, 31);
		VolSegException e = assertThrows(IncompatibleVolumesException.class,
				() -> SegmentationEvaluator.defaults().evaluate(a, "ref.nii.gz", b, "pred.nii.gz"));
		assertTrue(e.getMessage().contains("ref.nii.gz") && e.getMessage().contains("pred.nii.gz")
				&& e.getMessage().contains("40x30x31"), e.getMessage());
		Volume shifted = empty().withGeometry(Geometry.ofSpacing(SX, SY, SZ).compose(
				new double[][] { { 1, 0, 0, 0.01 }, { 0, 1, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 0, 1 } }));
		e = assertThrows(IncompatibleVolumesException.class,
				() -> SegmentationEvaluator.defaults().evaluate(a, "ref.nii.gz", shifted, "pred.nii.gz"));
		assertTrue(e.getMessage().contains("ref.nii.gz") && e.getMessage().contains("pred.nii.gz"), e.getMessage());
		// within a looser tolerance the 0.008 mm shift is accepted
		SegmentationEvaluator.defaults().withGeometryTolerance(0.01).evaluate(a, shifted);
	}

	@Test
	void refusesNonLabelValues() {
		Volume a = empty(), b = empty();
		b.voxels().randomAccess().setPositionAndGet(3, 4, 5).set(1.5f);
		VolSegException e = assertThrows(VolSegException.class,
				() -> SegmentationEvaluator.defaults().evaluate(a, "ref.nii.gz", b, "scan.nii.gz"));
		assertTrue(e.getMessage().startsWith("scan.nii.gz: voxel (3, 4, 5) holds 1.5"), e.getMessage());
	}

	private static Volume fromBytes(String resource, int[] dims, Geometry g) throws Exception {
		byte[] bytes;
		try (InputStream in = SegmentationEvaluatorTest.class.getResourceAsStream(resource)) {
			bytes = in.readAllBytes();
		}
		assertEquals(dims[0] * dims[1] * dims[2], bytes.length);
		Volume v = Volume.allocate(g, dims[0], dims[1], dims[2]);
		Cursor<FloatType> c = Views.flatIterable(v.voxels()).cursor();
		for (byte b : bytes)
			c.next().set(b & 0xff);
		return v;
	}
}
