package org.volseg.nets.segformer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.volseg.InvalidParameterException;

/**
 * The keyword arguments of the SegFormer3D reference constructor ({@code SegFormer3D(...)} in the
 * reference code's {@code architectures/segformer3d.py}, Perera et al. 2024), with the same names
 * and defaults. Immutable; the getters return copies.
 *
 * <p>The four-element lists are per encoder stage (stage 1 works at 1/4 of the input resolution,
 * stage 4 at 1/32 with the default strides).</p>
 */
public final class SegFormer3dConfig {

	/** The keyword arguments, in the reference constructor's order. */
	public static final List<String> KEYS = List.of("in_channels", "sr_ratios", "embed_dims", "patch_kernel_size",
			"patch_stride", "patch_padding", "mlp_ratios", "num_heads", "depths", "decoder_head_embedding_dim",
			"num_classes", "decoder_dropout");

	private static final int STAGES = 4;

	private final int inChannels;
	private final int[] srRatios;
	private final int[] embedDims;
	private final int[] patchKernelSize;
	private final int[] patchStride;
	private final int[] patchPadding;
	private final int[] mlpRatios;
	private final int[] numHeads;
	private final int[] depths;
	private final int decoderHeadEmbeddingDim;
	private final int numClasses;
	private final double decoderDropout;

	/**
	 * The reference constructor's defaults, which are the BraTS configuration of the paper: 4 input
	 * channels, embed dims 32/64/160/256, depths 2/2/2/2, heads 1/2/5/8, sr ratios 4/2/1/1, mlp ratios
	 * 4, patch kernels 7/3/3/3, strides 4/2/2/2, paddings 3/1/1/1, decoder embedding 256, 3 classes.
	 */
	public static SegFormer3dConfig defaults() {
		return new SegFormer3dConfig(4, new int[] { 4, 2, 1, 1 }, new int[] { 32, 64, 160, 256 },
				new int[] { 7, 3, 3, 3 }, new int[] { 4, 2, 2, 2 }, new int[] { 3, 1, 1, 1 }, new int[] { 4, 4, 4, 4 },
				new int[] { 1, 2, 5, 8 }, new int[] { 2, 2, 2, 2 }, 256, 3, 0.0);
	}

	public SegFormer3dConfig(int inChannels, int[] srRatios, int[] embedDims, int[] patchKernelSize, int[] patchStride,
			int[] patchPadding, int[] mlpRatios, int[] numHeads, int[] depths, int decoderHeadEmbeddingDim,
			int numClasses, double decoderDropout) {
		this.inChannels = positive("in_channels", inChannels);
		this.srRatios = stages("sr_ratios", srRatios, 1);
		this.embedDims = stages("embed_dims", embedDims, 1);
		this.patchKernelSize = stages("patch_kernel_size", patchKernelSize, 1);
		this.patchStride = stages("patch_stride", patchStride, 1);
		this.patchPadding = stages("patch_padding", patchPadding, 0);
		this.mlpRatios = stages("mlp_ratios", mlpRatios, 1);
		this.numHeads = stages("num_heads", numHeads, 1);
		this.depths = stages("depths", depths, 0);
		this.decoderHeadEmbeddingDim = positive("decoder_head_embedding_dim", decoderHeadEmbeddingDim);
		this.numClasses = positive("num_classes", numClasses);
		if (!(decoderDropout >= 0 && decoderDropout < 1)) {
			throw InvalidParameterException.of("decoder_dropout", decoderDropout, "a number in [0, 1)");
		}
		this.decoderDropout = decoderDropout;
		for (int s = 0; s < STAGES; s++) {
			if (embedDims[s] % numHeads[s] != 0) {
				throw InvalidParameterException.of("embed_dims[" + s + "]", embedDims[s],
						"a multiple of num_heads[" + s + "] = " + numHeads[s]);
			}
		}
	}

	/**
	 * Reads the keyword arguments from a parsed JSON object (as found in a safetensors
	 * {@code __metadata__.config} or a {@code cfg.json}). Missing keys take the reference defaults.
	 *
	 * @throws InvalidParameterException listing every unknown key, or naming a key with a bad value
	 */
	public static SegFormer3dConfig fromMap(Map<String, ?> map) {
		Set<String> unknown = new TreeSet<>(map.keySet());
		unknown.removeAll(KEYS);
		if (!unknown.isEmpty()) {
			throw new InvalidParameterException("SegFormer3D config: unknown keys " + unknown
					+ "; the reference constructor takes " + KEYS);
		}
		SegFormer3dConfig d = defaults();
		return new SegFormer3dConfig(intValue(map, "in_channels", d.inChannels),
				intList(map, "sr_ratios", d.srRatios), intList(map, "embed_dims", d.embedDims),
				intList(map, "patch_kernel_size", d.patchKernelSize), intList(map, "patch_stride", d.patchStride),
				intList(map, "patch_padding", d.patchPadding), intList(map, "mlp_ratios", d.mlpRatios),
				intList(map, "num_heads", d.numHeads), intList(map, "depths", d.depths),
				intValue(map, "decoder_head_embedding_dim", d.decoderHeadEmbeddingDim),
				intValue(map, "num_classes", d.numClasses), doubleValue(map, "decoder_dropout", d.decoderDropout));
	}

