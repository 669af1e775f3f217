package org.volseg.nets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.BiFunction;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * For training later: TensorFlow has C++ gradients for every op these layers emit (Conv3D is the
 * known exception: a gradient must be registered from Java). A layer rewritten onto an op
 * without a gradient fails here.
 */
class LayersGradientTest {

	@ParameterizedTest
	@ValueSource(strings = { "instanceNorm", "layerNorm", "batchNorm", "attention", "linear", "gelu", "leakyRelu", "convTranspose" })
	void layerHasGradients(String layer) {
		BiFunction<Layers, Operand<TFloat32>, Operand<TFloat32>> f;
		switch (layer) {
			case "instanceNorm": f = (l, x) -> l.instanceNorm3d("n", x, true, 1e-5); break;
			case "layerNorm": f = (l, x) -> l.layerNorm("n", x, 1e-5); break;
			case "batchNorm": f = (l, x) -> l.batchNorm("n", x, 1e-5); break;
			case "attention": f = (l, x) -> {
				Operand<TFloat32> q = l.reshape(x, -1, 1, 64, 3);
				return l.attention(q, q, q, 1);
			}; break;
			case "linear": f = (l, x) -> l.linear("n", x, 5, true); break;
			case "gelu": f = (l, x) -> l.gelu(x); break;
			case "leakyRelu": f = (l, x) -> l.leakyRelu(x, 0.01); break;
			default: f = (l, x) -> l.convTranspose3d("n", x, 2, new int[] { 2, 2, 2 }, new int[] { 2, 2, 2 }, new int[3], new int[3], true);
		}
		try (Graph g = new Graph()) {
			Ops tf = Ops.create(g);
			Layers l = new Layers(tf, new RandomParameters(1), Layers.WeightStorage.VARIABLES);
			Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4, 4, 4, 3)));
			Operand<TFloat32> y = f.apply(l, x);
			int rank = Layers.staticShape(y).length;
			int[] axes = new int[rank];
			for (int i = 0; i < rank; i++) axes[i] = i;
			Operand<TFloat32> loss = tf.sum(y, tf.constant(axes));
			Output<?>[] grads = g.addGradients(loss.asOutput(), new Output<?>[] { x.asOutput() });
			assertEquals(1, grads.length);
		}
	}
}
