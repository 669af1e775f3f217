package org.volseg.io.nifti;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream compressed by several threads, as pigz does: the input is cut into blocks of
 * {@value #BLOCK} bytes, each compressed on its own as raw deflate data primed with the previous
 * block's last 32 KiB (so compression is almost as good as one stream) and ended with a sync flush;
 * the pieces are concatenated in order into one standard gzip member (one header, one CRC-32, one
 * length), which every gzip reader reads. The output does not depend on the number of threads.
 *
 * <p>At most {@code 2 * threads} blocks are in flight. Their buffers (input and compressed output)
 * and the {@link Deflater}s are reused from block to block, so a stream of gigabytes allocates a few
 * megabytes in all: a stream that allocated a new megabyte or two per block had the Java heap grow by
 * hundreds of megabytes while the probabilities of a large scan were written (blocks still in flight
 * at a collection get promoted with a small young generation; docs/bench-pipeline.md, b8). A buffer
 * is only as large as its block's data: with the stream's expected length given, a small file (the
 * README's 1 MB label map) allocates about its own size, not several whole blocks. Not
 * thread-safe; {@link #close()} finishes the stream, stops the threads, frees the deflaters and
 * closes the target.</p>
 */
final class ParallelGzipOutputStream extends OutputStream {

	static final int BLOCK = 1 << 20;
	private static final int WINDOW = 32 * 1024;
	/** The smallest input buffer a slot starts with. */
	private static final int MIN_CAPACITY = 4096;

	/** One block's buffers: the input (grown up to {@link #BLOCK}) and, once compressed, its raw deflate data. */
	private static final class Slot {
		byte[] input;
		byte[] output;
		int inputLength, outputLength;

		Slot(int capacity) {
			input = new byte[capacity];
		}
	}

	/** Room for the deflate output of {@code n} bytes: stored blocks add 5 bytes per 16 KiB, a sync flush a few more. */
	private static int outputRoom(int n) {
		return n + n / 8 + 1024;
	}

	private final OutputStream out;
	private final int level;
	private final ExecutorService pool;
	private final int maxPending;
	private final Deque<Future<Slot>> pending = new ArrayDeque<>();
	/** Slots whose input is no longer needed (not in flight, not the dictionary of a block in flight). */
	private final Deque<Slot> free = new ArrayDeque<>();
	/** Deflaters not in use: every one once the threads have stopped; {@link #close()} ends them then. */
	private final ConcurrentLinkedQueue<Deflater> idleDeflaters = new ConcurrentLinkedQueue<>();
	private final CRC32 crc = new CRC32();
	/** The stream's expected length in bytes (a hint for the buffers' sizes), or -1 if unknown. */
	private final long expectedLength;
	private Slot filling;
	/** The last block submitted: the dictionary of the block being filled. */
	private Slot previous;
	/** The last block written out: still the dictionary of the block after it until that one is written. */
	private Slot lastWritten;
	private long total;
	private boolean closed;

	/**
	 * @param out receives the gzip stream; closed by {@link #close()}
	 * @param level deflate level 0-9
	 * @param threads compression threads, at least 1
	 */
	ParallelGzipOutputStream(OutputStream out, int level, int threads) throws IOException {
		this(out, level, threads, -1);
	}

	/**
	 * @param expectedLength the number of bytes that will be written, or -1 if unknown: only sizes the
	 *        buffers (a wrong guess costs a buffer copy, never a wrong stream)
	 */
	ParallelGzipOutputStream(OutputStream out, int level, int threads, long expectedLength) throws IOException {
		this.out = out;
		this.level = level;
		this.expectedLength = expectedLength;
		this.filling = new Slot(capacityFor(expectedLength));
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
		if (closed)
			throw new IOException("the gzip stream is closed");
		crc.update(b, off, len);
		while (len > 0) {
			int n = Math.min(len, BLOCK - filling.inputLength);
			if (filling.inputLength + n > filling.input.length)
				filling.input = Arrays.copyOf(filling.input,
						(int) Math.min(BLOCK, Math.max(filling.inputLength + n, 2L * filling.input.length)));
			System.arraycopy(b, off, filling.input, filling.inputLength, n);
			filling.inputLength += n;
			total += n;
			off += n;
			len -= n;
			if (filling.inputLength == BLOCK)
				submit(false);
		}
	}

	private void submit(boolean last) throws IOException {
		Slot slot = filling;
		byte[] dictionary = previous != null && previous.inputLength >= WINDOW ? previous.input : null;
		pending.add(pool.submit(() -> compress(slot, dictionary, last)));
		previous = slot;
		while (pending.size() >= maxPending)
			drainOne();
		if (last) {
			filling = null;
			return;
		}
		Slot next = free.pollFirst();
		filling = next != null ? next : new Slot(capacityFor(expectedLength < 0 ? -1 : expectedLength - total));
		filling.inputLength = 0;
	}

	/** A new slot's input buffer for {@code remaining} bytes still to come (-1: unknown). */
	private static int capacityFor(long remaining) {
		return remaining < 0 ? BLOCK : (int) Math.max(MIN_CAPACITY, Math.min(BLOCK, remaining));
	}

	private Slot compress(Slot slot, byte[] dictionary, boolean last) {
		Deflater d = idleDeflaters.poll();
		if (d == null)
			d = new Deflater(level, true);
		try {
			d.reset();
			if (dictionary != null)
				d.setDictionary(dictionary, BLOCK - WINDOW, WINDOW);
			d.setInput(slot.input, 0, slot.inputLength);
			if (last)
				d.finish();
			if (slot.output == null || slot.output.length < outputRoom(slot.inputLength))
				slot.output = new byte[outputRoom(slot.inputLength)];
			int length = 0;
			while (true) {
				if (length == slot.output.length)
					slot.output = Arrays.copyOf(slot.output, 2 * slot.output.length); // never expected: see outputRoom
				int n = last ? d.deflate(slot.output, length, slot.output.length - length)
						: d.deflate(slot.output, length, slot.output.length - length, Deflater.SYNC_FLUSH);
				length += n;
				if (last ? d.finished() : length < slot.output.length)
					break;
			}
			slot.outputLength = length;
			return slot;
		} finally {
			idleDeflaters.add(d);
		}
	}

	private void drainOne() throws IOException {
		Slot done;
		try {
			done = pending.removeFirst().get();
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while compressing", e);
		} catch (ExecutionException e) {
			throw new IOException("compression failed: " + e.getCause(), e.getCause());
		}
		out.write(done.output, 0, done.outputLength);
		// the block before this one was its dictionary; now nothing needs it
		if (lastWritten != null)
			free.addLast(lastWritten);
		lastWritten = done;
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
			try {
				pool.awaitTermination(1, TimeUnit.MINUTES);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			// a deflater still in use after the wait is left to its cleaner, never ended under its thread
			for (Deflater d; (d = idleDeflaters.poll()) != null;)
				d.end();
			out.close();
		}
	}
}
