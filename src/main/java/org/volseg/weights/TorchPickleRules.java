package org.volseg.weights;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The globals a pickled PyTorch state dict needs, and what they build: an allow-list, not an
 * execution. Accepted: {@code collections.OrderedDict} (an empty ordered dict, or one built from
 * a list of pairs), {@code torch._utils._rebuild_tensor_v2} (a {@link TensorView}),
 * {@code torch._utils._rebuild_parameter} and {@code _rebuild_parameter_with_state} (the tensor
 * they wrap), and {@code torch.<Type>Storage} (a storage type for persistent ids). Any other
 * global is refused by name. Persistent ids are
 * {@code ('storage', storage_type, key, location, numel)}; storages with the same key are one
 * {@link StorageRef}. Not thread-safe; one instance per file.
 */
final class TorchPickleRules implements SafeUnpickler.Rules {

	/** A storage of the checkpoint: zip entry {@code data/key}, {@code numel} elements of {@code type}. */
	record StorageRef(String key, ElementType type, long numel) {
	}

	/** A tensor: a strided view of a storage (offsets and strides in elements). */
	record TensorView(StorageRef storage, long offset, long[] size, long[] stride) {
	}

	/** A {@code torch.<Name>Storage} global; {@code type} is null for one VolSeg does not read. */
	private record StorageType(String name, ElementType type) {
	}

	private enum Function {
		ORDERED_DICT, REBUILD_TENSOR_V2, REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE
	}

	private final Path file;
	private final Map<String, StorageRef> storages = new HashMap<>();

	TorchPickleRules(Path file) {
		this.file = file;
	}

	@Override
	public Object global(String module, String name) {
		if (module.equals("collections") && name.equals("OrderedDict")) return Function.ORDERED_DICT;
		if (module.equals("torch._utils")) {
			switch (name) {
				case "_rebuild_tensor_v2": return Function.REBUILD_TENSOR_V2;
				case "_rebuild_parameter": return Function.REBUILD_PARAMETER;
				case "_rebuild_parameter_with_state": return Function.REBUILD_PARAMETER_WITH_STATE;
				default: return null;
			}
		}
		if (module.equals("torch") && name.endsWith("Storage") && name.matches("[A-Za-z0-9]+")) {
			return new StorageType(name, ElementType.ofTorchStorage(name));
		}
		return null;
	}

	@Override
	public Object call(Object callable, SafeUnpickler.Tuple args) {
		if (!(callable instanceof Function)) {
			throw new UnsafePickleException(file, "data.pkl calls " + SafeUnpickler.typeName(callable)
					+ ", which is not a function VolSeg allows");
		}
		switch ((Function) callable) {
			case ORDERED_DICT:
				return orderedDict(args);
			case REBUILD_TENSOR_V2:
				return rebuildTensor(args);
			case REBUILD_PARAMETER:
			case REBUILD_PARAMETER_WITH_STATE:
				if (args.size() < 1 || !(args.get(0) instanceof TensorView)) throw malformed("_rebuild_parameter without a tensor");
				return args.get(0);
			default:
				throw new IllegalStateException();
		}
	}

	private Object orderedDict(SafeUnpickler.Tuple args) {
		Map<Object, Object> m = new java.util.LinkedHashMap<>();
		if (args.size() == 0) return m;
		if (args.size() == 1 && args.get(0) instanceof List) {
			for (Object pair : (List<?>) args.get(0)) {
				if (!(pair instanceof SafeUnpickler.Tuple) || ((SafeUnpickler.Tuple) pair).size() != 2) throw malformed("OrderedDict of non-pairs");
				m.put(((SafeUnpickler.Tuple) pair).get(0), ((SafeUnpickler.Tuple) pair).get(1));
			}
			return m;
		}
		throw malformed("OrderedDict called with " + args.size() + " unexpected arguments");
	}

	/** {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
	private TensorView rebuildTensor(SafeUnpickler.Tuple args) {
		if (args.size() < 4 || !(args.get(0) instanceof StorageRef)) throw malformed("_rebuild_tensor_v2 without a storage");
		long offset = integer(args.get(1), "storage_offset");
		long[] size = integers(args.get(2), "size");
		long[] stride = integers(args.get(3), "stride");
		if (size.length != stride.length) {
			throw malformed("a tensor with size " + Arrays.toString(size) + " and strides " + Arrays.toString(stride));
		}
		return new TensorView((StorageRef) args.get(0), offset, size, stride);
	}

	@Override
	public void build(Object obj, Object state) {
		// An OrderedDict's __dict__ (a state dict's _metadata: versions of modules) carries no tensors.
		if (obj instanceof Map && (state == null || state instanceof Map)) return;
		throw new UnsafePickleException(file, "data.pkl sets the state of a " + SafeUnpickler.typeName(obj)
				+ ", which a state dict does not need");
	}

	@Override
	public Object persistentLoad(Object pid) {
		if (!(pid instanceof SafeUnpickler.Tuple) || ((SafeUnpickler.Tuple) pid).size() != 5
				|| !"storage".equals(((SafeUnpickler.Tuple) pid).get(0))) {
			throw malformed("a persistent id other than ('storage', type, key, location, numel): " + SafeUnpickler.typeName(pid));
		}
		SafeUnpickler.Tuple t = (SafeUnpickler.Tuple) pid;
		if (!(t.get(1) instanceof StorageType)) throw malformed("a storage whose type is " + SafeUnpickler.typeName(t.get(1)));
		StorageType type = (StorageType) t.get(1);
		if (type.type() == null) {
			throw new CheckpointException(file, "storage type torch." + type.name() + " is not supported (VolSeg reads "
					+ "float32, float16, bfloat16, float64 and integer tensors); convert the state dict with .float() before saving");
		}
		if (!(t.get(2) instanceof String) || !((String) t.get(2)).matches("[A-Za-z0-9_]+")) {
			throw malformed("a storage key that is not a plain name: " + t.get(2));
		}
		String key = (String) t.get(2);
		long numel = integer(t.get(4), "numel");
		StorageRef ref = storages.get(key);
		if (ref == null) {
			ref = new StorageRef(key, type.type(), numel);
			storages.put(key, ref);
		} else if (ref.type() != type.type() || ref.numel() != numel) {
			throw malformed("storage " + key + " declared twice with different types or sizes");
		}
		return ref;
	}

	private long integer(Object o, String what) {
		if (!(o instanceof Long)) throw malformed(what + " is not an integer (" + SafeUnpickler.typeName(o) + ")");
		return (Long) o;
	}

	private long[] integers(Object o, String what) {
		if (!(o instanceof SafeUnpickler.Tuple)) throw malformed(what + " is not a tuple (" + SafeUnpickler.typeName(o) + ")");
		SafeUnpickler.Tuple t = (SafeUnpickler.Tuple) o;
		long[] v = new long[t.size()];
		for (int i = 0; i < v.length; i++) v[i] = integer(t.get(i), what);
		return v;
	}

	private CheckpointException malformed(String problem) {
		return new CheckpointException(file, "data.pkl is not a PyTorch tensor pickle: " + problem);
	}
}
