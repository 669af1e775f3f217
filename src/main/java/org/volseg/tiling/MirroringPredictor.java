package org.volseg.tiling;

import org.volseg.runtime.ForwardingPatchPredictor;
import org.volseg.runtime.PatchPredictor;

import java.util.Objects;

/**
 * A {@link PatchPredictor} that averages another predictor's raw outputs over flipped copies of each
 * batch ({@link Mirroring}): for every combination of flips it flips the patches, predicts, flips the
 * output back and adds it; the sum is divided by the number of combinations. The average is of the
 * raw outputs (logits), before any activation, as nnU-Net averages its mirrored predictions.
 *
 * <p>Memory: besides the wrapped predictor's own arrays, one flipped input batch and one output batch,
 * recycled between calls; nothing of the size of the volume. Not thread-safe, like any predictor: the
 * sliding window calls it from one thread.</p>
 */
final class MirroringPredictor extends ForwardingPatchPredictor {

	private final Mirroring mirroring;
	private float[] flippedInput;
	private float[] flippedOutput;

	/**
	 * @param predictor the network; called {@link Mirroring#runs()} times per batch
	 * @param mirroring the axes to flip; must be {@link Mirroring#enabled() enabled}
	 */
	MirroringPredictor(PatchPredictor predictor, Mirroring mirroring) {
		super(predictor);
		this.mirroring = Objects.requireNonNull(mirroring, "mirroring");
		if (!mirroring.enabled())
			throw new IllegalArgumentException("no axis to flip");
	}

	@Override
	public float[] predict(float[] patches, int batch, int[] patchSize, float[] reuse) {
		float[] sum = predictor.predict(patches, batch, patchSize, reuse);
		if (sum == patches) // a predictor may hand its input back: the sum must not alias it
			sum = sum.clone();
		int combinations = 1 << 3;
		for (int mask = 1; mask < combinations; mask++) {
			if (!usable(mask))
				continue;
			boolean[] flip = { (mask & 1) != 0, (mask & 2) != 0, (mask & 4) != 0 };
			flippedInput = sized(flippedInput, patches.length);
			flip(patches, flippedInput, batch, patchSize, inputChannels(), flip, false);
			float[] out = predictor.predict(flippedInput, batch, patchSize.clone(), flippedOutput);
			if (out.length != sum.length)
				return out; // the sliding window reports the wrong size, naming the predictor
			flip(out, sum, batch, patchSize, outputChannels(), flip, true);
			if (out != flippedInput)
				flippedOutput = out;
		}
		float scale = 1f / mirroring.runs();
		for (int i = 0; i < sum.length; i++)
			sum[i] *= scale;
		return sum;
	}

	/** Whether a flip combination uses only axes the mirroring allows. */
	private boolean usable(int mask) {
		for (int axis = 0; axis < 3; axis++)
			if ((mask & (1 << axis)) != 0 && !mirroring.flips(axis))
				return false;
		return true;
	}

	private static float[] sized(float[] array, int length) {
		return array != null && array.length == length ? array : new float[length];
	}

	/**
	 * Copies (or, with {@code add}, adds) {@code from} into {@code to} flipped along the chosen axes;
	 * layout {@code [batch, x, y, z, channel]}, channels-last. A flip is its own inverse, so the same
	 * call flips a patch and flips an output back.
	 */
	static void flip(float[] from, float[] to, int batch, int[] size, int channels, boolean[] flip, boolean add) {
		int sx = size[0], sy = size[1], sz = size[2];
		int rowLength = sz * channels;
		for (int b = 0; b < batch; b++) {
			int patchBase = b * sx * sy * rowLength;
			for (int x = 0; x < sx; x++) {
				int fx = flip[0] ? sx - 1 - x : x;
				for (int y = 0; y < sy; y++) {
					int fy = flip[1] ? sy - 1 - y : y;
					int src = patchBase + (x * sy + y) * rowLength;
					int dst = patchBase + (fx * sy + fy) * rowLength;
					for (int z = 0; z < sz; z++) {
						int fz = flip[2] ? sz - 1 - z : z;
						int s = src + z * channels, d = dst + fz * channels;
						for (int c = 0; c < channels; c++) {
							if (add)
								to[d + c] += from[s + c];
							else
								to[d + c] = from[s + c];
						}
					}
				}
			}
		}
	}
}
