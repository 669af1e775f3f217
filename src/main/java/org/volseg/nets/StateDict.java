package org.volseg.nets;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A network's parameters by their reference names (a PyTorch {@code state_dict}): key ->
 * float tensor in the reference layout (for example {@code [out, in, k0, k1, k2]} for a
 * convolution). Immutable; the tensors are shared, not copied.
 */
public final class StateDict {

	/** Prefix of the network's keys in VolSeg reference files (which also hold {@code input}). */
	public static final String REFERENCE_FILE_PREFIX = "model.";

	private final Map<String, FloatTensor> tensors;
	private final String source;

	/**
	 * @param tensors key -> tensor, in the checkpoint's order
	 * @param source where the weights came from (a file name), used in error messages
	 */
	public StateDict(Map<String, FloatTensor> tensors, String source) {
		this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
		this.source = source;
	}

	/**
	 * The state dict in a safetensors file.
	 *
	 * @param prefix only keys starting with it are taken, with it removed; {@code null} chooses
	 *        automatically: {@value #REFERENCE_FILE_PREFIX} if the file holds an {@code input}
	 *        or {@code expected_output} tensor (a reference file), {@code module.} if every key
	 *        starts with it (a checkpoint saved from {@code DataParallel}), otherwise none
	 */
	public static StateDict of(SafeTensors file, String prefix, String source) {
		Map<String, FloatTensor> all = file.tensors();
		String p = prefix != null ? prefix : automaticPrefix(all);
		Map<String, FloatTensor> selected = new LinkedHashMap<>();
		for (Map.Entry<String, FloatTensor> e : all.entrySet()) {
			if (e.getKey().startsWith(p)) selected.put(e.getKey().substring(p.length()), e.getValue());
		}
		return new StateDict(selected, source);
	}

	/** Reads the state dict of a safetensors file, choosing the key prefix automatically. */
	public static StateDict read(Path file) {
		return of(SafeTensors.read(file), null, file.toString());
	}

	private static String automaticPrefix(Map<String, FloatTensor> all) {
		if (all.containsKey("input") || all.containsKey("expected_output")) return REFERENCE_FILE_PREFIX;
		if (!all.isEmpty() && all.keySet().stream().allMatch(k -> k.startsWith("module."))) return "module.";
		return "";
	}

	/** All tensors by key. */
	public Map<String, FloatTensor> tensors() {
		return tensors;
	}

	/** The tensor for a key, or {@code null}. */
	public FloatTensor get(String key) {
		return tensors.get(key);
	}

	/** Where the weights came from, for messages. */
	public String source() {
		return source;
	}

	/** Number of keys. */
	public int size() {
		return tensors.size();
	}
}
