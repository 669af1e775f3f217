package org.volseg.engine;

import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Transposes float tensors in native code (a one-op TensorFlow graph), for models whose axis order
 * is not VolSeg's. Owns its graph and session; not thread-safe.
 */
final class Transposer implements AutoCloseable {

	private final Graph graph;
	private final Session session;
	private final Placeholder<TFloat32> input;
	private final org.tensorflow.Operand<TFloat32> output;

	Transposer(int[] permutation) {
		graph = new Graph();
		try {
			Ops tf = Ops.create(graph);
			input = tf.placeholder(TFloat32.class);
			output = tf.linalg.transpose(input, tf.constant(permutation));
			session = new Session(graph);
		} catch (RuntimeException e) {
			graph.close();
			throw e;
		}
	}

	/**
	 * Runs the transpose; the transposed tensor is {@code result.get(0)}. The caller closes the
	 * returned result (and still owns {@code t}).
	 */
	Result run(Tensor t) {
		return session.runner().feed(input, t).fetch(output).run();
	}

	@Override
	public void close() {
		try {
			session.close();
		} finally {
			graph.close();
		}
	}
}
