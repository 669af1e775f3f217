package org.volseg.nets.segformer;

/**
 * Transposes PyTorch parameter arrays (row-major) to the layouts TensorFlow's ops take. Done once,
 * when a graph is built from a state dict, never per patch.
 */
final class TorchLayouts {

	private TorchLayouts() {}

	/** {@code nn.Linear} weight {@code [out, in]} to a matmul right operand {@code [in, out]}. */
	static float[] linear(float[] w, int out, int in) {
		check(w, (long) out * in);
		float[] t = new float[w.length];
		for (int o = 0; o < out; o++) {
			for (int i = 0; i < in; i++) {
				t[i * out + o] = w[o * in + i];
			}
		}
		return t;
	}

	/** {@code nn.Conv3d} weight {@code [out, in, kd, kh, kw]} to TF's {@code [kd, kh, kw, in, out]}. */
	static float[] conv3d(float[] w, int out, int in, int k) {
		int k3 = k * k * k;
		check(w, (long) out * in * k3);
		float[] t = new float[w.length];
		for (int o = 0; o < out; o++) {
			for (int i = 0; i < in; i++) {
				for (int s = 0; s < k3; s++) {
					t[(s * in + i) * out + o] = w[(o * in + i) * k3 + s];
				}
			}
		}
		return t;
	}

	private static void check(float[] w, long expected) {
		if (w.length != expected) {
			throw new IllegalArgumentException("expected " + expected + " values, got " + w.length);
		}
	}
}
