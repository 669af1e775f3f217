package org.volseg.nets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.volseg.util.AtomicFiles;
import org.volseg.util.Json;
import org.volseg.weights.ElementType;

/**
 * The contents of a <a href="https://github.com/huggingface/safetensors">safetensors</a> file:
 * named tensors (converted to float32) and the string map {@code __metadata__}.
 *
 * <p>Format: an 8-byte little-endian header length {@code n}, {@code n} bytes of UTF-8 JSON
 * (tensor name -> {@code dtype}, {@code shape}, {@code data_offsets} relative to the data
 * section), then the raw little-endian data. Readable dtypes: F32, F64, F16, BF16, I64, I32,
 * I16, I8, U8, BOOL (all converted to float; integers above 2^24 lose precision). Written
 * files hold F32 only.</p>
 *
 * <p>Instances are immutable views of what was read; not thread-safe only in that the
 * tensors' arrays are shared, not copied.</p>
 */
public final class SafeTensors {

	/** Header larger than this is refused as corrupt (real headers are kilobytes). */
	private static final long MAX_HEADER_BYTES = 100L << 20;
	/** Bytes read from the file at a time (one buffer for all tensors). */
	private static final long READ_CHUNK_BYTES = 1 << 24;

	private final Map<String, FloatTensor> tensors;
	private final Map<String, String> dtypes;
	private final Map<String, String> metadata;

	/**
	 * @param tensors name -> tensor, in file order
	 * @param metadata the {@code __metadata__} string map (may be empty)
	 */
	public SafeTensors(Map<String, FloatTensor> tensors, Map<String, String> metadata) {
		this(tensors, Collections.emptyMap(), metadata);
	}

	private SafeTensors(Map<String, FloatTensor> tensors, Map<String, String> dtypes, Map<String, String> metadata) {
		this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
		this.dtypes = Collections.unmodifiableMap(new LinkedHashMap<>(dtypes));
		this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
	}

	/** All tensors by name, in file order. */
	public Map<String, FloatTensor> tensors() {
		return tensors;
	}

	/** The dtype a tensor had in the file (for example {@code "F32"}, {@code "I64"}); F32 if unknown. */
	public String dtype(String name) {
		return dtypes.getOrDefault(name, "F32");
	}

	/** The {@code __metadata__} map (empty if the file has none). */
	public Map<String, String> metadata() {
		return metadata;
	}

