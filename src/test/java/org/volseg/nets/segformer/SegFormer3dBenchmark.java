package org.volseg.nets.segformer;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Forward-time benchmark of SegFormer3D (not a unit test): random weights, batch 1, the
 * {@code segformer3d-brats} configuration at 128^3 unless arguments say otherwise, plus a large matmul
 * for the machine's peak. Run: {@code java -cp target/classes:target/test-classes:target/lib/*
 * org.volseg.nets.segformer.SegFormer3dBenchmark [size] [runs]}.
 */
public final class SegFormer3dBenchmark {

	public static void main(String[] args) {
		int size = args.length > 0 ? Integer.parseInt(args[0]) : 128;
		int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
		SegFormer3dConfig config = SegFormer3dConfig.defaults();
		System.out.printf("matmul peak (4096^2 x 4096^2, float32): %.1f GFLOP/s%n", matmulPeak());
		Map<String, long[]> shapes = SegFormer3dKeys.required(config);
		Random random = new Random(1);
		double flops = SegFormer3dFlops.forward(config, new long[] { size, size, size });
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			Placeholder<TFloat32> x = tf.placeholder(TFloat32.class,
					Placeholder.shape(Shape.of(-1, size, size, size, config.inChannels())));
			Operand<TFloat32> y = SegFormer3dGraph.build(tf, x, config, key -> randomValues(random, key, shapes.get(key)),
					SegFormer3dGraph.CONSTANTS);
			float[] input = new float[size * size * size * config.inChannels()];
			for (int i = 0; i < input.length; i++) {
				input[i] = (float) random.nextGaussian();
			}
			double[] seconds = new double[runs];
			try (TFloat32 in = TFloat32.tensorOf(Shape.of(1, size, size, size, config.inChannels()),
					DataBuffers.of(input, true, false))) {
				for (int r = -1; r < runs; r++) {
					long t0 = System.nanoTime();
					try (Result res = s.runner().feed(x, in).fetch(y).run()) {
						if (r >= 0) {
							seconds[r] = (System.nanoTime() - t0) / 1e9;
						} else {
							System.out.printf("first run (graph optimisation included): %.2f s, output %s%n",
									(System.nanoTime() - t0) / 1e9, res.get(0).shape());
						}
					}
				}
			}
			Arrays.sort(seconds);
			double median = seconds[runs / 2];
			System.out.printf("SegFormer3D segformer3d-brats %d^3 batch 1: median %.3f s (min %.3f, max %.3f) over %d runs, "
					+ "%.1f GFLOP per forward, %.1f GFLOP/s%n", size, median, seconds[0], seconds[runs - 1], runs,
					flops / 1e9, flops / 1e9 / median);
		}
	}

	private static float[] randomValues(Random random, String key, long[] shape) {
		long n = 1;
		for (long d : shape) {
			n *= d;
		}
		float[] v = new float[(int) n];
		double std = key.endsWith(".weight") && shape.length > 1 ? Math.sqrt(1.0 / (n / shape[0])) : 0.1;
		for (int i = 0; i < v.length; i++) {
			v[i] = key.endsWith("running_var") ? 1f + random.nextFloat() : (float) (random.nextGaussian() * std);
		}
		return v;
	}

	private static double matmulPeak() {
		int n = 4096;
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			Operand<TFloat32> a = tf.random.randomStandardNormal(tf.constant(new long[] { n, n }), TFloat32.class);
			Operand<TFloat32> b = tf.variable(tf.random.randomStandardNormal(tf.constant(new long[] { n, n }), TFloat32.class));
			Operand<TFloat32> c = tf.sum(tf.linalg.matMul(a, b), tf.constant(new int[] { 0, 1 }));
			s.initialize();
			double best = 0;
			for (int r = 0; r < 4; r++) {
				long t0 = System.nanoTime();
				try (Result res = s.runner().fetch(c).run()) {
					double sec = (System.nanoTime() - t0) / 1e9;
					best = Math.max(best, 2.0 * n * n * n / sec / 1e9);
				}
			}
			return best;
		}
	}
}