	/** The keyword arguments as a JSON-ready map (Integer, List&lt;Integer&gt;, Double values), in {@link #KEYS} order. */
	public Map<String, Object> toMap() {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("in_channels", inChannels);
		m.put("sr_ratios", list(srRatios));
		m.put("embed_dims", list(embedDims));
		m.put("patch_kernel_size", list(patchKernelSize));
		m.put("patch_stride", list(patchStride));
		m.put("patch_padding", list(patchPadding));
		m.put("mlp_ratios", list(mlpRatios));
		m.put("num_heads", list(numHeads));
		m.put("depths", list(depths));
		m.put("decoder_head_embedding_dim", decoderHeadEmbeddingDim);
		m.put("num_classes", numClasses);
		m.put("decoder_dropout", decoderDropout);
		return m;
	}

	public int inChannels() {
		return inChannels;
	}

	public int[] srRatios() {
		return srRatios.clone();
	}

	public int[] embedDims() {
		return embedDims.clone();
	}

	public int[] patchKernelSize() {
		return patchKernelSize.clone();
	}

	public int[] patchStride() {
		return patchStride.clone();
	}

	public int[] patchPadding() {
		return patchPadding.clone();
	}

	public int[] mlpRatios() {
		return mlpRatios.clone();
	}

	public int[] numHeads() {
		return numHeads.clone();
	}

	public int[] depths() {
		return depths.clone();
	}

	public int decoderHeadEmbeddingDim() {
		return decoderHeadEmbeddingDim;
	}

	public int numClasses() {
		return numClasses;
	}

	/** Dropout of the fused decoder features; only active in training, ignored at inference. */
	public double decoderDropout() {
		return decoderDropout;
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof SegFormer3dConfig && toMap().equals(((SegFormer3dConfig) o).toMap());
	}

	@Override
	public int hashCode() {
		return toMap().hashCode();
	}

	@Override
	public String toString() {
		return "SegFormer3dConfig" + toMap();
	}

	private static List<Integer> list(int[] values) {
		List<Integer> l = new ArrayList<>();
		for (int v : values) {
			l.add(v);
		}
		return l;
	}

	private static int positive(String key, int value) {
		if (value < 1) {
			throw InvalidParameterException.of(key, value, "a positive integer");
		}
		return value;
	}

	private static int[] stages(String key, int[] values, int min) {
		if (values == null || values.length != STAGES) {
			throw InvalidParameterException.of(key, values == null ? null : Arrays.toString(values),
					"a list of " + STAGES + " integers, one per encoder stage");
		}
		for (int v : values) {
			if (v < min) {
				throw InvalidParameterException.of(key, Arrays.toString(values), "integers >= " + min);
			}
		}
		return values.clone();
	}

	private static int intValue(Map<String, ?> map, String key, int fallback) {
		Object v = map.get(key);
		if (v == null) {
			return fallback;
		}
		return toInt(key, v);
	}

	private static int toInt(String key, Object v) {
		if (v instanceof Number) {
			double d = ((Number) v).doubleValue();
			if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
				return (int) d;
			}
		}
		throw InvalidParameterException.of(key, v, "an integer");
	}

	private static int[] intList(Map<String, ?> map, String key, int[] fallback) {
		Object v = map.get(key);
		if (v == null) {
			return fallback;
		}
		if (!(v instanceof List)) {
			throw InvalidParameterException.of(key, v, "a list of " + STAGES + " integers");
		}
		List<?> l = (List<?>) v;
		int[] out = new int[l.size()];
		for (int i = 0; i < out.length; i++) {
			out[i] = toInt(key + "[" + i + "]", l.get(i));
		}
		return out;
	}

	private static double doubleValue(Map<String, ?> map, String key, double fallback) {
		Object v = map.get(key);
		if (v == null) {
			return fallback;
		}
		if (v instanceof Number) {
			return ((Number) v).doubleValue();
		}
		throw InvalidParameterException.of(key, v, "a number");
	}
}
