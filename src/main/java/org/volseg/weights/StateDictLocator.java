package org.volseg.weights;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the state dict in an unpickled checkpoint:
 * <ol>
 * <li>with a checkpoint key: the dictionary under that key (a key containing dots that is not
 * itself a top-level key is a path, {@code ema.model} = {@code ckpt['ema']['model']});</li>
 * <li>otherwise the top-level dictionary itself if it holds tensors (a bare state dict);</li>
 * <li>otherwise the first of {@link #CANDIDATE_KEYS}, in that order, that holds a dictionary with
 * tensors (a training checkpoint such as {@code {'model': ..., 'epoch': 3}}).</li>
 * </ol>
 * In the chosen dictionary, entries that are not tensors are ignored (and named in a note); a
 * {@code module.} prefix on every key ({@code DataParallel}) is removed (with a note).
 */
final class StateDictLocator {

	/** Keys under which training checkpoints hold the state dict, tried in this order. */
	public static final List<String> CANDIDATE_KEYS = List.of("model", "state_dict", "network", "net", "model_state_dict");

	/** The prefix {@code torch.nn.DataParallel} puts on every key. */
	public static final String DATA_PARALLEL_PREFIX = "module.";

	/** The tensors found (by key, in file order) and notes on how. */
	record Found(Map<String, TorchPickleRules.TensorView> tensors, List<String> notes) {
	}

	private StateDictLocator() {
	}

	static Found locate(Object root, String checkpointKey, Path file) {
		List<String> notes = new ArrayList<>();
		if (!(root instanceof Map)) {
			throw new CheckpointException(file, "holds a " + SafeUnpickler.typeName(root)
					+ ", not a dictionary of tensors (a state dict or a checkpoint holding one)");
		}
		Map<?, ?> top = (Map<?, ?>) root;
		Map<?, ?> chosen;
		if (checkpointKey != null) {
			chosen = byKey(top, checkpointKey, file);
			notes.add("using the state dict under '" + checkpointKey + "' (--checkpoint-key)");
		} else if (hasTensor(top)) {
			chosen = top;
		} else {
			chosen = null;
			for (String k : CANDIDATE_KEYS) {
				Object v = top.get(k);
				if (v instanceof Map && hasTensor((Map<?, ?>) v)) {
					chosen = (Map<?, ?>) v;
					notes.add("using the state dict under '" + k + "' of the checkpoint (top-level keys: " + describeKeys(top) + ")");
					break;
				}
			}
			if (chosen == null) {
				throw new CheckpointException(file, "no state dict found: the file's top-level keys are " + describeKeys(top)
						+ "; none of " + String.join(", ", CANDIDATE_KEYS) + " holds tensors. Name the one that does with --checkpoint-key KEY.");
			}
		}
		Map<String, TorchPickleRules.TensorView> tensors = new LinkedHashMap<>();
		List<String> ignored = new ArrayList<>();
		for (Map.Entry<?, ?> e : chosen.entrySet()) {
			if (!(e.getValue() instanceof TorchPickleRules.TensorView)) {
				ignored.add(String.valueOf(e.getKey()));
			} else if (!(e.getKey() instanceof String)) {
				throw new CheckpointException(file, "a tensor under a key that is not a string (" + SafeUnpickler.typeName(e.getKey()) + ")");
			} else {
				tensors.put((String) e.getKey(), (TorchPickleRules.TensorView) e.getValue());
			}
		}
		if (tensors.isEmpty()) {
			throw new CheckpointException(file, "the dictionary under --checkpoint-key '" + checkpointKey + "' holds no tensors (its keys: "
					+ describeKeys(chosen) + ")");
		}
		if (!ignored.isEmpty()) {
			notes.add("ignored " + ignored.size() + " entries that are not tensors: " + String.join(", ", ignored.subList(0, Math.min(10, ignored.size())))
					+ (ignored.size() > 10 ? ", ..." : ""));
		}
		return new Found(stripDataParallel(tensors, notes), notes);
	}

	/**
	 * The map without the {@code module.} prefix if every key has it (noted), else itself.
	 */
	public static <T> Map<String, T> stripDataParallel(Map<String, T> tensors, List<String> notes) {
		if (tensors.isEmpty() || !tensors.keySet().stream().allMatch(k -> k.startsWith(DATA_PARALLEL_PREFIX))) return tensors;
		Map<String, T> stripped = new LinkedHashMap<>();
		for (Map.Entry<String, T> e : tensors.entrySet()) stripped.put(e.getKey().substring(DATA_PARALLEL_PREFIX.length()), e.getValue());
		notes.add("removed the prefix '" + DATA_PARALLEL_PREFIX + "' (torch.nn.DataParallel) from all " + tensors.size() + " keys");
		return stripped;
	}

	private static Map<?, ?> byKey(Map<?, ?> top, String key, Path file) {
		Object v = top.get(key);
		if (v == null && key.contains(".")) {
			Object level = top;
			for (String part : key.split("\\.", -1)) {
				level = level instanceof Map ? ((Map<?, ?>) level).get(part) : null;
			}
			v = level;
		}
		if (!(v instanceof Map)) {
			throw new CheckpointException(file, "--checkpoint-key '" + key + "' " + (v == null ? "is not in the file" : "holds a "
					+ SafeUnpickler.typeName(v) + ", not a dictionary of tensors") + "; the top-level keys are " + describeKeys(top));
		}
		return (Map<?, ?>) v;
	}

	private static boolean hasTensor(Map<?, ?> m) {
		for (Object v : m.values()) if (v instanceof TorchPickleRules.TensorView) return true;
		return false;
	}

	/** {@code "model (dict of 148 tensors), epoch (int)"}, at most 20 keys. */
	static String describeKeys(Map<?, ?> m) {
		if (m.isEmpty()) return "none (an empty dictionary)";
		List<String> parts = new ArrayList<>();
		for (Map.Entry<?, ?> e : m.entrySet()) {
			if (parts.size() == 20) {
				parts.add("... (" + m.size() + " in all)");
				break;
			}
			Object v = e.getValue();
			String kind;
			if (v instanceof TorchPickleRules.TensorView) kind = "tensor";
			else if (v instanceof Map) {
				long n = ((Map<?, ?>) v).values().stream().filter(x -> x instanceof TorchPickleRules.TensorView).count();
				kind = "dict" + (n > 0 ? " of " + n + " tensors" : "");
			} else kind = SafeUnpickler.typeName(v);
			parts.add(e.getKey() + " (" + kind + ")");
		}
		return String.join(", ", parts);
	}
}
