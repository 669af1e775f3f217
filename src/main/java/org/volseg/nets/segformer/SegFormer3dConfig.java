package org.volseg.nets.segformer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.volseg.InvalidParameterException;
import org.volseg.nets.Kwargs;

/**
 * The keyword arguments of the SegFormer3D reference constructor ({@code SegFormer3D(...)} in the
 * reference code's {@code architectures/segformer3d.py}, Perera et al. 2024), with the same names
 * and defaults. Immutable; the getters return copies.
 *
 * <p>The four-element lists are per encoder stage (stage 1 works at 1/4 of the input resolution,
 * stage 4 at 1/32 with the default strides).</p>
 */
final class SegFormer3dConfig {

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
			throw bad("decoder_dropout", decoderDropout, "a number in [0, 1)");
		}
		this.decoderDropout = decoderDropout;
		for (int s = 0; s < STAGES; s++) {
			if (embedDims[s] % numHeads[s] != 0) {
				throw bad("embed_dims[" + s + "]", embedDims[s],
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
		@SuppressWarnings("unchecked")
		Kwargs k = new Kwargs(SegFormer3d.NAME, (Map<String, Object>) map);
		SegFormer3dConfig d = defaults();
		SegFormer3dConfig c = new SegFormer3dConfig(k.positive("in_channels", d.inChannels),
				stageList(k, "sr_ratios", d.srRatios), stageList(k, "embed_dims", d.embedDims),
				stageList(k, "patch_kernel_size", d.patchKernelSize), stageList(k, "patch_stride", d.patchStride),
				stageList(k, "patch_padding", d.patchPadding), stageList(k, "mlp_ratios", d.mlpRatios),
				stageList(k, "num_heads", d.numHeads), stageList(k, "depths", d.depths),
				k.positive("decoder_head_embedding_dim", d.decoderHeadEmbeddingDim),
				k.positive("num_classes", d.numClasses), k.number("decoder_dropout", d.decoderDropout));
		k.checkNoOthers();
		return c;
	}

	private static int[] stageList(Kwargs k, String key, int[] fallback) {
		int[] v = k.intList(key, fallback);
		if (v.length != STAGES) {
			throw k.invalid(key, Arrays.toString(v), "a list of " + STAGES + " integers, one per encoder stage");
		}
		return v;
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
			throw bad(key, value, "a positive integer");
		}
		return value;
	}

	private static int[] stages(String key, int[] values, int min) {
		if (values == null || values.length != STAGES) {
			throw bad(key, values == null ? null : Arrays.toString(values),
					"a list of " + STAGES + " integers, one per encoder stage");
		}
		for (int v : values) {
			if (v < min) {
				throw bad(key, Arrays.toString(values), "integers >= " + min);
			}
		}
		return values.clone();
	}

	private static InvalidParameterException bad(String key, Object value, String expectation) {
		return InvalidParameterException.of(SegFormer3d.NAME + " config." + key, value, expectation);
	}
}
