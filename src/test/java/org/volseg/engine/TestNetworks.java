package org.volseg.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.volseg.model.ModelDescriptor;
import org.volseg.model.OutputActivation;

/**
 * Small networks built in Java for the engine tests: one 3x3x3 'SAME' convolution plus bias
 * ({@code [batch, x, y, z, cin] -> [batch, x, y, z, cout]}), with fixed pseudo-random weights, and
 * the same computation in plain Java as the reference.
 */
public final class TestNetworks {

	final int cin, cout, k = 3;
	final float[] kernel; // [kx, ky, kz, cin, cout]
	final float[] bias; // [cout]

	public TestNetworks(int cin, int cout, long seed) {
		this.cin = cin;
		this.cout = cout;
		Random r = new Random(seed);
		kernel = new float[k * k * k * cin * cout];
		for (int i = 0; i < kernel.length; i++)
			kernel[i] = (float) r.nextGaussian() * 0.3f;
		bias = new float[cout];
		for (int i = 0; i < cout; i++)
			bias[i] = (float) r.nextGaussian();
	}

	/** Adds the network to a graph; weights as variables or as constants. */
	Operand<TFloat32> build(Ops tf, Operand<TFloat32> input, boolean variables) {
		Operand<TFloat32> w = tf.constant(Shape.of(k, k, k, cin, cout), DataBuffers.of(kernel, true, false));
		Operand<TFloat32> b = tf.constant(Shape.of(cout), DataBuffers.of(bias, true, false));
		if (variables) {
			w = tf.variable(w);
			b = tf.variable(b);
		}
		Operand<TFloat32> conv = tf.nn.conv3d(input, w, List.of(1L, 1L, 1L, 1L, 1L), "SAME");
		return tf.withName("logits").nn.biasAdd(conv, b);
	}

	/** The descriptor of the package {@link #export} writes. */
	public ModelDescriptor descriptor(int px, int py, int pz, boolean fixedPatch) {
		ModelDescriptor.Builder b = ModelDescriptor.builder().name("conv3d test " + cin + "->" + cout)
				.description("One fixed 3x3x3 convolution plus bias (engine test network)")
				.author("VolSeg tests", null).inputChannels(cin).patchSize(px, py, pz).fixedPatchSize(fixedPatch)
				.outputActivation(OutputActivation.NONE).targetSpacingMm(1.5, 1.5, 2.0).targetOrientation("RAS");
		for (int c = 0; c < cout; c++)
			b.addClass(c, "class" + c, 40 * c, 255 - 40 * c, 128);
		return b.build();
	}

	/**
	 * Exports the network as a model package.
	 *
	 * @param fixedPatch whether the SavedModel's input has a fixed spatial size (else any size)
	 */
	public Path export(Path dir, int px, int py, int pz, boolean fixedPatch, boolean variables) throws IOException {
		ModelDescriptor d = descriptor(px, py, pz, fixedPatch);
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			Shape shape = fixedPatch ? Shape.of(-1, px, py, pz, cin) : Shape.of(-1, -1, -1, -1, cin);
			Placeholder<TFloat32> in = tf.withName("input").placeholder(TFloat32.class, Placeholder.shape(shape));
			Operand<TFloat32> out = build(tf, in, variables);
			if (variables)
				s.initialize();
			return ModelPackageWriter.write(d, s, in, out, dir, false);
		}
	}

	/** The plain-Java reference: zero-padded 3x3x3 convolution plus bias, channels-last. */
	public float[] reference(float[] in, int batch, int nx, int ny, int nz) {
		float[] out = new float[batch * nx * ny * nz * cout];
		for (int b = 0; b < batch; b++)
			for (int x = 0; x < nx; x++)
				for (int y = 0; y < ny; y++)
					for (int z = 0; z < nz; z++)
						for (int o = 0; o < cout; o++) {
							double sum = bias[o];
							for (int dx = 0; dx < k; dx++)
								for (int dy = 0; dy < k; dy++)
									for (int dz = 0; dz < k; dz++) {
										int xx = x + dx - 1, yy = y + dy - 1, zz = z + dz - 1;
										if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz)
											continue;
										for (int c = 0; c < cin; c++)
											sum += in[(((b * nx + xx) * ny + yy) * nz + zz) * cin + c]
													* kernel[(((dx * k + dy) * k + dz) * cin + c) * cout + o];
									}
							out[(((b * nx + x) * ny + y) * nz + z) * cout + o] = (float) sum;
						}
		return out;
	}

	public static float[] randomInput(int n, long seed) {
		Random r = new Random(seed);
		float[] a = new float[n];
		for (int i = 0; i < n; i++)
			a[i] = (float) r.nextGaussian();
		return a;
	}
}
