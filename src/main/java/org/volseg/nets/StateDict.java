package org.volseg.nets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.volseg.weights.CheckpointContents;
import org.volseg.weights.StoredTensor;
import org.volseg.weights.TorchCheckpoint;
import org.volseg.weights.WeightsFormat;

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
	private final List<String> notes;

	/**
	 * @param tensors key -> tensor, in the checkpoint's order
	 * @param source where the weights came from (a file name), used in error messages
	 */
	public StateDict(Map<String, FloatTensor> tensors, String source) {
		this(tensors, source, List.of());
	}

	/**
	 * @param tensors key -> tensor, in the checkpoint's order
	 * @param source where the weights came from (a file name), used in error messages
	 * @param notes how the state dict was found in its file (a key chosen, a prefix removed), one
	 *        sentence each, for the user
	 */
	public StateDict(Map<String, FloatTensor> tensors, String source, List<String> notes) {
		this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
		this.source = source;
		this.notes = List.copyOf(notes);
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
		return new StateDict(all, source).withPrefix(prefix != null ? prefix : automaticPrefix(all));
	}

	/**
	 * The keys starting with {@code prefix}, with it removed (this state dict itself for an
	 * empty prefix); a note says so.
	 */
	public StateDict withPrefix(String prefix) {
		if (prefix.isEmpty()) return this;
		Map<String, FloatTensor> selected = new LinkedHashMap<>();
		for (Map.Entry<String, FloatTensor> e : tensors.entrySet()) {
			if (e.getKey().startsWith(prefix)) selected.put(e.getKey().substring(prefix.length()), e.getValue());
		}
		List<String> withNote = new ArrayList<>(notes);
		withNote.add("using the " + selected.size() + " of " + tensors.size() + " keys that start with '" + prefix + "' (prefix removed)");
		return new StateDict(selected, source, withNote);
	}

	/** Reads the state dict of a weights file, choosing it automatically: {@code read(file, null)}. */
	public static StateDict read(Path file) {
		return read(file, null);
	}

	/**
	 * Reads the state dict of a weights file of any format VolSeg reads, told apart by content
	 * (not by name): safetensors, or a {@code torch.save} checkpoint ({@code .pt}, {@code .pth},
	 * {@code .ckpt}; see {@link TorchCheckpoint}). The one entry point for weights.
	 *
	 * @param checkpointKey {@code null} to choose automatically (see
	 *        {@link org.volseg.weights.StateDictLocator}; for safetensors as in
	 *        {@link #of(SafeTensors, String, String)} with a {@code null} prefix); otherwise the key
	 *        of the state dict in a training checkpoint ({@code model}, {@code ema.model}), which in
	 *        a safetensors file means the keys starting with {@code KEY.}
	 * @throws TensorFileException or {@link org.volseg.weights.CheckpointException} naming the file
	 *         if it cannot be read
	 */
	public static StateDict read(Path file, String checkpointKey) {
		return read(file, checkpointKey, false);
	}

	/**
	 * Every tensor of a tensor file, by name, whatever it is (for example the {@code input} of a
	 * reference file): all tensors of a safetensors file, the top-level dictionary's tensors of a
	 * {@code torch.save} file (or the state dict found as in {@link #read(Path, String)} if the top
	 * level holds none).
	 */
	public static StateDict readTensors(Path file) {
		return read(file, null, true);
	}

	private static StateDict read(Path file, String checkpointKey, boolean allTensors) {
		WeightsFormat format = WeightsFormat.detect(file);
		switch (format) {
			case TORCH_ZIP:
			case TORCH_LEGACY:
				CheckpointContents c = TorchCheckpoint.read(file, checkpointKey);
				Map<String, FloatTensor> tensors = new LinkedHashMap<>();
				for (Map.Entry<String, StoredTensor> e : c.tensors().entrySet()) {
					tensors.put(e.getKey(), new FloatTensor(e.getValue().shape(), e.getValue().data()));
				}
				return new StateDict(tensors, file.toString(), c.notes());
			case SAFETENSORS:
				return of(SafeTensors.read(file), allTensors ? "" : checkpointKey == null ? null : checkpointKey + ".", file.toString());
			default:
				if (!Files.isRegularFile(file)) return of(SafeTensors.read(file), null, file.toString()); // says why
				throw new TensorFileException(file, unknownFormat(file));
		}
	}

	private static String unknownFormat(Path file) {
		int first = -1;
		try (InputStream in = Files.newInputStream(file)) {
			first = in.read();
		} catch (IOException ex) {
			return "cannot read: " + ex.getMessage();
		}
		if (first == 0x80) {
			return "a plain Python pickle, not a torch.save checkpoint or safetensors file; VolSeg does not unpickle arbitrary"
					+ " objects. Save the state dict with torch.save(model.state_dict(), 'model.pt') or as safetensors.";
		}
		return "neither safetensors nor a torch.save checkpoint (zip): the weights formats VolSeg reads";
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

	/**
	 * How the state dict was found in its file (the key of a training checkpoint, a prefix
	 * removed, entries ignored), one sentence each; empty for a plain state dict.
	 */
	public List<String> notes() {
		return notes;
	}

	/** Number of keys. */
	public int size() {
		return tensors.size();
	}
}
