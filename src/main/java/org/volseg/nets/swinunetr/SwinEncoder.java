package org.volseg.nets.swinunetr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.op.core.Split;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.volseg.util.Json;
import org.volseg.nets.FloatTensor;
import org.volseg.nets.Init;
import org.volseg.nets.Layers;
import org.volseg.nets.WeightImportException;
import org.volseg.nets.blocks.MonaiNorm;
import org.volseg.nets.blocks.UnetrBlocks;

/**
 * MONAI's 3-D Swin Transformer encoder ({@code SwinUNETR.swinViT}) in eval mode: patch embedding,
 * four stages of (shifted-)window attention blocks each ending in a patch merging, and the
 * hidden states SwinUNETR's decoder takes. Keys under {@code swinViT.}. Channels-last throughout
 * ({@code [batch, d0, d1, d2, channel]}, MONAI's {@code b d h w c} inside the stages).
 *
 * <p>Point-wise layers commute with padding, rolling and window partitioning, so the qkv
 * projection runs before them (on the unpadded tokens, its bias added after the zero padding,
 * as a linear layer maps a zero token to its bias) and the output projection after them (on the
 * cropped tokens): the same values as MONAI's order with fewer multiply-adds.</p>
 *
 * <p>Bound to one graph build; not thread-safe.</p>
 */
final class SwinEncoder {

	private static final double EPS = 1e-5;
	private static final float MASKED = -100f;

	private final Layers l;
	private final SwinUnetrConfig c;

	SwinEncoder(Layers layers, SwinUnetrConfig config) {
		this.l = layers;
		this.c = config;
	}

	/**
	 * The five hidden states MONAI's {@code SwinTransformer.forward(x, normalize)} returns: the
	 * patch embedding and the output of each stage (after its patch merging), each normalised
	 * over channels without affine parameters when {@code normalize}.
	 */
	List<Operand<TFloat32>> hiddenStates(Operand<TFloat32> input) {
		int p = c.patchSize;
		int[] patch = { p, p, p };
		Operand<TFloat32> x = l.conv3d("swinViT.patch_embed.proj", input, c.featureSize, patch, patch, new int[3], true);
		if (c.patchNorm) x = l.layerNorm("swinViT.patch_embed.norm", x, EPS);
		List<Operand<TFloat32>> hidden = new ArrayList<>();
		hidden.add(projOut(x));
		for (int i = 0; i < SwinUnetrConfig.STAGES; i++) {
			String stage = "swinViT.layers" + (i + 1);
			if (c.useV2) {
				x = new UnetrBlocks(l, MonaiNorm.instance()).unetrBasicBlock(stage + "c.0", x, c.stageChannels(i), 3, 1, true);
			}
			x = stage(stage + ".0", x, c.depths[i], c.numHeads[i]);
			hidden.add(projOut(x));
		}
		return hidden;
	}

	/** MONAI {@code proj_out}: {@code F.layer_norm} over channels (no affine) if {@code normalize}. */
	private Operand<TFloat32> projOut(Operand<TFloat32> x) {
		return c.normalize ? l.normalize(x, new int[] { 4 }, EPS) : x;
	}

	/** {@code BasicLayer}: blocks with alternating shifts, then {@code PatchMerging}. */
	private Operand<TFloat32> stage(String prefix, Operand<TFloat32> x, int depth, int heads) {
		long[] xs = Layers.staticShape(x);
		long[] size = { xs[1], xs[2], xs[3] };
		int[] halfWindow = { c.windowSize[0] / 2, c.windowSize[1] / 2, c.windowSize[2] / 2 };
		int[][] ws = SwinWindows.clamp(size, c.windowSize, halfWindow);
		int[] window = ws[0];
		int[] shift = ws[1];
		int[] padded = new int[3];
		for (int a = 0; a < 3; a++) padded[a] = (int) ((size[a] + window[a] - 1) / window[a] * window[a]);
		boolean shifted = shift[0] > 0 || shift[1] > 0 || shift[2] > 0;
		Operand<TFloat32> mask = shifted && depth > 1 ? mask(SwinWindows.regionLabels(padded, window, shift)) : null;
		for (int b = 0; b < depth; b++) {
			boolean odd = b % 2 == 1;
			x = block(prefix + ".blocks." + b, x, heads, window, odd ? shift : new int[3], odd ? mask : null, padded);
		}
		return patchMerging(prefix + ".downsample", x);
	}

