package org.volseg.weights;

import java.util.Arrays;

/**
 * One tensor read from a checkpoint: its values converted to float32, dense and row-major (the
 * last axis varies fastest), whatever strides it had in the file. {@code type} is the element
 * type it was stored as. The array is not copied; callers must not modify it.
 *
 * @param type element type in the file
 * @param shape dimensions (empty for a scalar)
 * @param data {@code product(shape)} values, row-major
 */
public record StoredTensor(ElementType type, long[] shape, float[] data) {

	@Override
	public boolean equals(Object o) {
		return o instanceof StoredTensor && ((StoredTensor) o).type == type && Arrays.equals(((StoredTensor) o).shape, shape)
				&& Arrays.equals(((StoredTensor) o).data, data);
	}

	@Override
	public int hashCode() {
		return type.hashCode() * 31 + Arrays.hashCode(shape);
	}

	@Override
	public String toString() {
		return type.torchName() + Arrays.toString(shape);
	}
}
