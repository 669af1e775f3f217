package org.volseg.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.management.ThreadMXBean;

/** Positional reads and writes of any size and offset, through the file's reused I/O buffers. */
class FloatFileTest {

	@TempDir
	Path dir;

	@Test
	void readsBackWhatWasWrittenAcrossBufferBoundariesAndZerosBeyond() throws Exception {
		int n = 3 * FloatFile.IO_BYTES / 4 + 1234; // more than three I/O buffers
		float[] values = new float[n];
		Random random = new Random(7);
		for (int i = 0; i < n; i++)
			values[i] = random.nextFloat() - 0.5f;
		values[5] = Float.NaN;
		values[6] = Float.NEGATIVE_INFINITY;
		try (FloatFile file = FloatFile.create(dir, 1024, 1024, 4)) {
			file.write(7, values, 0, n); // an odd offset: the pieces do not fall on buffer boundaries
			float[] back = new float[n + 7 + 1000];
			java.util.Arrays.fill(back, 42f);
			file.read(0, back, 0, back.length); // the first 7 and the last 1000 were never written
			for (int i = 0; i < 7; i++)
				assertEquals(0f, back[i]);
			for (int i = 0; i < n; i++)
				assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(back[7 + i]), "voxel " + (7 + i));
			for (int i = n + 7; i < back.length; i++)
				assertEquals(0f, back[i], "never written: " + i);
			float[] piece = new float[300];
			file.read(7 + 262_000, piece, 0, piece.length); // across the first buffer boundary of the write
			assertArrayEquals(java.util.Arrays.copyOfRange(values, 262_000, 262_300), piece);
		}
	}

	@Test
	void streamingAllocatesNothingPerCall() throws Exception {
		float[] plane = new float[1 << 20];
		ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
		long id = Thread.currentThread().getId();
		try (FloatFile file = FloatFile.create(dir, 1024, 1024, 64)) {
			file.write(0, plane, 0, plane.length); // the first call makes the buffer
			long before = threads.getThreadAllocatedBytes(id);
			for (int z = 0; z < 64; z++)
				file.write((long) z << 20, plane, 0, plane.length);
			for (int z = 0; z < 64; z++)
				file.read((long) z << 20, plane, 0, plane.length);
			long allocated = threads.getThreadAllocatedBytes(id) - before;
			// a heap buffer per call would be 4 MiB each, 512 MiB in all
			assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes for 512 MiB of I/O");
		}
	}
}
