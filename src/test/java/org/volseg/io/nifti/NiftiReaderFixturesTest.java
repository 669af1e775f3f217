package org.volseg.io.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.volseg.testutil.JsonParser;
import org.volseg.volume.VolumeStatistics;

import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;

/** Every NIfTI fixture reads as nibabel 5.0 read it (values from {@code nifti/expected.json}). */
class NiftiReaderFixturesTest {

	static Path resource(String name) {
		try {
			return Path.of(NiftiReaderFixturesTest.class.getResource("/nifti/" + name).toURI());
		} catch (URISyntaxException e) {
			throw new IllegalStateException(e);
		}
	}

	@SuppressWarnings("unchecked")
	static Stream<Map<String, Object>> fixtures() throws Exception {
		String text = Files.readString(resource("expected.json"), StandardCharsets.UTF_8);
		Map<String, Object> root = (Map<String, Object>) JsonParser.parse(text);
		return ((List<Map<String, Object>>) root.get("nifti")).stream();
	}

	/** nibabel reports numpy dtypes (">i2", "int16"); VolSeg uses the NIfTI names. */
	static String niftiName(String dtype) {
		String d = dtype.replaceAll("^[<>|=]", "");
		switch (d) {
		case "u1": return "uint8";
		case "i1": return "int8";
		case "i2": return "int16";
		case "u2": return "uint16";
		case "i4": return "int32";
		case "u4": return "uint32";
		case "i8": return "int64";
		case "f4": return "float32";
		case "f8": return "float64";
		default: return d;
		}
	}

	static long[] longs(Object list) {
		return ((List<?>) list).stream().mapToLong(v -> Math.round((Double) v)).toArray();
	}

	static double[][] matrix(Object rows) {
		return ((List<?>) rows).stream().map(r -> ((List<?>) r).stream().mapToDouble(v -> (Double) v).toArray())
				.toArray(double[][]::new);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("fixtures")
	@SuppressWarnings("unchecked")
	void readsLikeNibabel(Map<String, Object> expected) {
		String file = (String) expected.get("file");
		NiftiVolume v = NiftiReader.read(resource(file), true);
		NiftiHeader h = v.header();

		assertArrayEquals(longs(expected.get("shape")), v.volume().dimensions(), "shape");
		assertEquals(niftiName((String) expected.get("datatype")), h.datatype().label(), "datatype");
		assertEquals(expected.get("format").equals("Nifti2Image") ? 2 : 1, h.version(), "version");
		assertEquals(((Double) expected.get("qform_code")).intValue(), h.qformCode(), "qform_code");
		assertEquals(((Double) expected.get("sform_code")).intValue(), h.sformCode(), "sform_code");
		double[] pixdim = ((List<Double>) expected.get("pixdim")).stream().mapToDouble(Double::doubleValue).toArray();
		for (int d = 0; d < pixdim.length; d++)
			assertEquals(pixdim[d], h.pixdim()[d + 1], 0, "pixdim[" + (d + 1) + "]");

		assertMatrix(matrix(expected.get("affine")), v.volume().geometry().affineRas(), 0, "affine (RAS)");
		assertMatrix(matrix(expected.get("sform")), NiftiAffines.sform(h), 0, "sform");
		assertMatrix(matrix(expected.get("qform")), NiftiAffines.qform(h), 1e-6, "qform");
		// LPS is RAS with the first two world axes negated
		double[][] ras = matrix(expected.get("affine")), lps = v.volume().geometry().affineLps();
		for (int c = 0; c < 4; c++) {
			assertEquals(-ras[0][c], lps[0][c], 0);
			assertEquals(-ras[1][c], lps[1][c], 0);
			assertEquals(ras[2][c], lps[2][c], 0);
		}

		Map<String, Object> scaled = (Map<String, Object>) expected.get("scaled");
		assertStatistics(scaled, v.statistics(), "decoded statistics");
		assertStatistics(scaled, VolumeStatistics.of(v.volume().voxels()), "statistics of the float image");

		RandomAccess<FloatType> ra = v.volume().voxels().randomAccess();
		for (Map<String, Object> s : (List<Map<String, Object>>) expected.get("samples")) {
			long[] index = longs(s.get("index"));
			ra.setPosition(index);
			assertEquals((Double) s.get("scaled"), ra.get().get(), 0, "voxel " + s.get("index"));
		}
	}

	static void assertStatistics(Map<String, Object> expected, VolumeStatistics actual, String what) {
		assertRelative((Double) expected.get("sum"), actual.sum(), what + " sum");
		assertRelative((Double) expected.get("sum_sq"), actual.sumSq(), what + " sum_sq");
		assertRelative((Double) expected.get("min"), actual.min(), what + " min");
		assertRelative((Double) expected.get("max"), actual.max(), what + " max");
	}

	static void assertRelative(double expected, double actual, String what) {
		assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)), what);
	}

	static void assertMatrix(double[][] expected, double[][] actual, double tolerance, String what) {
		for (int r = 0; r < expected.length; r++)
			for (int c = 0; c < expected[r].length; c++)
				assertEquals(expected[r][c], actual[r][c], tolerance, what + "[" + r + "][" + c + "]");
	}
}
