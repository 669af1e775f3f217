package org.volseg.tiling;

import org.volseg.runtime.ForwardingPatchPredictor;
import org.volseg.runtime.PatchPredictor;

/** Plain-Java {@link PatchPredictor}s with outputs known in advance. */
public final class FakePredictors {

	private FakePredictors() {
	}

	/** Output = input plus {@code add}, channel by channel. */
	static PatchPredictor shift(int channels, float add) {
		return new PatchPredictor() {
			@Override
			public int inputChannels() {
				return channels;
			}

			@Override
			public int outputChannels() {
				return channels;
			}

			@Override
			public float[] predict(float[] patches, int batch, int[] size) {
				float[] out = new float[patches.length];
				for (int i = 0; i < out.length; i++)
					out[i] = patches[i] + add;
				return out;
			}
		};
	}

	static PatchPredictor identity(int channels) {
		return shift(channels, 0);
	}

	/** {@code predictor}, handing every input batch to {@code seen} (with its batch size and patch size) first. */
	static PatchPredictor recording(PatchPredictor predictor, Seen seen) {
		return new ForwardingPatchPredictor(predictor) {
			@Override
			public float[] predict(float[] patches, int batch, int[] size, float[] reuse) {
				seen.batch(patches, batch, size);
				return predictor.predict(patches, batch, size, reuse);
			}
		};
	}

	/** What {@link #recording} tells about each call. */
	interface Seen {
		void batch(float[] patches, int batch, int[] size);
	}

	/** Class {@code c} has value {@code values[c]} everywhere, whatever the input. */
	public static PatchPredictor constantPerClass(float... values) {
		return new PatchPredictor() {
			@Override
			public int inputChannels() {
				return 1;
			}

			@Override
			public int outputChannels() {
				return values.length;
			}

			@Override
			public float[] predict(float[] patches, int batch, int[] size) {
				float[] out = new float[patches.length * values.length];
				for (int i = 0; i < out.length; i++)
					out[i] = values[i % values.length];
				return out;
			}
		};
	}

	/**
	 * Three classes that depend on the input, on the voxel's place in the window and on the patch
	 * mean, so that blending, window placement and padding all show in the result.
	 */
	static PatchPredictor windowDependent() {
		return new PatchPredictor() {
			@Override
			public int inputChannels() {
				return 1;
			}

			@Override
			public int outputChannels() {
				return 3;
			}

			@Override
			public float[] predict(float[] patches, int batch, int[] size) {
				int n = size[0] * size[1] * size[2];
				float[] out = new float[patches.length * 3];
				for (int b = 0; b < batch; b++) {
					double mean = 0;
					for (int i = 0; i < n; i++)
						mean += patches[b * n + i];
					mean /= n;
					for (int x = 0, i = 0; x < size[0]; x++)
						for (int y = 0; y < size[1]; y++)
							for (int z = 0; z < size[2]; z++, i++) {
								float v = patches[b * n + i];
								int o = (b * n + i) * 3;
								out[o] = (float) Math.sin(v);
								out[o + 1] = (float) (0.1 * x - 0.05 * y + 0.02 * z + mean);
								out[o + 2] = v * v * 0.01f - (float) mean;
							}
				}
				return out;
			}
		};
	}

	/** Output channels 0, 1, 2 = the voxel's x, y, z position in its window (to see where windows were placed). */
	static PatchPredictor positionInWindow() {
		return new PatchPredictor() {
			@Override
			public int inputChannels() {
				return 1;
			}

			@Override
			public int outputChannels() {
				return 3;
			}

			@Override
			public float[] predict(float[] patches, int batch, int[] size) {
				float[] out = new float[patches.length * 3];
				int i = 0;
				for (int b = 0; b < batch; b++)
					for (int x = 0; x < size[0]; x++)
						for (int y = 0; y < size[1]; y++)
							for (int z = 0; z < size[2]; z++) {
								out[i++] = x;
								out[i++] = y;
								out[i++] = z;
							}
				return out;
			}
		};
	}

	/**
	 * The same outputs as {@code predictor}, written into the caller's {@code reuse} array when it
	 * offers one (as the engine does); counts the calls that got one.
	 */
	static final class Reusing implements PatchPredictor {
		private final PatchPredictor predictor;
		final java.util.concurrent.atomic.AtomicInteger reused = new java.util.concurrent.atomic.AtomicInteger();
		final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

		Reusing(PatchPredictor predictor) {
			this.predictor = predictor;
		}

		@Override
		public int inputChannels() {
			return predictor.inputChannels();
		}

		@Override
		public int outputChannels() {
			return predictor.outputChannels();
		}

		@Override
		public float[] predict(float[] patches, int batch, int[] size) {
			return predict(patches, batch, size, null);
		}

		@Override
		public float[] predict(float[] patches, int batch, int[] size, float[] reuse) {
			calls.incrementAndGet();
			float[] out = predictor.predict(patches, batch, size);
			if (reuse == null || reuse.length != out.length)
				return out;
			reused.incrementAndGet();
			System.arraycopy(out, 0, reuse, 0, out.length);
			return reuse;
		}
	}
}
