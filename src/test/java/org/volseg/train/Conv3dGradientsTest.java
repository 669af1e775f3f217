package org.volseg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/**
 * The Java-registered gradients of Conv3D and Conv3DBackpropInputV2 against central finite
 * differences in float64. The loss {@code sum(op(a, b) * r)} with a fixed random {@code r} is
 * linear in each argument, so central differences are exact up to rounding and the relative error
 * bound 1e-3 of the acceptance criteria is met with a wide margin when the gradient is right; a
 * transposed or mis-strided gradient misses it by orders of magnitude.
 */
class Conv3dGradientsTest {

	@BeforeAll
	static void register() {
		Conv3dGradients.register();
	}

	@Test
	void conv3dSameStride1() {
		checkConv3d(new long[] { 2, 5, 4, 3, 2 }, new long[] { 3, 3, 3, 2, 3 }, List.of(1L, 1L, 1L, 1L, 1L), "SAME");
	}

	@Test
	void conv3dValidStride2() {
		checkConv3d(new long[] { 1, 7, 6, 5, 2 }, new long[] { 3, 2, 3, 2, 2 }, List.of(1L, 2L, 2L, 1L, 1L), "VALID");
	}

	@Test
	void conv3dBackpropInputStride2() {
		// a transposed convolution: [1, 3, 3, 2, 2] -> [1, 7, 7, 5, 3] with a 3x3x3 kernel, stride 2
		long[] outSizes = { 1, 7, 7, 5, 3 };
		long[] filter = { 3, 3, 3, 3, 2 };
		long[] d = { 1, 3, 3, 2, 2 };
		List<Long> strides = List.of(1L, 2L, 2L, 2L, 1L);
		check(filter, d, outSizes, (tf, ab) -> tf.nn.conv3dBackpropInput(tf.constant(toInts(outSizes)), ab[0], ab[1], strides, "VALID"));
	}

	@Test
	void conv3dBackpropInputSameStride1() {
		long[] outSizes = { 2, 4, 3, 3, 2 };
		long[] filter = { 3, 3, 1, 2, 3 };
		long[] d = { 2, 4, 3, 3, 3 };
		List<Long> strides = List.of(1L, 1L, 1L, 1L, 1L);
		check(filter, d, outSizes, (tf, ab) -> tf.nn.conv3dBackpropInput(tf.constant(toInts(outSizes)), ab[0], ab[1], strides, "SAME"));
	}

	@Test
	void registeringTwiceIsHarmless() {
		Conv3dGradients.register();
		conv3dSameStride1();
	}

	private static void checkConv3d(long[] x, long[] w, List<Long> strides, String padding) {
		// output shape from a forward run
		long[] outShape;
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			Operand<TFloat64> y = tf.nn.conv3d(tf.zeros(tf.constant(x), TFloat64.class), tf.zeros(tf.constant(w), TFloat64.class), strides, padding);
			try (Result r = s.runner().fetch(y).run()) {
				outShape = r.get(0).shape().asArray();
			}
		}
		check(x, w, outShape, (tf, ab) -> tf.nn.conv3d(ab[0], ab[1], strides, padding));
	}

	private static int[] toInts(long[] v) {
		int[] r = new int[v.length];
		for (int i = 0; i < v.length; i++) r[i] = (int) v[i];
		return r;
	}

	/**
	 * Compares d loss / d a and d loss / d b, loss = sum(op(a, b) * r), with central differences.
	 */
	private static void check(long[] aShape, long[] bShape, long[] outShape, BiFunction<Ops, Operand<TFloat64>[], Operand<TFloat64>> op) {
		Random random = new Random(42);
		double[] a = randoms(random, aShape);
		double[] b = randoms(random, bShape);
		double[] r = randoms(random, outShape);
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			Placeholder<TFloat64> pa = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(aShape)));
			Placeholder<TFloat64> pb = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(bShape)));
			@SuppressWarnings("unchecked")
			Operand<TFloat64>[] ab = new Operand[] { pa, pb };
			Operand<TFloat64> y = op.apply(tf, ab);
			assertEquals(Arrays.toString(outShape), Arrays.toString(y.shape().asArray()), "output shape");
			Operand<TFloat64> loss = tf.reduceSum(tf.math.mul(y, tf.constant(Shape.of(outShape), DataBuffers.of(r, true, false))),
					tf.constant(new int[] { 0, 1, 2, 3, 4 }));
			List<Output<?>> grads = tf.gradients(loss, List.of(pa, pb)).dy();
			double[][] analytic = new double[2][];
			try (TFloat64 ta = tensor(a, aShape); TFloat64 tb = tensor(b, bShape);
					Result res = s.runner().feed(pa, ta).feed(pb, tb).fetch(grads.get(0)).fetch(grads.get(1)).run()) {
				analytic[0] = values((TFloat64) res.get(0));
				analytic[1] = values((TFloat64) res.get(1));
			}
			double h = 1e-4;
			double[][] args = { a, b };
			long[][] shapes = { aShape, bShape };
			for (int which = 0; which < 2; which++) {
				double[] v = args[which];
				double[] numeric = new double[v.length];
				for (int i = 0; i < v.length; i++) {
					double keep = v[i];
					v[i] = keep + h;
					double plus = eval(s, pa, pb, loss, a, aShape, b, bShape);
					v[i] = keep - h;
					double minus = eval(s, pa, pb, loss, a, aShape, b, bShape);
					v[i] = keep;
					numeric[i] = (plus - minus) / (2 * h);
				}
				double err = relativeError(analytic[which], numeric);
				assertTrue(err < 1e-3, "relative error of the gradient w.r.t. argument " + which + " " + Arrays.toString(shapes[which])
						+ ": " + err);
				assertTrue(norm(numeric) > 1e-3, "the test must exercise a non-zero gradient");
			}
		}
	}

	private static double eval(Session s, Placeholder<TFloat64> pa, Placeholder<TFloat64> pb, Operand<TFloat64> loss, double[] a,
			long[] aShape, double[] b, long[] bShape) {
		try (TFloat64 ta = tensor(a, aShape); TFloat64 tb = tensor(b, bShape);
				Result res = s.runner().feed(pa, ta).feed(pb, tb).fetch(loss).run()) {
			return ((TFloat64) res.get(0)).getDouble();
		}
	}

	private static double relativeError(double[] a, double[] b) {
		double diff = 0;
		for (int i = 0; i < a.length; i++) diff += (a[i] - b[i]) * (a[i] - b[i]);
		return Math.sqrt(diff) / Math.max(norm(a), norm(b));
	}

	private static double norm(double[] a) {
		double s = 0;
		for (double v : a) s += v * v;
		return Math.sqrt(s);
	}

	private static double[] randoms(Random random, long[] shape) {
		long n = 1;
		for (long d : shape) n *= d;
		double[] v = new double[(int) n];
		for (int i = 0; i < v.length; i++) v[i] = random.nextGaussian();
		return v;
	}

	private static TFloat64 tensor(double[] v, long[] shape) {
		return TFloat64.tensorOf(Shape.of(shape), DataBuffers.of(v, true, false));
	}

	private static double[] values(TFloat64 t) {
		double[] v = new double[(int) t.size()];
		t.copyTo(DataBuffers.of(v, false, false));
		return v;
	}
}
