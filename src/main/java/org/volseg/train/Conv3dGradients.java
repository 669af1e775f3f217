package org.volseg.train;

import java.util.Arrays;
import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv3d;
import org.tensorflow.op.nn.Conv3dBackpropFilter;
import org.tensorflow.op.nn.Conv3dBackpropInput;
import org.tensorflow.types.TInt32;

/**
 * Registers, once per JVM, the gradients that TensorFlow's C++ gradient registry lacks for the
 * ops VolSeg's networks use: {@code Conv3D} and {@code Conv3DBackpropInputV2}. After
 * {@link #register()}, {@code Graph.addGradients} and {@code Ops.gradients} differentiate through
 * UNETR and SegFormer3D graphs.
 *
 * <p>For {@code y = conv3d(x, w)} with upstream gradient {@code g}:
 * {@code dx = Conv3DBackpropInputV2(shape(x), w, g)} and
 * {@code dw = Conv3DBackpropFilterV2(x, shape(w), g)}. For
 * {@code y = Conv3DBackpropInputV2(sizes, w, d)} (a transposed convolution of {@code d}):
 * {@code dd = conv3d(g, w)}, {@code dw = Conv3DBackpropFilterV2(g, shape(w), d)}, and zeros for the
 * integer {@code sizes}. Strides, padding, data format and dilations are copied from the forward op.</p>
 *
 * <p>Thread-safe; registering twice is a no-op (TensorFlow refuses a second registration for an op
 * type, so the first one stays).</p>
 */
final class Conv3dGradients {

	private static boolean registered;

	private Conv3dGradients() {
	}

	/** Registers both gradients if not done yet in this JVM. */
	public static synchronized void register() {
		if (registered) return;
		TensorFlow.registerCustomGradient(Conv3d.Inputs.class, Conv3dGradients::conv3dGradient);
		TensorFlow.registerCustomGradient(Conv3dBackpropInput.Inputs.class, Conv3dGradients::backpropInputGradient);
		registered = true;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static List<Operand<?>> conv3dGradient(Ops tf, Conv3d.Inputs in, List<Output<?>> grads) {
		Operand g = grads.get(0);
		List<Long> strides = longs(in.strides);
		Operand<TInt32> inputShape = tf.shape(in.input);
		Operand<TInt32> filterShape = tf.shape(in.filter);
		Operand dx = tf.nn.conv3dBackpropInput(inputShape, in.filter, g, strides, in.padding,
				Conv3dBackpropInput.dataFormat(in.dataFormat), Conv3dBackpropInput.dilations(longs(in.dilations)));
		Operand dw = tf.nn.conv3dBackpropFilter(in.input, filterShape, g, strides, in.padding,
				Conv3dBackpropFilter.dataFormat(in.dataFormat), Conv3dBackpropFilter.dilations(longs(in.dilations)));
		return Arrays.asList(dx, dw);
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static List<Operand<?>> backpropInputGradient(Ops tf, Conv3dBackpropInput.Inputs in, List<Output<?>> grads) {
		Operand g = grads.get(0);
		List<Long> strides = longs(in.strides);
		Operand dOut = tf.nn.conv3d(g, in.filter, strides, in.padding, Conv3d.dataFormat(in.dataFormat),
				Conv3d.dilations(longs(in.dilations)));
		Operand<TInt32> filterShape = tf.shape(in.filter);
		Operand dw = tf.nn.conv3dBackpropFilter(g, filterShape, in.outBackprop, strides, in.padding,
				Conv3dBackpropFilter.dataFormat(in.dataFormat), Conv3dBackpropFilter.dilations(longs(in.dilations)));
		// input_sizes is an integer shape: TensorFlow Java needs an operand for every input, and a zero
		// gradient is what TensorFlow's own gradients return for shape arguments in effect.
		Operand<?> dSizes = tf.zerosLike(in.inputSizes);
		return Arrays.asList(dSizes, dw, dOut);
	}

	private static List<Long> longs(long[] values) {
		Long[] boxed = new Long[values.length];
		for (int i = 0; i < values.length; i++) boxed[i] = values[i];
		return Arrays.asList(boxed);
	}

}
