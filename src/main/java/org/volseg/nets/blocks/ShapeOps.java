package org.volseg.nets.blocks;

import java.util.Arrays;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
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

	/**
	 * {@code x} reshaped to itself, so that its static shape is {@code shape} (-1 = unknown; the
	 * first axis is taken as the run-time batch): a reshape to constants when only the batch is
	 * unknown, else to the run-time sizes with the known ones as constants. Unlike
	 * {@code EnsureShape} it has a gradient.
	 */
	public static Operand<TFloat32> withStaticShape(Ops tf, Operand<TFloat32> x, long[] shape) {
		boolean known = true;
		for (int a = 1; a < shape.length; a++) known &= shape[a] >= 0;
		if (known) {
			long[] s = shape.clone();
			s[0] = -1;
			return tf.reshape(x, tf.constant(s));
		}
		java.util.List<Operand<TInt32>> parts = new java.util.ArrayList<>();
		parts.add(dims(tf, x, 0, 1));
		for (int a = 1; a < shape.length; a++) {
			parts.add(shape[a] >= 0 ? tf.constant(new int[] { (int) shape[a] }) : dims(tf, x, a, a + 1));
		}
		return tf.reshape(x, tf.concat(parts, tf.constant(0)));
	}
}