	/** The mask {@code [windows, 1, n, n]}: 0 within a region, -100 across regions (made at run time from the labels). */
	private Operand<TFloat32> mask(int[][] labels) {
		int windows = labels.length;
		int n = labels[0].length;
		int[] flat = new int[windows * n];
		for (int w = 0; w < windows; w++) System.arraycopy(labels[w], 0, flat, w * n, n);
		Operand<TInt32> lab = l.tf().constant(flat);
		Operand<TInt32> rows = l.tf().reshape(lab, l.tf().constant(new long[] { windows, 1, n, 1 }));
		Operand<TInt32> cols = l.tf().reshape(lab, l.tf().constant(new long[] { windows, 1, 1, n }));
		Operand<TFloat32> differ = l.tf().dtypes.cast(l.tf().math.notEqual(rows, cols), TFloat32.class);
		return l.tf().math.mul(differ, l.tf().constant(MASKED));
	}

	/** {@code SwinTransformerBlock}: x + attention(norm1(x)), then x + mlp(norm2(x)). */
	private Operand<TFloat32> block(String prefix, Operand<TFloat32> x, int heads, int[] window, int[] shift,
			Operand<TFloat32> mask, int[] padded) {
		long[] xs = Layers.staticShape(x);
		int ch = (int) xs[4];
		Operand<TFloat32> h = windowAttention(prefix + ".attn", l.layerNorm(prefix + ".norm1", x, EPS), heads, window, shift,
				mask, padded);
		x = l.tf().math.add(x, h);
		Operand<TFloat32> m = l.layerNorm(prefix + ".norm2", x, EPS);
		m = l.gelu(l.linear(prefix + ".mlp.linear1", m, (int) (ch * c.mlpRatio), true));
		m = l.linear(prefix + ".mlp.linear2", m, ch, true);
		return l.tf().math.add(x, m);
	}

	/**
	 * MONAI's {@code forward_part1} after {@code norm1}: zero padding to whole windows, cyclic shift
	 * by -shift, window attention with the relative position bias (and the mask), reverse shift,
	 * crop.
	 */
	private Operand<TFloat32> windowAttention(String prefix, Operand<TFloat32> x, int heads, int[] window, int[] shift,
			Operand<TFloat32> mask, int[] padded) {
		long[] xs = Layers.staticShape(x);
		int ch = (int) xs[4];
		int hd = ch / heads;
		int n = window[0] * window[1] * window[2];
		int[] nw = { padded[0] / window[0], padded[1] / window[1], padded[2] / window[2] };
		int windows = nw[0] * nw[1] * nw[2];
		boolean pad = padded[0] != xs[1] || padded[1] != xs[2] || padded[2] != xs[3];
		boolean shifted = shift[0] > 0 || shift[1] > 0 || shift[2] > 0;

		Operand<TFloat32> qkv = l.linear(prefix + ".qkv", x, 3 * ch, false);
		if (pad) {
			int[][] pads = { { 0, 0 }, { 0, padded[0] - (int) xs[1] }, { 0, padded[1] - (int) xs[2] }, { 0, padded[2] - (int) xs[3] },
					{ 0, 0 } };
			qkv = l.tf().pad(qkv, l.tf().constant(pads), l.tf().constant(0f));
		}
		if (c.qkvBias) qkv = l.tf().nn.biasAdd(qkv, l.parameter(prefix + ".qkv.bias", new long[] { 3L * ch }, Init.fanIn(ch)));
		if (shifted) qkv = roll(qkv, -shift[0], -shift[1], -shift[2]);
		// window_partition: [B, D, H, W, 3C] -> [B * windows, n, 3, heads, hd] -> q, k, v [B * windows, heads, n, hd]
		Operand<TFloat32> parts = l.reshape(qkv, -1, nw[0], window[0], nw[1], window[1], nw[2], window[2], 3L * ch);
		parts = l.reshape(l.transpose(parts, 0, 1, 3, 5, 2, 4, 6, 7), -1, n, 3, heads, hd);
		Split<TFloat32> split = l.tf().split(l.tf().constant(0), l.transpose(parts, 2, 0, 3, 1, 4), 3L);
		Operand<TFloat32> q = l.reshape(split.output().get(0), -1, heads, n, hd);
		Operand<TFloat32> k = l.reshape(split.output().get(1), -1, heads, n, hd);
		Operand<TFloat32> v = l.reshape(split.output().get(2), -1, heads, n, hd);

		q = l.tf().math.mul(q, l.tf().constant((float) Math.pow(hd, -0.5)));
		Operand<TFloat32> logits = l.tf().linalg.einsum(Arrays.asList(q, k), "bhnd,bhmd->bhnm");
		logits = l.tf().math.add(logits, relativePositionBias(prefix, heads, window, n));
		if (mask != null) {
			logits = l.reshape(l.tf().math.add(l.reshape(logits, -1, windows, heads, n, n), mask), -1, heads, n, n);
		}
		Operand<TFloat32> att = l.tf().linalg.einsum(Arrays.asList(l.tf().nn.softmax(logits), v), "bhnm,bhme->bhne");
		l.countMultiplyAdds((double) windows * heads * n * n * 2 * hd);

		// window_reverse: [B * windows, heads, n, hd] -> [B, D, H, W, C]
		Operand<TFloat32> y = l.reshape(l.transpose(att, 0, 2, 1, 3), -1, nw[0], nw[1], nw[2], window[0], window[1], window[2], ch);
		y = l.reshape(l.transpose(y, 0, 1, 4, 2, 5, 3, 6, 7), -1, padded[0], padded[1], padded[2], ch);
		if (shifted) y = roll(y, shift[0], shift[1], shift[2]);
		if (pad) {
			y = l.tf().slice(y, l.tf().constant(new long[] { 0, 0, 0, 0, 0 }), l.tf().constant(new long[] { -1, xs[1], xs[2], xs[3], ch }));
		}
		return l.linear(prefix + ".proj", y, ch, true);
	}

