package org.volseg.tiling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.volume.FloatFile;
import org.volseg.volume.FloatStorage;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Rows written to a temporary file give, voxel for voxel, the volume {@link VolumeAssembler#floats}
 * assembles in memory: in the stitcher's order (runs of consecutive rows, longer than one write
 * holds), shuffled, with one channel or several; a missing row is refused; closing deletes the file.
 */
class DiskVolumeAssemblerTest {

	@TempDir
	Path dir;

	private static float value(int x, int y, int z, int c) {
		return (float) Math.sin(x * 0.37 + y * 1.1 + z * 2.3 + c * 0.71) * (c + 1);
	}

	/** Feeds both assemblers the same rows, in that order of (y, z), and compares the volumes. */
	private void assertSameAsInMemory(Finalizer f, int classes, long[] dims, List<int[]> order) throws IOException {
		int nx = (int) dims[0];
		int channels = f.channels(classes);
		VolumeAssembler memory = VolumeAssembler.floats(f, classes, dims, Geometry.ofSpacing(1, 2, 3));
		try (DiskVolumeAssembler disk = DiskVolumeAssembler.floats(f, classes, dims, Geometry.ofSpacing(1, 2, 3), dir)) {
			float[] row = new float[nx * channels];
			for (int[] yz : order) {
				for (int c = 0; c < channels; c++)
					for (int x = 0; x < nx; x++)
						row[c * nx + x] = value(x, yz[0], yz[1], c);
				memory.acceptRow(yz[0], yz[1], row);
				disk.acceptRow(yz[0], yz[1], row);
				java.util.Arrays.fill(row, Float.NaN); // the array is reused by the caller
			}
			Volume a = memory.volume(), b = disk.volume();
			assertArrayEquals(a.dimensions(), b.dimensions());
			assertEquals(a.geometry(), b.geometry());
			assertNotNull(FloatFile.backing(b.voxels()), "the volume reads the file");
			assertNull(FloatStorage.arraysInFlatOrder(b.voxels()), "a file-backed volume is not collected into arrays");
			Cursor<FloatType> ca = Views.flatIterable(a.voxels()).cursor(), cb = Views.flatIterable(b.voxels()).cursor();
			long n = 0;
			while (ca.hasNext()) {
				assertEquals(Float.floatToRawIntBits(ca.next().get()), Float.floatToRawIntBits(cb.next().get()), "voxel " + n);
				n++;
			}
			assertFalse(cb.hasNext());
			FloatFile file = FloatFile.backing(b.voxels());
			disk.close();
			assertFalse(file.isOpen());
		}
	}

	private static List<int[]> stitcherOrder(int ny, int nz, int band) {
		List<int[]> order = new ArrayList<>();
		for (int z0 = 0; z0 < nz; z0 += band) // as the stitcher completes a window's rows: plane by plane, y ascending
			for (int z = z0; z < Math.min(nz, z0 + band); z++)
				for (int y = 0; y < ny; y++)
					order.add(new int[] { y, z });
		return order;
	}

	@Test
	void consecutiveRowsLongerThanOneWriteGiveTheInMemoryVolume() throws IOException {
		// 4096 x 2 classes: 128 rows fill the 4 MiB buffer, so a plane of 300 rows takes three writes per channel
		assertSameAsInMemory(Finalizer.raw(), 2, new long[] { 4096, 300, 3 }, stitcherOrder(300, 3, 2));
	}

	@Test
	void rowsInAnyOrderGiveTheInMemoryVolume() throws IOException {
		List<int[]> order = stitcherOrder(13, 7, 7);
		Collections.shuffle(order, new Random(19));
		assertSameAsInMemory(Finalizer.softmax(), 3, new long[] { 11, 13, 7 }, order);
		assertSameAsInMemory(Finalizer.sigmoid(), 1, new long[] { 11, 13, 7 }, order);
	}

	@Test
	void aMissingRowIsRefused() throws IOException {
		try (DiskVolumeAssembler disk = DiskVolumeAssembler.floats(Finalizer.raw(), 2, new long[] { 5, 4, 3 },
				Geometry.identity(), dir)) {
			float[] row = new float[10];
			for (int[] yz : stitcherOrder(4, 3, 3))
				if (yz[0] != 2 || yz[1] != 1)
					disk.acceptRow(yz[0], yz[1], row);
			IllegalStateException e = assertThrows(IllegalStateException.class, disk::volume);
			assertEquals("plane 1: received 3 of 4 rows", e.getMessage());
		}
	}
}
