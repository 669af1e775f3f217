package org.volseg.nets.blocks;

import java.util.Arrays;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/** Run-time shape arithmetic, so that graphs accept any batch and spatial size. */
public final class ShapeOps {

	private ShapeOps() {}

	/** {@code shape(x)[from:to]} as an int32 vector, evaluated when the graph runs. */
	public static Operand<TInt32> dims(Ops tf, Operand<? extends TType> x, int from, int to) {
		return tf.stridedSlice(tf.shape(x), Indices.slice(from, to));
	}

	/** {@code shape(x)[axis]} as an int32 scalar. */
	public static Operand<TInt32> dim(Ops tf, Operand<? extends TType> x, int axis) {
		return tf.stridedSlice(tf.shape(x), Indices.at(axis));
	}

	/** Concatenation of int32 vectors. */
	@SafeVarargs
	public static Operand<TInt32> concat(Ops tf, Operand<TInt32>... parts) {
		return tf.concat(Arrays.asList(parts), tf.constant(0));
	}

	/** A scalar as a one-element vector. */
	public static Operand<TInt32> vector(Ops tf, Operand<TInt32> scalar) {
		return tf.reshape(scalar, tf.constant(new int[] { 1 }));
	}
}
