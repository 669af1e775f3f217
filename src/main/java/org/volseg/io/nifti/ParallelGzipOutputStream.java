package org.volseg.io.nifti;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream compressed by several threads, as pigz does: the input is cut into blocks of
 * {@value #BLOCK} bytes, each compressed on its own as raw deflate data primed with the previous
 * block's last 32 KiB (so compression is almost as good as one stream) and ended with a sync flush;
 * the pieces are concatenated in order into one standard gzip member (one header, one CRC-32, one
 * length), which every gzip reader reads. The output does not depend on the number of threads.
 *
 * <p>At most {@code 2 * threads} blocks are in flight, so memory stays a few megabytes. Not
 * thread-safe; {@link #close()} finishes the stream, stops the threads and closes the target.</p>
 */
final class ParallelGzipOutputStream extends OutputStream {

	static final int BLOCK = 1 << 20;
	private static final int WINDOW = 32 * 1024;

	private final OutputStream out;
	private final int level;
	private final ExecutorService pool;
	private final int maxPending;
	private final Deque<Future<byte[]>> pending = new ArrayDeque<>();
	private final CRC32 crc = new CRC32();
	private byte[] block = new byte[BLOCK];
	private int filled;
	private byte[] previous;
	private long total;
	private boolean closed;

	/**
	 * @param out receives the gzip stream; closed by {@link #close()}
	 * @param level deflate level 0-9
	 * @param threads compression threads, at least 1
	 */
	ParallelGzipOutputStream(OutputStream out, int level, int threads) throws IOException {
		this.out = out;
		this.level = level;
		int n = Math.max(1, threads);
		this.maxPending = 2 * n;
		// gzip header: magic, deflate, no flags, no mtime, no extra flags, OS unknown
		out.write(new byte[] { 0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff });
		this.pool = Executors.newFixedThreadPool(n, r -> {
			Thread t = new Thread(r, "volseg-gzip");
			t.setDaemon(true);
			return t;
		});
	}

	@Override
	public void write(int b) throws IOException {
		write(new byte[] { (byte) b }, 0, 1);
	}

	@Override
	public void write(byte[] b, int off, int len) throws IOException {
		crc.update(b, off, len);
		total += len;
		while (len > 0) {
			int n = Math.min(len, BLOCK - filled);
			System.arraycopy(b, off, block, filled, n);
			filled += n;
			off += n;
			len -= n;
			if (filled == BLOCK)
				submit(false);
		}
	}

	private void submit(boolean last) throws IOException {
		byte[] data = block, dictionary = previous;
		int length = filled;
		pending.add(pool.submit(() -> compress(data, length, dictionary, last)));
		previous = length >= WINDOW ? data : null;
		block = new byte[BLOCK];
		filled = 0;
		while (pending.size() >= maxPending)
			drainOne();
	}

	private byte[] compress(byte[] data, int length, byte[] dictionary, boolean last) {
		Deflater d = new Deflater(level, true);
		try {
			if (dictionary != null)
				d.setDictionary(dictionary, BLOCK - WINDOW, WINDOW);
			d.setInput(data, 0, length);
			ByteArrayOutputStream result = new ByteArrayOutputStream(length / 2 + 1024);
			byte[] buffer = new byte[length + length / 8 + 1024];
			if (last) {
				d.finish();
				while (!d.finished())
					result.write(buffer, 0, d.deflate(buffer));
			} else {
				int n;
				do {
					n = d.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
					result.write(buffer, 0, n);
				} while (n == buffer.length);
			}
			return result.toByteArray();
		} finally {
			d.end();
		}
	}

	private void drainOne() throws IOException {
		try {
			out.write(pending.removeFirst().get());
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while compressing", e);
		} catch (ExecutionException e) {
			throw new IOException("compression failed: " + e.getCause(), e.getCause());
		}
	}

	/** Writes the last block, the CRC-32 and the length, stops the threads and closes the target. */
	@Override
	public void close() throws IOException {
		if (closed)
			return;
		closed = true;
		try {
			submit(true);
			while (!pending.isEmpty())
				drainOne();
			long c = crc.getValue();
			out.write(new byte[] { (byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24), (byte) total,
					(byte) (total >>> 8), (byte) (total >>> 16), (byte) (total >>> 24) });
		} finally {
			pool.shutdownNow();
			out.close();
		}
	}
}