	/**
	 * The bias {@code table[index[:n, :n]]} as {@code [heads, n, n]}. The checkpoint's
	 * {@code relative_position_index} buffer is taken and must equal the index of the configured
	 * window (an all-zero tensor - random weights, or a key the parameter source reports missing
	 * - is not compared).
	 */
	private Operand<TFloat32> relativePositionBias(String prefix, int heads, int[] window, int n) {
		int full = c.windowSize[0] * c.windowSize[1] * c.windowSize[2];
		long tableRows = (2L * c.windowSize[0] - 1) * (2L * c.windowSize[1] - 1) * (2L * c.windowSize[2] - 1);
		Operand<TFloat32> table = l.parameter(prefix + ".relative_position_bias_table", new long[] { tableRows, heads },
				Init.normal(0.02));
		int[] index = SwinWindows.relativePositionIndex(c.windowSize);
		String indexKey = prefix + ".relative_position_index";
		FloatTensor given = l.parameters().take(indexKey, new long[] { full, full }, Init.zeros());
		checkIndex(indexKey, given, index);
		int[] used = SwinWindows.topLeft(index, full, n);
		Operand<TFloat32> bias = l.tf().gather(table, l.tf().constant(used), l.tf().constant(0));
		return l.transpose(l.reshape(bias, n, n, heads), 2, 0, 1);
	}

	private void checkIndex(String key, FloatTensor given, int[] index) {
		float[] g = given.data();
		boolean allZero = true;
		for (float v : g) allZero &= v == 0;
		if (allZero) return;
		for (int i = 0; i < index.length; i++) {
			if (g[i] != index[i]) {
				int full = (int) given.dim(0);
				throw new WeightImportException("the checkpoint", SwinUnetr.NAME + " " + Json.writeCompact(c.resolved), List.of(),
						List.of(key + ": expected the index MONAI computes for window_size " + Arrays.toString(c.windowSize)
								+ ", found other values (at [" + i / full + ", " + i % full + "]: " + g[i] + " instead of " + index[i] + ")"),
						List.of(), "The checkpoint was made with another window_size: configure that one.");
			}
		}
	}

	/** {@code torch.roll} along d0, d1, d2. */
	private Operand<TFloat32> roll(Operand<TFloat32> x, int s0, int s1, int s2) {
		return l.tf().roll(x, l.tf().constant(new int[] { s0, s1, s2 }), l.tf().constant(new int[] { 1, 2, 3 }));
	}

	/**
	 * {@code PatchMerging} / {@code PatchMergingV2}: the eight sub-grids of each 2x2x2 patch
	 * concatenated along channels in the configured order, LayerNorm {@code prefix.norm}, linear
	 * {@code prefix.reduction} (no bias) to twice the channels. Sizes are even (the input size is a
	 * multiple of 32), so MONAI's odd-size padding never applies.
	 */
	private Operand<TFloat32> patchMerging(String prefix, Operand<TFloat32> x) {
		long[] xs = Layers.staticShape(x);
		long d = xs[1] / 2;
		long h = xs[2] / 2;
		long w = xs[3] / 2;
		long ch = xs[4];
		Operand<TFloat32> t = l.reshape(x, -1, d, 2, h, 2, w, 2, ch);
		t = l.transpose(t, 0, 1, 3, 5, 2, 4, 6, 7);
		if (!c.merging.isProduct()) {
			t = l.tf().gather(l.reshape(t, -1, d, h, w, 8, ch), l.tf().constant(c.merging.subGrids()), l.tf().constant(4));
		}
		t = l.reshape(t, -1, d, h, w, 8 * ch);
		t = l.layerNorm(prefix + ".norm", t, EPS);
		return l.linear(prefix + ".reduction", t, (int) (2 * ch), false);
	}
}