	/**
	 * Reads a whole file.
	 *
	 * @throws TensorFileException naming the file if it cannot be read, is truncated or is not
	 *         valid safetensors
	 */
	public static SafeTensors read(Path file) {
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			long size = ch.size();
			if (size < 8) throw new TensorFileException(file, "not a safetensors file (shorter than 8 bytes)");
			ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
			readFully(ch, lenBuf, 0, file);
			long headerLength = lenBuf.getLong(0);
			if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || headerLength > size - 8) {
				throw new TensorFileException(file, "not a safetensors file (header length " + headerLength
						+ " does not fit a file of " + size + " bytes)");
			}
			ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLength);
			readFully(ch, headerBuf, 8, file);
			Map<String, Object> header;
			try {
				header = Json.parseObject(new String(headerBuf.array(), StandardCharsets.UTF_8));
			} catch (Json.SyntaxException ex) {
				throw new TensorFileException(file, "not a safetensors file (header is not valid JSON: " + ex.getMessage() + ")", ex);
			}
			long dataStart = 8 + headerLength;
			long dataLength = size - dataStart;
			Map<String, FloatTensor> tensors = new LinkedHashMap<>();
			Map<String, String> dtypes = new LinkedHashMap<>();
			Map<String, String> metadata = new LinkedHashMap<>();
			List<Entry> entries = new ArrayList<>();
			for (Map.Entry<String, Object> e : header.entrySet()) {
				String name = e.getKey();
				if (name.equals("__metadata__")) {
					metadata = readMetadata(file, e.getValue());
					continue;
				}
				Entry entry = Entry.parse(file, name, e.getValue());
				if (entry.end > dataLength) {
					throw new TensorFileException(file, "tensor \"" + name + "\" ends at byte " + entry.end
							+ " of a data section of " + dataLength + " bytes: the file is truncated");
				}
				entries.add(entry);
			}
			// every byte belongs to one tensor at most, so what is allocated is bounded by the file's size
			checkDisjoint(file, entries);
			long floats = 0, largest = 0;
			for (Entry entry : entries) {
				floats += FloatTensor.elementCount(entry.shape);
				largest = Math.max(largest, entry.end - entry.begin);
			}
			org.volseg.io.HeapBudget.require(file, 4 * floats + Math.min(largest, READ_CHUNK_BYTES),
					floats + " float32 weights");
			ByteBuffer buf = ByteBuffer.allocate((int) Math.max(8, Math.min(largest, READ_CHUNK_BYTES)))
					.order(ByteOrder.LITTLE_ENDIAN);
			for (Entry entry : entries) {
				tensors.put(entry.name, entry.read(ch, dataStart, file, buf));
				dtypes.put(entry.name, entry.dtype);
			}
			return new SafeTensors(tensors, dtypes, metadata);
		} catch (IOException ex) {
			throw new TensorFileException(file, "cannot read: " + ex.getMessage(), ex);
		}
	}

	/** Refuses header entries whose byte ranges overlap (several tensors made of the same bytes). */
	private static void checkDisjoint(Path file, List<Entry> entries) {
		List<Entry> byBegin = new ArrayList<>(entries);
		byBegin.sort(java.util.Comparator.comparingLong((Entry e) -> e.begin).thenComparingLong(e -> e.end));
		for (int i = 1; i < byBegin.size(); i++) {
			Entry a = byBegin.get(i - 1), b = byBegin.get(i);
			if (b.begin < a.end)
				throw new TensorFileException(file, "tensors \"" + a.name + "\" (bytes " + a.begin + "-" + a.end
						+ ") and \"" + b.name + "\" (bytes " + b.begin + "-" + b.end + ") overlap; each tensor must have"
						+ " its own bytes: the file is corrupt or was not written by a safetensors library");
		}
	}

	private static Map<String, String> readMetadata(Path file, Object value) {
		if (!(value instanceof Map)) throw new TensorFileException(file, "__metadata__ must be a JSON object of strings");
		Map<String, String> metadata = new LinkedHashMap<>();
		for (Map.Entry<?, ?> m : ((Map<?, ?>) value).entrySet()) {
			if (!(m.getValue() instanceof String)) {
				throw new TensorFileException(file, "__metadata__ value \"" + m.getKey() + "\" is not a string");
			}
			metadata.put((String) m.getKey(), (String) m.getValue());
		}
		return metadata;
	}

	private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file) throws IOException {
		long p = position;
		while (buf.hasRemaining()) {
			int n = ch.read(buf, p);
			if (n < 0) throw new TensorFileException(file, "unexpected end of file at byte " + p);
			p += n;
		}
		buf.flip();
	}

	/** One header entry: where a tensor's bytes are and how to decode them. */
	private static final class Entry {
		final String name;
		final String dtype;
		final long[] shape;
		final long begin;
		final long end;

		private Entry(String name, String dtype, long[] shape, long begin, long end) {
			this.name = name;
			this.dtype = dtype;
			this.shape = shape;
			this.begin = begin;
			this.end = end;
		}

		static Entry parse(Path file, String name, Object value) {
			String where = "tensor \"" + name + "\": ";
			if (!(value instanceof Map)) throw new TensorFileException(file, where + "header entry is not an object");
			Map<?, ?> m = (Map<?, ?>) value;
			if (!(m.get("dtype") instanceof String)) throw new TensorFileException(file, where + "missing dtype");
			String dtype = (String) m.get("dtype");
			if (bytesPerElement(dtype) == 0) {
				throw new TensorFileException(file, where + "unsupported dtype " + dtype
						+ " (readable: F32, F64, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
			}
			long[] shape = longs(file, where + "shape", m.get("shape"));
			long[] offsets = longs(file, where + "data_offsets", m.get("data_offsets"));
			if (offsets.length != 2 || offsets[1] < offsets[0]) {
				throw new TensorFileException(file, where + "data_offsets must be [begin, end] with begin <= end");
			}
			long count;
			try {
				count = FloatTensor.elementCount(shape);
			} catch (ArithmeticException ex) {
				throw new TensorFileException(file, where + "shape too large");
			}
			if (count > Integer.MAX_VALUE - 8) throw new TensorFileException(file, where + "more than 2^31 elements are not supported");
			if (offsets[1] - offsets[0] != count * bytesPerElement(dtype)) {
				throw new TensorFileException(file, where + "data_offsets span " + (offsets[1] - offsets[0])
						+ " bytes, but shape " + java.util.Arrays.toString(shape) + " of " + dtype + " needs "
						+ count * bytesPerElement(dtype));
			}
			return new Entry(name, dtype, shape, offsets[0], offsets[1]);
		}

		private static long[] longs(Path file, String what, Object value) {
			if (!(value instanceof List)) throw new TensorFileException(file, what + " must be an array of integers");
			List<?> l = (List<?>) value;
			long[] out = new long[l.size()];
			for (int i = 0; i < out.length; i++) {
				if (!(l.get(i) instanceof Long) || (Long) l.get(i) < 0) {
					throw new TensorFileException(file, what + " must be an array of non-negative integers");
				}
				out[i] = (Long) l.get(i);
			}
			return out;
		}

		/** Reads the tensor through {@code buf} (any capacity of at least 8 bytes; its contents are overwritten). */
		FloatTensor read(FileChannel ch, long dataStart, Path file, ByteBuffer buf) throws IOException {
			int count = (int) FloatTensor.elementCount(shape);
			float[] out = new float[count];
			int chunkElements = Math.max(1, buf.capacity() / bytesPerElement(dtype));
			int done = 0;
			while (done < count) {
				int n = Math.min(chunkElements, count - done);
				buf.clear();
				buf.limit(n * bytesPerElement(dtype));
				readFully(ch, buf, dataStart + begin + (long) done * bytesPerElement(dtype), file);
				decode(buf, out, done, n);
				done += n;
			}
			return new FloatTensor(shape, out);
		}

		private void decode(ByteBuffer b, float[] out, int offset, int n) {
			ElementType.ofSafetensors(dtype).decode(b, out, offset, n);
		}

		/** Bytes per element of a safetensors dtype, 0 if VolSeg does not read it. */
		static int bytesPerElement(String dtype) {
			ElementType t = ElementType.ofSafetensors(dtype);
			return t == null ? 0 : t.bytes();
		}
	}

	/**
	 * Writes tensors as F32 safetensors, atomically (a temporary file next to {@code file}, then
	 * a move). Tensor names must not be {@code __metadata__}.
	 *
	 * @throws TensorFileException naming the file if it cannot be written
	 */
	public static void write(Path file, Map<String, FloatTensor> tensors, Map<String, String> metadata) {
		Map<String, Object> header = new LinkedHashMap<>();
		if (!metadata.isEmpty()) header.put("__metadata__", new LinkedHashMap<>(metadata));
		long offset = 0;
		for (Map.Entry<String, FloatTensor> e : tensors.entrySet()) {
			if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("tensor name __metadata__ is reserved");
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("dtype", "F32");
			entry.put("shape", e.getValue().shape());
			long bytes = 4L * e.getValue().data().length;
			List<Object> offsets = new ArrayList<>();
			offsets.add(offset);
			offsets.add(offset + bytes);
			entry.put("data_offsets", offsets);
			header.put(e.getKey(), entry);
			offset += bytes;
		}
		byte[] json = Json.writeCompact(header).getBytes(StandardCharsets.UTF_8);
		int padded = (json.length + 7) / 8 * 8;
		ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
		head.putLong(padded).put(json);
		while (head.hasRemaining()) head.put((byte) ' ');
		head.flip();
		Path absolute = file.toAbsolutePath();
		try {
			Files.createDirectories(absolute.getParent());
			AtomicFiles.write(absolute, out -> {
				out.write(head.array(), 0, head.limit());
				ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
				for (FloatTensor t : tensors.values()) {
					float[] d = t.data();
					for (int i = 0; i < d.length;) {
						int n = Math.min(d.length - i, buf.capacity() / 4);
						buf.clear();
						buf.asFloatBuffer().put(d, i, n);
						out.write(buf.array(), 0, n * 4);
						i += n;
					}
				}
			});
		} catch (IOException ex) {
			throw new TensorFileException(file, "cannot write: " + ex.getMessage(), ex);
		}
	}
}
