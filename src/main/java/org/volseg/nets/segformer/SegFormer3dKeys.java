package org.volseg.nets.segformer;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code state_dict} of the SegFormer3D reference module for a configuration: every key its
 * forward pass reads, with the PyTorch shape, in the reference's module order. Keys are relative to
 * the {@code SegFormer3D} module ({@code segformer_encoder.…}, {@code segformer_decoder.…}).
 */
public final class SegFormer3dKeys {

	private SegFormer3dKeys() {}

	/** Every parameter and buffer the inference forward pass uses, with its PyTorch shape. */
	public static Map<String, long[]> required(SegFormer3dConfig c) {
		Map<String, long[]> m = new LinkedHashMap<>();
		int[] e = c.embedDims();
		int[] k = c.patchKernelSize();
		int inChannels = c.inChannels();
		for (int s = 0; s < 4; s++) {
			String p = "segformer_encoder.embed_" + (s + 1) + ".";
			m.put(p + "patch_embeddings.weight", new long[] { e[s], inChannels, k[s], k[s], k[s] });
			m.put(p + "patch_embeddings.bias", new long[] { e[s] });
			m.put(p + "norm.weight", new long[] { e[s] });
			m.put(p + "norm.bias", new long[] { e[s] });
			inChannels = e[s];
		}
		for (int s = 0; s < 4; s++) {
			int dim = e[s];
			int hidden = c.mlpRatios()[s] * dim;
			int sr = c.srRatios()[s];
			for (int b = 0; b < c.depths()[s]; b++) {
				String p = "segformer_encoder.tf_block" + (s + 1) + "." + b + ".";
				vector(m, p + "norm1", dim);
				linear(m, p + "attention.query", dim, dim);
				linear(m, p + "attention.key_value", dim, 2 * dim);
				linear(m, p + "attention.proj", dim, dim);
				if (sr > 1) {
					m.put(p + "attention.sr.weight", new long[] { dim, dim, sr, sr, sr });
					m.put(p + "attention.sr.bias", new long[] { dim });
					vector(m, p + "attention.sr_norm", dim);
				}
				vector(m, p + "norm2", dim);
				linear(m, p + "mlp.fc1", dim, hidden);
				m.put(p + "mlp.dwconv.dwconv.weight", new long[] { hidden, 1, 3, 3, 3 });
				m.put(p + "mlp.dwconv.dwconv.bias", new long[] { hidden });
				batchNorm(m, p + "mlp.dwconv.bn", hidden);
				linear(m, p + "mlp.fc2", hidden, dim);
			}
			vector(m, "segformer_encoder.norm" + (s + 1), dim);
		}
		int d = c.decoderHeadEmbeddingDim();
		for (int s = 4; s >= 1; s--) {
			String p = "segformer_decoder.linear_c" + s + ".";
			linear(m, p + "proj", e[s - 1], d);
			vector(m, p + "bn", d);
		}
		m.put("segformer_decoder.linear_fuse.0.weight", new long[] { d, 4L * d, 1, 1, 1 });
		batchNorm(m, "segformer_decoder.linear_fuse.1", d);
		m.put("segformer_decoder.linear_pred.weight", new long[] { c.numClasses(), d, 1, 1, 1 });
		m.put("segformer_decoder.linear_pred.bias", new long[] { c.numClasses() });
		return m;
	}

	/**
	 * Keys a saved {@code state_dict} holds that the inference forward pass never reads, and that an
	 * import therefore accepts and ignores: the {@code num_batches_tracked} counters (int64 scalars) of
	 * the BatchNorm3d layers.
	 */
	public static Set<String> ignorable(SegFormer3dConfig c) {
		Set<String> keys = new LinkedHashSet<>();
		for (int s = 0; s < 4; s++) {
			for (int b = 0; b < c.depths()[s]; b++) {
				keys.add("segformer_encoder.tf_block" + (s + 1) + "." + b + ".mlp.dwconv.bn.num_batches_tracked");
			}
		}
		keys.add("segformer_decoder.linear_fuse.1.num_batches_tracked");
		return keys;
	}

	private static void vector(Map<String, long[]> m, String prefix, int n) {
		m.put(prefix + ".weight", new long[] { n });
		m.put(prefix + ".bias", new long[] { n });
	}

	private static void linear(Map<String, long[]> m, String prefix, int in, int out) {
		m.put(prefix + ".weight", new long[] { out, in });
		m.put(prefix + ".bias", new long[] { out });
	}

	private static void batchNorm(Map<String, long[]> m, String prefix, int n) {
		vector(m, prefix, n);
		m.put(prefix + ".running_mean", new long[] { n });
		m.put(prefix + ".running_var", new long[] { n });
	}
}
