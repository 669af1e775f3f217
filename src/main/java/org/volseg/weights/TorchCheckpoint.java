package org.volseg.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads the tensors of a {@code torch.save} file in PyTorch's zip format ({@code .pt},
 * {@code .pth}, {@code .ckpt} since PyTorch 1.6): one top folder of any name holding
 * {@code data.pkl} (the pickled object), {@code data/N} (the raw bytes of storage {@code N}),
 * and optionally {@code byteorder} ({@code little} when absent) and {@code version}.
 *
 * <p>The pickle is interpreted by {@link SafeUnpickler} with {@link TorchPickleRules}: only
 * {@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2},
 * {@code _rebuild_parameter}, {@code _rebuild_parameter_with_state} and the {@code torch.*Storage}
 * types are accepted; nothing is executed. Each storage is read once (tensors sharing it are
 * views), directly from the zip entry (no extraction), after checking that the entry holds the
 * bytes the pickle declares. Strided views with a storage offset are copied to dense row-major
 * arrays.</p>
 *
 * <p>Which dictionary is the state dict: see {@link StateDictLocator}. Stateless; the zip is
 * opened and closed inside {@link #read}.</p>
 */
public final class TorchCheckpoint {

	/** Largest {@code data.pkl} read (real ones are kilobytes to a few megabytes). */
	private static final long MAX_PICKLE_BYTES = 256L << 20;
	/** The largest ratio of uncompressed to compressed size deflate can reach. */
	private static final long MAX_DEFLATE_RATIO = 1100;

	private TorchCheckpoint() {
	}

	/**
	 * Reads the state dict of a checkpoint.
	 *
	 * @param file a torch.save zip file
	 * @param checkpointKey the key of the state dict inside a training checkpoint (dots separate
	 *        levels, for example {@code ema.model}), or {@code null} to choose automatically
	 * @return the tensors in file order, converted to float32
	 * @throws LegacyCheckpointException for a pre-1.6 (non-zip) torch.save file
	 * @throws UnsafePickleException for a refused global or opcode
	 * @throws CheckpointException for any other problem, naming the file
	 */
	public static CheckpointContents read(Path file, String checkpointKey) {
		if (WeightsFormat.detect(file) == WeightsFormat.TORCH_LEGACY) throw new LegacyCheckpointException(file);
		ZipFile zip;
		try {
			zip = new ZipFile(file.toFile());
		} catch (ZipException ex) {
			throw new CheckpointException(file, "not a complete zip archive (" + ex.getMessage()
					+ "): the file is truncated or not a torch.save checkpoint", ex);
		} catch (IOException ex) {
			throw new CheckpointException(file, "cannot read: " + ex.getMessage(), ex);
		}
		try (zip) {
			String top = topFolder(zip, file);
			ByteOrder order = byteOrder(zip, top, file);
			TorchPickleRules rules = new TorchPickleRules(file);
			Object root = new SafeUnpickler(readPickle(zip, top, file), file, top + "data.pkl", rules).load();
			StateDictLocator.Found found = StateDictLocator.locate(root, checkpointKey, file);
			StorageReader storages = new StorageReader(zip, top, order, file);
			Map<String, StoredTensor> tensors = new LinkedHashMap<>();
			for (Map.Entry<String, TorchPickleRules.TensorView> e : found.tensors().entrySet()) {
				tensors.put(e.getKey(), storages.materialise(e.getKey(), e.getValue()));
			}
			return new CheckpointContents(tensors, found.notes());
		} catch (IOException ex) {
			throw new CheckpointException(file, "cannot read: " + ex.getMessage(), ex);
		}
	}

	/** The one folder {@code X/} with an entry {@code X/data.pkl}. */
	private static String topFolder(ZipFile zip, Path file) {
		List<String> tops = new ArrayList<>();
		List<String> names = new ArrayList<>();
		for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
			String name = en.nextElement().getName();
			if (names.size() < 5) names.add(name);
			int slash = name.indexOf('/');
			if (slash > 0 && name.substring(slash + 1).equals("data.pkl")) tops.add(name.substring(0, slash + 1));
		}
		if (tops.isEmpty()) {
			throw new CheckpointException(file, "a zip archive without <folder>/data.pkl, so not a torch.save checkpoint (first entries: "
					+ (names.isEmpty() ? "none" : String.join(", ", names)) + ")");
		}
		if (tops.size() > 1) {
			throw new CheckpointException(file, "a zip archive with several data.pkl (" + String.join(", ", tops)
					+ "): not a single torch.save checkpoint");
		}
		return tops.get(0);
	}

	private static ByteOrder byteOrder(ZipFile zip, String top, Path file) throws IOException {
		ZipEntry e = zip.getEntry(top + "byteorder");
		if (e == null) return ByteOrder.LITTLE_ENDIAN;
		String s;
		try (InputStream in = zip.getInputStream(e)) {
			s = new String(in.readNBytes(32), StandardCharsets.US_ASCII).trim();
		}
		if (s.equals("little")) return ByteOrder.LITTLE_ENDIAN;
		if (s.equals("big")) return ByteOrder.BIG_ENDIAN;
		throw new CheckpointException(file, top + "byteorder says '" + s + "', expected 'little' or 'big'");
	}

	private static byte[] readPickle(ZipFile zip, String top, Path file) throws IOException {
		ZipEntry e = zip.getEntry(top + "data.pkl");
		long size = declaredSize(e, file);
		if (size > MAX_PICKLE_BYTES) {
			throw new CheckpointException(file, e.getName() + " declares " + size + " bytes, more than a state dict's pickle can need");
		}
		try (InputStream in = zip.getInputStream(e)) {
			byte[] b = in.readNBytes((int) size);
			if (b.length != size) {
				throw new CheckpointException(file, e.getName() + " holds " + b.length + " of its " + size + " bytes: the file is truncated");
			}
			return b;
		}
	}

	/**
	 * The uncompressed size of an entry, checked against the bytes actually in the file (an
	 * entry stored without compression is exactly as long as its compressed size; a deflated one
	 * at most {@value #MAX_DEFLATE_RATIO} times).
	 */
	static long declaredSize(ZipEntry e, Path file) {
		long size = e.getSize();
		long compressed = e.getCompressedSize();
		if (size < 0 || compressed < 0) throw new CheckpointException(file, e.getName() + " has no size in the zip directory");
		boolean fits = e.getMethod() == ZipEntry.STORED ? size == compressed : size / MAX_DEFLATE_RATIO <= compressed;
		if (!fits) {
			throw new CheckpointException(file, e.getName() + " declares " + size + " bytes but " + compressed
					+ " are stored: the zip directory is corrupt");
		}
		return size;
	}

	/** Reads storages once each and copies tensor views out of them. */
	private static final class StorageReader {
		private final ZipFile zip;
		private final String top;
		private final ByteOrder order;
		private final Path file;
		private final Map<String, float[]> cache = new HashMap<>();

		StorageReader(ZipFile zip, String top, ByteOrder order, Path file) {
			this.zip = zip;
			this.top = top;
			this.order = order;
			this.file = file;
		}

		StoredTensor materialise(String key, TorchPickleRules.TensorView view) throws IOException {
			TorchPickleRules.StorageRef s = view.storage();
			ZipEntry entry = checkedEntry(s); // the storage's declaration first, then the view's
			long count = checkView(key, view);
			float[] storage = storage(s, entry);
			long[] shape = view.size();
			float[] out;
			if (count == storage.length && view.offset() == 0 && Arrays.equals(view.stride(), contiguousStrides(shape))) {
				out = storage; // the whole storage, in order: shared (tensors are immutable)
			} else {
				out = new float[(int) count];
				gather(storage, view.offset(), shape, view.stride(), out);
			}
			return new StoredTensor(s.type(), shape, out);
		}

		/** Number of elements of the view, after checking that it lies inside its storage. */
		private long checkView(String key, TorchPickleRules.TensorView view) {
			long[] size = view.size();
			long[] stride = view.stride();
			long count = 1;
			long last = view.offset();
			for (int i = 0; i < size.length; i++) {
				if (size[i] < 0 || stride[i] < 0) {
					throw new CheckpointException(file, "tensor '" + key + "' has a negative size or stride (" + Arrays.toString(size)
							+ ", strides " + Arrays.toString(stride) + ")");
				}
				count = multiply(count, size[i], key);
				if (size[i] > 0) last = add(last, multiply(size[i] - 1, stride[i], key), key);
			}
			if (count > Integer.MAX_VALUE - 8) {
				throw new CheckpointException(file, "tensor '" + key + "' has " + count + " elements, more than VolSeg can hold in one array");
			}
			if (view.offset() < 0 || (count > 0 && last >= view.storage().numel())) {
				throw new CheckpointException(file, "tensor '" + key + "' " + Arrays.toString(size) + " (strides " + Arrays.toString(stride)
						+ ", offset " + view.offset() + ") reaches element " + last + " of storage " + view.storage().key() + ", which has "
						+ view.storage().numel() + ": the storage is too short for the view");
			}
			return count;
		}

		private long multiply(long a, long b, String key) {
			try {
				return Math.multiplyExact(a, b);
			} catch (ArithmeticException ex) {
				throw new CheckpointException(file, "tensor '" + key + "' declares an impossibly large size");
			}
		}

		private long add(long a, long b, String key) {
			try {
				return Math.addExact(a, b);
			} catch (ArithmeticException ex) {
				throw new CheckpointException(file, "tensor '" + key + "' declares an impossibly large size");
			}
		}

		/** The storage's zip entry, checked to hold the bytes the pickle declares. */
		private ZipEntry checkedEntry(TorchPickleRules.StorageRef s) {
			String name = top + "data/" + s.key();
			ZipEntry e = zip.getEntry(name);
			if (e == null) {
				throw new CheckpointException(file, "storage " + s.key() + " is missing: no zip entry " + name + " (the file is incomplete)");
			}
			long available = declaredSize(e, file);
			int bytes = s.type().bytes();
			if (s.numel() < 0 || s.numel() > available / bytes) {
				throw new CheckpointException(file, "storage " + s.key() + " declares " + s.numel() + " " + s.type().torchName()
						+ " elements (" + (s.numel() < 0 ? "negative" : Math.multiplyHigh(s.numel(), bytes) != 0 ? "over 2^63"
								: String.valueOf(s.numel() * bytes)) + " bytes) but its entry " + name + " holds " + available + " bytes");
			}
			if (s.numel() > Integer.MAX_VALUE - 8) {
				throw new CheckpointException(file, "storage " + s.key() + " has " + s.numel() + " elements, more than VolSeg can hold in one array");
			}
			return e;
		}

		private float[] storage(TorchPickleRules.StorageRef s, ZipEntry e) throws IOException {
			float[] cached = cache.get(s.key());
			if (cached != null) return cached;
			String name = e.getName();
			int bytes = s.type().bytes();
			int n = (int) s.numel();
			float[] out = new float[n];
			byte[] chunk = new byte[(int) Math.max(bytes, Math.min((long) n * bytes, 1 << 16))]; // a multiple of bytes
			int perChunk = chunk.length / bytes;
			try (InputStream in = zip.getInputStream(e)) {
				for (int done = 0; done < n;) {
					int m = Math.min(perChunk, n - done);
					int got = in.readNBytes(chunk, 0, m * bytes);
					if (got != m * bytes) {
						throw new CheckpointException(file, name + " ends after " + ((long) done * bytes + got) + " of "
								+ ((long) n * bytes) + " bytes: the file is truncated");
					}
					s.type().decode(ByteBuffer.wrap(chunk, 0, got).order(order), out, done, m);
					done += m;
				}
			} catch (ZipException ex) {
				throw new CheckpointException(file, name + " cannot be read (" + ex.getMessage() + "): the file is corrupt or truncated", ex);
			}
			cache.put(s.key(), out);
			return out;
		}
	}

	/** Row-major strides of a shape. */
	static long[] contiguousStrides(long[] shape) {
		long[] s = new long[shape.length];
		long acc = 1;
		for (int i = shape.length - 1; i >= 0; i--) {
			s[i] = acc;
			acc *= Math.max(shape[i], 1);
		}
		return s;
	}

	/** Copies a strided view (checked to lie inside {@code storage}) into a dense row-major array. */
	static void gather(float[] storage, long offset, long[] shape, long[] stride, float[] out) {
		int rank = shape.length;
		if (out.length == 0) return;
		if (rank == 0) {
			out[0] = storage[(int) offset];
			return;
		}
		int inner = (int) shape[rank - 1];
		long innerStride = stride[rank - 1];
		int[] index = new int[rank];
		long base = offset;
		for (int o = 0; o < out.length; o += inner) {
			if (innerStride == 1) {
				System.arraycopy(storage, (int) base, out, o, inner);
			} else {
				long src = base;
				for (int i = 0; i < inner; i++, src += innerStride) out[o + i] = storage[(int) src];
			}
			for (int a = rank - 2; a >= 0; a--) {
				index[a]++;
				base += stride[a];
				if (index[a] < shape[a]) break;
				base -= stride[a] * shape[a];
				index[a] = 0;
			}
		}
	}
}
