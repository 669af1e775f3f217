package org.volseg.io.dicom;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.volseg.VolumeFormatException;
import org.volseg.io.HeapBudget;

/**
 * The bytes of one DICOM file, read from disk only as far as the parser asks for them (a header
 * scan stops before the pixel data), with a read position and a byte order. Not thread-safe;
 * closes its file channel when {@link #close()} is called or once the whole file is loaded.
 */
final class DicomInput implements AutoCloseable {

	/** Bytes read first when only the header is wanted: enough for most headers, a fraction of an image. */
	static final int HEADER_CHUNK = 16 * 1024;

	final Path file;
	private SeekableByteChannel channel;
	private byte[] buf;
	private int limit;
	private long size;
	int pos;
	boolean bigEndian;

	private DicomInput(Path file, SeekableByteChannel channel, byte[] buf, int limit, long size) {
		this.file = file;
		this.channel = channel;
		this.buf = buf;
		this.limit = limit;
		this.size = size;
	}

	/** Opens a file and reads its first {@code firstChunk} bytes (the rest on demand). */
	static DicomInput open(Path file, long firstChunk) throws IOException {
		return open(file, firstChunk, null);
	}

	/**
	 * Opens a file; if {@code scratch} is large enough for the first chunk, reads into it instead
	 * of a new array (the caller must then not use the previous contents of {@code scratch}).
	 */
	static DicomInput open(Path file, long firstChunk, byte[] scratch) throws IOException {
		SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ);
		try {
			long size = ch.size();
			if (size > Integer.MAX_VALUE - 64)
				throw new VolumeFormatException(file, "the file is " + size
						+ " bytes long; DICOM files above 2 GB are not supported (split the multi-frame object)");
			int first = (int) Math.min(size, firstChunk);
			byte[] buffer = scratch != null && scratch.length >= first ? scratch : new byte[first];
			DicomInput in = new DicomInput(file, ch, buffer, 0, size);
			in.load(first);
			return in;
		} catch (IOException | RuntimeException e) {
			ch.close();
			throw e;
		}
	}

	/** An input over bytes already in memory (a test, or an inflated data set). */
	static DicomInput of(Path file, byte[] bytes) {
		return new DicomInput(file, null, bytes, bytes.length, bytes.length);
	}

	/** Bytes underneath; valid from 0 to the loaded limit. Pixel data views point into this array. */
	byte[] buffer() {
		return buf;
	}

	long size() {
		return size;
	}

	/** Bytes left between the read position and the end of the file. */
	long remaining() {
		return size - pos;
	}

	boolean atEnd() {
		return pos >= size;
	}

	/** Makes sure {@code n} bytes from the read position are in memory, or fails naming the truncation. */
	void need(long n) {
		if (pos + n <= limit)
			return;
		if (pos + n > size)
			throw new VolumeFormatException(file, "the file is truncated: " + n + " bytes needed at offset " + pos
					+ " but the file ends at " + size + " bytes");
		int target = (int) Math.min(size, Math.max(pos + n, Math.min(size, (long) buf.length * 4)));
		try {
			load(target);
		} catch (IOException e) {
			throw new VolumeFormatException(file, "cannot read the file: " + e.getMessage(), e);
		}
	}

	private void load(int target) throws IOException {
		if (target > buf.length)
			buf = Arrays.copyOf(buf, target);
		ByteBuffer bb = ByteBuffer.wrap(buf, limit, target - limit);
		while (bb.hasRemaining()) {
			int r = channel.read(bb);
			if (r < 0)
				break;
		}
		limit = bb.position();
		if (limit < target)
			size = limit;
		if (limit >= size)
			close();
	}

	int u8() {
		need(1);
		return buf[pos++] & 0xFF;
	}

	int u16() {
		need(2);
		int a = buf[pos] & 0xFF, b = buf[pos + 1] & 0xFF;
		pos += 2;
		return bigEndian ? (a << 8) | b : (b << 8) | a;
	}

	long u32() {
		need(4);
		long v = bigEndian ? readIntBE(buf, pos) : readIntLE(buf, pos);
		pos += 4;
		return v & 0xFFFFFFFFL;
	}

	int tag() {
		int g = u16();
		int e = u16();
		return (g << 16) | e;
	}

	byte[] bytes(int n) {
		need(n);
		byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
		pos += n;
		return b;
	}

	void skip(long n) {
		if (pos + n > size)
			throw new VolumeFormatException(file, "the file is truncated: " + n + " bytes to skip at offset " + pos
					+ " but the file ends at " + size + " bytes");
		if (pos + n <= limit) {
			pos += (int) n;
			return;
		}
		need(n);
		pos += (int) n;
	}

	/** Peeks at the byte at {@code pos + ahead} without moving, or -1 past the end of the file. */
	int peek(int ahead) {
		if (pos + ahead >= size)
			return -1;
		need(ahead + 1);
		return buf[pos + ahead] & 0xFF;
	}

	/** Replaces everything after the read position by its raw-deflate inflation (Deflated Explicit VR Little Endian). */
	void inflateRemainder(long maxInflated) {
		need(remaining());
		Inflater inflater = new Inflater(true);
		try {
			inflater.setInput(buf, pos, limit - pos);
			byte[] out = new byte[(int) Math.min(maxInflated, Math.max(1024, (limit - pos) * 4L))];
			int n = 0;
			while (!inflater.finished()) {
				if (n == out.length) {
					if (out.length >= maxInflated)
						throw new VolumeFormatException(file, "the deflated data set inflates to more than "
								+ maxInflated + " bytes; refusing it as corrupt");
					int grown = (int) Math.min(maxInflated, (long) out.length * 2);
					// the data set is then decoded into float voxels, twice its size at least, and while
					// copying the old and the new buffer are both alive: a third of the heap at most
					if (!HeapBudget.fits(3L * grown))
						throw new VolumeFormatException(file, "the deflated data set inflates to more than " + out.length
								+ " bytes, more than the Java heap has free; refusing it as corrupt (raise -Xmx if the"
								+ " file is genuine)");
					out = Arrays.copyOf(out, grown);
				}
				int r = inflater.inflate(out, n, out.length - n);
				n += r;
				if (r == 0 && (inflater.needsInput() || inflater.needsDictionary()))
					break;
			}
			buf = out;
			limit = n;
			size = n;
			pos = 0;
		} catch (DataFormatException e) {
			throw new VolumeFormatException(file, "the deflated data set is corrupt: " + e.getMessage(), e);
		} finally {
			inflater.end();
		}
	}

	static int readIntLE(byte[] b, int p) {
		return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
	}

	static int readIntBE(byte[] b, int p) {
		return (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
	}

	@Override
	public void close() {
		if (channel != null) {
			try {
				channel.close();
			} catch (IOException ignored) {
				// read-only channel: nothing was written that could be lost
			}
			channel = null;
		}
	}
}
