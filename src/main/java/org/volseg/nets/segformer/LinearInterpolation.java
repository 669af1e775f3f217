package org.volseg.nets.segformer;

/**
 * Source indices and weights of 1D linear interpolation with PyTorch's {@code align_corners=False}
 * semantics ({@code torch.nn.functional.interpolate(mode="linear"|"bilinear"|"trilinear")}).
 *
 * <p>For output index {@code i}: {@code src = max(scale * (i + 0.5) - 0.5, 0)} in float32, where
 * {@code scale} is {@code 1 / scale_factor} when the caller gave a scale factor and
 * {@code inSize / outSize} otherwise; {@code index0 = floor(src)},
 * {@code index1 = min(index0 + 1, inSize - 1)}, {@code weight1 = src - index0},
 * {@code weight0 = 1 - weight1}. Output value {@code i} is
 * {@code weight0 * x[index0] + weight1 * x[index1]}.</p>
 *
 * <p>Immutable; the arrays returned are copies.</p>
 */
public final class LinearInterpolation {

	private final int inSize;
	private final int[] index0;
	private final int[] index1;
	private final float[] weight0;
	private final float[] weight1;

	private LinearInterpolation(int inSize, int outSize, float scale) {
		if (inSize < 1 || outSize < 1) {
			throw new IllegalArgumentException("sizes must be positive, got in " + inSize + ", out " + outSize);
		}
		this.inSize = inSize;
		index0 = new int[outSize];
		index1 = new int[outSize];
		weight0 = new float[outSize];
		weight1 = new float[outSize];
		for (int i = 0; i < outSize; i++) {
			float src = scale * (i + 0.5f) - 0.5f;
			if (src < 0f) {
				src = 0f;
			}
			int i0 = (int) src;
			if (i0 > inSize - 1) {
				i0 = inSize - 1;
			}
			float lambda1 = src - i0;
			index0[i] = i0;
			index1[i] = i0 < inSize - 1 ? i0 + 1 : i0;
			weight1[i] = lambda1;
			weight0[i] = 1f - lambda1;
		}
	}

	/** Interpolation to a given output size ({@code interpolate(size=...)}): scale {@code inSize / outSize}. */
	public static LinearInterpolation toSize(int inSize, int outSize) {
		return new LinearInterpolation(inSize, outSize, (float) inSize / outSize);
	}

	/**
	 * Interpolation by a scale factor ({@code interpolate(scale_factor=f)}, {@code nn.Upsample}):
	 * output size {@code floor(inSize * f)}, scale {@code 1 / f}.
	 */
	public static LinearInterpolation byFactor(int inSize, double factor) {
		if (!(factor > 0)) {
			throw new IllegalArgumentException("scale factor must be positive, got " + factor);
		}
		int outSize = (int) Math.floor(inSize * factor);
		return new LinearInterpolation(inSize, outSize, (float) (1.0 / factor));
	}

	public int inSize() {
		return inSize;
	}

	public int outSize() {
		return index0.length;
	}

	/** True when the output equals the input (same size and every weight on its own index). */
	public boolean isIdentity() {
		if (outSize() != inSize) {
			return false;
		}
		for (int i = 0; i < index0.length; i++) {
			if (index0[i] != i || weight1[i] != 0f) {
				return false;
			}
		}
		return true;
	}

	public int[] index0() {
		return index0.clone();
	}

	public int[] index1() {
		return index1.clone();
	}

	public float[] weight0() {
		return weight0.clone();
	}

	public float[] weight1() {
		return weight1.clone();
	}
}
