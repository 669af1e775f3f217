package org.volseg.nets;

import java.util.Arrays;

/**
 * A dense float32 tensor in row-major order (the last axis varies fastest), as PyTorch, NumPy
 * and safetensors store it. Immutable by convention: the constructor does not copy, and callers
 * must not modify {@link #data()} after handing it over.
 */
public final class FloatTensor {

	private final long[] shape;
	private final float[] data;

	/**
	 * @param shape dimensions, each at least 0; an empty shape is a scalar
	 * @param data {@code product(shape)} values in row-major order, kept (not copied)
	 * @throws IllegalArgumentException if the sizes disagree
	 */
	public FloatTensor(long[] shape, float[] data) {
		this.shape = shape.clone();
		this.data = data;
		if (elementCount(shape) != data.length) {
			throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds "
					+ elementCount(shape) + " values, data has " + data.length);
		}
	}

	/** A tensor of zeros. */
	public static FloatTensor zeros(long... shape) {
		return new FloatTensor(shape, new float[Math.toIntExact(elementCount(shape))]);
	}

	/** Number of elements of a shape (1 for a scalar). */
	public static long elementCount(long[] shape) {
		long n = 1;
		for (long d : shape) {
			if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
			n = Math.multiplyExact(n, d);
		}
		return n;
	}

	/** The dimensions (a copy). */
	public long[] shape() {
		return shape.clone();
	}

	/** Dimension {@code axis}. */
	public long dim(int axis) {
		return shape[axis];
	}

	/** Number of axes. */
	public int rank() {
		return shape.length;
	}

	/** The values, row-major; not a copy. */
	public float[] data() {
		return data;
	}

	/** True if this tensor has exactly the given shape. */
	public boolean hasShape(long... expected) {
		return Arrays.equals(shape, expected);
	}

	/**
	 * The same values with axes reordered: axis {@code i} of the result is axis {@code axes[i]} of
	 * this tensor (NumPy's {@code transpose(axes)}, PyTorch's {@code permute}).
	 */
	public FloatTensor permute(int... axes) {
		int rank = shape.length;
		if (axes.length != rank) throw new IllegalArgumentException("permutation " + Arrays.toString(axes) + " for rank " + rank);
		boolean[] seen = new boolean[rank];
		long[] newShape = new long[rank];
		for (int i = 0; i < rank; i++) {
			if (axes[i] < 0 || axes[i] >= rank || seen[axes[i]]) throw new IllegalArgumentException("not a permutation: " + Arrays.toString(axes));
			seen[axes[i]] = true;
			newShape[i] = shape[axes[i]];
		}
		long[] srcStrides = strides(shape);
		long[] strideOfNewAxis = new long[rank];
		for (int i = 0; i < rank; i++) strideOfNewAxis[i] = srcStrides[axes[i]];
		float[] out = new float[data.length];
		int[] index = new int[rank];
		long src = 0;
		for (int o = 0; o < out.length; o++) {
			out[o] = data[(int) src];
			for (int a = rank - 1; a >= 0; a--) {
				index[a]++;
				src += strideOfNewAxis[a];
				if (index[a] < newShape[a]) break;
				src -= strideOfNewAxis[a] * newShape[a];
				index[a] = 0;
			}
		}
		return new FloatTensor(newShape, out);
	}

	/** The same values with another shape of the same element count. */
	public FloatTensor reshape(long... newShape) {
		return new FloatTensor(newShape, data);
	}

	/** Largest absolute value (0 for an empty tensor). */
	public float maxAbs() {
		float m = 0;
		for (float v : data) m = Math.max(m, Math.abs(v));
		return m;
	}

	/** Row-major strides (in elements) of a shape. */
	public static long[] strides(long[] shape) {
		long[] s = new long[shape.length];
		long acc = 1;
		for (int i = shape.length - 1; i >= 0; i--) {
			s[i] = acc;
			acc *= shape[i];
		}
		return s;
	}

	@Override
	public String toString() {
		return "FloatTensor" + Arrays.toString(shape);
	}
}
