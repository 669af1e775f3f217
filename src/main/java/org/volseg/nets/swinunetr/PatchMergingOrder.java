package org.volseg.nets.swinunetr;

import java.util.Locale;

/**
 * The order in which a 3-D patch-merging layer concatenates the eight sub-grids
 * {@code x[:, i::2, j::2, k::2, :]} of each 2x2x2 patch (offsets i, j, k along d0, d1, d2)
 * before its LayerNorm and linear reduction. The weights of a trained network only fit the
 * order it was trained with.
 */
enum PatchMergingOrder {

	/**
	 * MONAI &lt;= 1.4 {@code PatchMerging} ({@code downsample="merging"}): (0,0,0) (1,0,0) (0,1,0)
	 * (0,0,1) (1,0,1) (0,1,0) (0,0,1) (1,1,1): (0,1,0) and (0,0,1) twice, (1,1,0) and (0,1,1) never.
	 */
	MONAI14("monai14", 0b000, 0b100, 0b010, 0b001, 0b101, 0b010, 0b001, 0b111),

	/**
	 * MONAI &gt;= 1.5.0 {@code PatchMerging} ({@code downsample="merging"}): (0,0,0) (1,0,0) (0,1,0)
	 * (0,0,1) (1,1,0) (1,0,1) (0,1,1) (1,1,1).
	 */
	MONAI15("monai15", 0b000, 0b100, 0b010, 0b001, 0b110, 0b101, 0b011, 0b111),

	/** {@code PatchMergingV2} ({@code downsample="mergingv2"}, every MONAI version): {@code itertools.product} order. */
	PRODUCT("product", 0, 1, 2, 3, 4, 5, 6, 7);

	private final String key;
	private final int[] subGrids;

	PatchMergingOrder(String key, int... subGrids) {
		this.key = key;
		this.subGrids = subGrids;
	}

	/** The configuration value ({@code patch_merging_order}). */
	String key() {
		return key;
	}

	/** The sub-grids in concatenation order, each as {@code 4 i + 2 j + k}. */
	int[] subGrids() {
		return subGrids.clone();
	}

	/** Whether the order is {@code 4 i + 2 j + k} = 0..7, a plain reshape of the 2x2x2 patch. */
	boolean isProduct() {
		for (int i = 0; i < 8; i++) if (subGrids[i] != i) return false;
		return true;
	}

	static PatchMergingOrder of(String key) {
		for (PatchMergingOrder o : values()) if (o.key.equals(key.toLowerCase(Locale.ROOT))) return o;
		throw new IllegalArgumentException(key);
	}
}
