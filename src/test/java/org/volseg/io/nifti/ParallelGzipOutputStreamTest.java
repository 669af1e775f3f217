package org.volseg.io.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.sun.management.ThreadMXBean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pigz-style stream is one valid gzip member whatever the size, and independent of thread count. */
class ParallelGzipOutputStreamTest {

	static byte[] data(int n) {
		Random r = new Random(n);
		byte[] b = new byte[n];
		for (int i = 0; i < n; i++)
			b[i] = (byte) (i % 1000 < 700 ? (i / 3) & 0x0f : r.nextInt()); // compressible runs and noise
		return b;
	}

	static byte[] compress(byte[] data, int threads, int pieceSize) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (ParallelGzipOutputStream z = new ParallelGzipOutputStream(out, 1, threads)) {
			for (int off = 0; off < data.length; off += pieceSize)
				z.write(data, off, Math.min(pieceSize, data.length - off));
		}
		return out.toByteArray();
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 32767, ParallelGzipOutputStream.BLOCK - 1, ParallelGzipOutputStream.BLOCK,
			ParallelGzipOutputStream.BLOCK + 1, 7 * ParallelGzipOutputStream.BLOCK / 2 })
	void roundTripsThroughAStandardGzipReader(int size) throws IOException {
		byte[] data = data(size);
		byte[] one = compress(data, 1, 100_003), four = compress(data, 4, 1 << 22);
		assertArrayEquals(one, four, "output does not depend on threads or write sizes");
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(four))) {
			assertArrayEquals(data, in.readAllBytes());
		}
		if (size > ParallelGzipOutputStream.BLOCK) {
			// blocks primed with the previous 32 KiB compress about as well as one stream
			ByteArrayOutputStream single = new ByteArrayOutputStream();
			try (GZIPOutputStream z = new GZIPOutputStream(single) {
				{
					def.setLevel(1);
				}
			}) {
				z.write(data);
			}
			assertTrue(four.length < single.size() * 1.02, four.length + " vs " + single.size());
		}
	}

	/**
	 * The expected length only sizes the buffers: right, too small, too large or unknown, the same bytes;
	 * a 1 MiB stream announced as such allocates about its own size, not a few whole blocks.
	 */
	@ParameterizedTest
	@ValueSource(ints = { 0, 5000, ParallelGzipOutputStream.BLOCK + 352, 3 * ParallelGzipOutputStream.BLOCK + 17 })
	void theExpectedLengthChangesNoByte(int size) throws Exception {
		byte[] data = data(size);
		byte[] unknown = compress(data, 2, 65_537);
		for (long expected : new long[] { size, size / 3, 2L * size + 10, -1 }) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			try (ParallelGzipOutputStream z = new ParallelGzipOutputStream(out, 1, 2, expected)) {
				for (int off = 0; off < data.length; off += 65_537)
					z.write(data, off, Math.min(65_537, data.length - off));
			}
			assertArrayEquals(unknown, out.toByteArray(), "expected " + expected + " of " + size);
		}
		if (size == ParallelGzipOutputStream.BLOCK + 352) {
			ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
			long allocated;
			try (ParallelGzipOutputStream z = new ParallelGzipOutputStream(new ByteArrayOutputStream(data.length), 1, 2,
					size)) {
				long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
				z.write(data, 0, data.length);
				z.close();
				allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
			}
			// after the constructor (the first block's input): the last block's few kilobytes, no whole block;
			// the compressed output buffers are allocated on the compressing threads
			assertTrue(allocated < 256 << 10, "allocated " + allocated + " bytes");
		}
	}

	@Test
	void aLongStreamReusesItsBuffers() throws Exception {
		// 48 blocks: the recycled input buffers are still the dictionaries of blocks in flight, so a slot
		// freed too early would corrupt the output; a stream that allocated per block would allocate
		// about 150 MiB here (input, output buffer and result for each block)
		byte[] data = data(48 * ParallelGzipOutputStream.BLOCK + 12345);
		ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
		ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
		long allocated;
		try (ParallelGzipOutputStream z = new ParallelGzipOutputStream(out, 1, 2)) {
			long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
			for (int off = 0; off < data.length; off += 999_983)
				z.write(data, off, Math.min(999_983, data.length - off));
			allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
			for (Thread t : Thread.getAllStackTraces().keySet())
				if (t.getName().equals("volseg-gzip"))
					allocated += threads.getThreadAllocatedBytes(t.getId()); // since they started
		}
		assertTrue(allocated < 32L << 20, "allocated " + (allocated >> 20) + " MiB for a 48 MiB stream");
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(out.toByteArray()))) {
			assertArrayEquals(data, in.readAllBytes());
		}
		assertArrayEquals(compress(data, 1, 1 << 20), out.toByteArray(), "the same bytes as one thread");
	}
}
