package org.volseg.io.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.volseg.io.VolumeIO;
import org.volseg.volume.StoredVoxels;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Reading for a caller that never writes ({@code VolumeIO#openReadOnly}) keeps 8- and 16-bit
 * integers as stored, and every voxel reads exactly as the float reading (which
 * {@link NiftiReaderFixturesTest} checks against nibabel), scaled, big-endian and 4D files included.
 */
class StoredIntegerPlanesTest {

	static Stream<Path> files() throws IOException, URISyntaxException {
		Path dir = Path.of(StoredIntegerPlanesTest.class.getResource("/nifti").toURI());
		try (Stream<Path> s = Files.list(dir)) {
			return s.filter(p -> p.toString().endsWith(".nii") || p.toString().endsWith(".nii.gz"))
					.filter(p -> !p.getFileName().toString().contains("dconn")).sorted().toList().stream();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("files")
	void readOnlyVoxelsEqualTheFloatReading(Path file) {
		NiftiVolume floats = NiftiReader.read(file, false);
		Volume stored = VolumeIO.standard().openReadOnly(file).volume();
		NiftiDatatype type = floats.header().datatype();
		assertEquals(StoredIntegerPlanes.holds(type), stored.voxels() instanceof StoredVoxels, type + " kept as stored");
		assertArrayEquals(floats.volume().dimensions(), stored.dimensions());
		assertArrayEquals(floats.volume().geometry().affineLps()[0], stored.geometry().affineLps()[0]);
		Cursor<FloatType> expected = Views.flatIterable(floats.volume().voxels()).localizingCursor();
		RandomAccess<FloatType> actual = stored.voxels().randomAccess();
		long checked = 0;
		while (expected.hasNext()) {
			float e = expected.next().get();
			actual.setPosition(expected);
			assertEquals(Float.floatToIntBits(e), Float.floatToIntBits(actual.get().get()), "voxel " + checked);
			checked++;
		}
		assertEquals(floats.volume().spatialVoxelCount() * floats.volume().channels(), checked);
	}
}
