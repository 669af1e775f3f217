package org.volseg.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;

/** Rows assembled into a whole volume: label planes in the smallest type that holds the labels, seen as floats. */
class VolumeAssemblerTest {

	@Test
	void labelsUpTo255AreBytesAndComeBackExactly() {
		assertRoundTrip(255, 1, new float[] { 0, 1, 7, 255 });
	}

	@Test
	void labelsUpTo65535AreShorts() {
		assertRoundTrip(300, 2, new float[] { 0, 256, 300, 65535 });
	}

	@Test
	void largerLabelsStayFloats() {
		assertRoundTrip(70000, 4, new float[] { 0, 65536, 69999, 70000 });
	}

	@Test
	void rowsMayArriveInAnyOrder() {
		int nx = 4, ny = 3, nz = 2;
		VolumeAssembler a = VolumeAssembler.labels(Finalizer.argmax(), 5, new long[] { nx, ny, nz }, Geometry.identity(), 300);
		for (int k = nz * ny - 1; k >= 0; k--) { // last row first
			int y = k % ny, z = k / ny;
			float[] row = new float[nx];
			for (int x = 0; x < nx; x++)
				row[x] = 100 * z + 10 * y + x;
			a.acceptRow(y, z, row);
			java.util.Arrays.fill(row, -1); // the array is the stitcher's, reused
		}
		RandomAccess<FloatType> ra = a.volume().voxels().randomAccess();
		for (int z = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++)
					assertEquals(100 * z + 10 * y + x, ra.setPositionAndGet(x, y, z).get(), 0f);
		VolumeAssembler missing = VolumeAssembler.labels(Finalizer.argmax(), 5, new long[] { nx, ny, nz }, Geometry.identity(), 3);
		missing.acceptRow(0, 0, new float[nx]);
		assertThrows(IllegalStateException.class, missing::volume);
	}

	/** Several channels: row values {@code [c * sizeX + x]} land in channel c of a (x, y, z, channel) float volume. */
	@Test
	void channelsOfARowGoToTheirChannelPlanes() {
		int nx = 3, ny = 2, nz = 2, classes = 4;
		VolumeAssembler a = VolumeAssembler.floats(Finalizer.softmax(), classes, new long[] { nx, ny, nz },
				Geometry.ofSpacing(1, 1, 3));
		assertEquals(4, a.bytesPerVoxel());
		for (int z = 0; z < nz; z++)
			for (int y = 0; y < ny; y++) {
				float[] row = new float[nx * classes];
				for (int c = 0; c < classes; c++)
					for (int x = 0; x < nx; x++)
						row[c * nx + x] = 1000 * c + 100 * z + 10 * y + x + 0.5f;
				a.acceptRow(y, z, row);
			}
		Volume v = a.volume();
		assertEquals(4, v.voxels().numDimensions());
		assertEquals(classes, v.voxels().dimension(3));
		assertEquals(3.0, v.geometry().spacing()[2], 0);
		RandomAccess<FloatType> ra = v.voxels().randomAccess();
		for (int c = 0; c < classes; c++)
			for (int z = 0; z < nz; z++)
				for (int y = 0; y < ny; y++)
					for (int x = 0; x < nx; x++)
						assertEquals(1000 * c + 100 * z + 10 * y + x + 0.5f, ra.setPositionAndGet(x, y, z, c).get(), 0f);
		assertThrows(IllegalArgumentException.class,
				() -> VolumeAssembler.labels(Finalizer.softmax(), classes, new long[] { nx, ny, nz }, Geometry.identity(), 3));
	}

	/** Rows with the given values; the volume reads them back and its writes stick (small-component removal writes zeros). */
	private static void assertRoundTrip(long maxLabel, int bytes, float[] values) {
		int nx = 5, ny = 3, nz = 4;
		float[] data = new float[nx * ny * nz];
		for (int i = 0; i < data.length; i++)
			data[i] = values[i % values.length];
		VolumeAssembler a = VolumeAssembler.labels(Finalizer.argmax(), 3, new long[] { nx, ny, nz },
				Geometry.ofSpacing(0.5, 0.5, 2), maxLabel);
		assertEquals(bytes, a.bytesPerVoxel());
		for (int z = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				a.acceptRow(y, z, java.util.Arrays.copyOfRange(data, (z * ny + y) * nx, (z * ny + y + 1) * nx));
		Volume v = a.volume();
		assertEquals(2.0, v.geometry().spacing()[2], 0);
		RandomAccess<FloatType> ra = v.voxels().randomAccess();
		for (int z = 0, i = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++, i++)
					assertEquals(data[i], ra.setPositionAndGet(x, y, z).get(), 0f, "voxel " + x + "," + y + "," + z);
		ra.setPositionAndGet(1, 2, 3).set(0f);
		ra.setPositionAndGet(2, 2, 3).set(values[values.length - 1]);
		RandomAccess<FloatType> again = v.voxels().randomAccess();
		assertEquals(0f, again.setPositionAndGet(1, 2, 3).get(), 0f);
		assertEquals(values[values.length - 1], again.setPositionAndGet(2, 2, 3).get(), 0f);
	}
}
