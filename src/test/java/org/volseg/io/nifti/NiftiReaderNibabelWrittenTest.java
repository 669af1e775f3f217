package org.volseg.io.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.volseg.io.nifti.NiftiReaderFixturesTest.assertMatrix;
import static org.volseg.io.nifti.NiftiReaderFixturesTest.assertStatistics;
import static org.volseg.io.nifti.NiftiReaderFixturesTest.longs;
import static org.volseg.io.nifti.NiftiReaderFixturesTest.matrix;
import static org.volseg.io.nifti.NiftiReaderFixturesTest.resource;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.volseg.testutil.JsonParser;

import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Files nibabel wrote with scaling, every byte order, qform-only and pixdim-only placement and
 * NIfTI-2 read as nibabel reads them ({@code nifti/expected-nibabel-written.json}).
 */
class NiftiReaderNibabelWrittenTest {

	@SuppressWarnings("unchecked")
	static Stream<Map<String, Object>> files() throws Exception {
		String text = Files.readString(resource("expected-nibabel-written.json"), StandardCharsets.UTF_8);
		return ((List<Map<String, Object>>) ((Map<String, Object>) JsonParser.parse(text)).get("nifti")).stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("files")
	@SuppressWarnings("unchecked")
	void readsLikeNibabel(Map<String, Object> expected) {
		NiftiVolume v = NiftiReader.read(resource((String) expected.get("file")), true);
		assertArrayEquals(longs(expected.get("shape")), v.volume().dimensions());
		assertEquals(expected.get("datatype"), v.header().datatype().label());
		assertEquals(expected.get("byteorder").equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN, v.header().byteOrder());
		assertMatrix(matrix(expected.get("affine")), v.volume().geometry().affineRas(), 1e-12, "affine");
		assertStatistics((Map<String, Object>) expected.get("scaled"), v.statistics(), "statistics");
		RandomAccess<FloatType> ra = v.volume().voxels().randomAccess();
		for (Map<String, Object> s : (List<Map<String, Object>>) expected.get("samples")) {
			ra.setPosition(longs(s.get("index")));
			// VolSeg holds float32: nibabel's float64 value rounded to float32, exactly
			assertEquals((float) (double) (Double) s.get("scaled"), ra.get().get(), 0, "voxel " + s.get("index"));
		}
	}
}
