package org.volseg.train;

import java.util.List;

import net.imglib2.Cursor;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.volseg.tiling.BlendMode;
import org.volseg.runtime.PatchPredictor;
import org.volseg.tiling.Finalizer;
import org.volseg.tiling.SlidingWindowInference;
import org.volseg.tiling.TilePlan;
import org.volseg.tiling.TilePlanner;
import org.volseg.tiling.VolumeAssembler;
import org.volseg.tiling.SlidingWindowSettings;
import org.volseg.volume.Volume;

/**
 * Validation of the network being trained: sliding-window inference over each whole validation
 * volume on the model grid ({@link SlidingWindowInference}, the patch size, overlap 0.25, gaussian
 * blending, argmax), then the Dice coefficient of each class against the labels on that grid.
 * Stateless.
 */
final class Validation {

	/** Overlap of neighbouring windows during validation. */
	public static final double OVERLAP = 0.25;

	private Validation() {
	}

	/**
	 * Per-class Dice averaged over the cases: {@code dice[k]} for class k (index 0 is background),
	 * NaN for a class that is absent from both reference and prediction in every case. A case where a
	 * class is absent from both does not count for that class.
	 */
	public static double[] dice(TrainingGraph graph, List<TrainingCase> cases, int batch) {
		int classes = graph.network().outputChannels();
		double[] sum = new double[classes];
		int[] n = new int[classes];
		for (TrainingCase tc : cases) {
			byte[] predicted = predict(graph, tc, batch);
			double[] d = dice(tc.labels(), predicted, classes);
			for (int k = 0; k < classes; k++) {
				if (!Double.isNaN(d[k])) {
					sum[k] += d[k];
					n[k]++;
				}
			}
		}
		double[] mean = new double[classes];
		for (int k = 0; k < classes; k++) mean[k] = n[k] == 0 ? Double.NaN : sum[k] / n[k];
		return mean;
	}

	/** Argmax labels of the whole case, flat as {@link TrainingCase#labels()}. */
	public static byte[] predict(TrainingGraph graph, TrainingCase tc, int batch) {
		int[] d = tc.dims();
		long[] dims = tc.channels() == 1 ? new long[] { d[0], d[1], d[2] } : new long[] { d[0], d[1], d[2], tc.channels() };
		Volume input = new Volume(ArrayImgs.floats(tc.image(), dims), tc.geometry());
		SlidingWindowSettings settings = SlidingWindowSettings.builder(graph.patchSize()).overlap(OVERLAP).batch(batch)
				.blend(BlendMode.GAUSSIAN).build();
		PatchPredictor predictor = new PatchPredictor() {
			@Override
			public int inputChannels() {
				return tc.channels();
			}

			@Override
			public int outputChannels() {
				return graph.network().outputChannels();
			}

			@Override
			public float[] predict(float[] patches, int n, int[] patchSize) {
				return graph.predict(patches, n);
			}
		};
		VolumeAssembler assembler = VolumeAssembler.floats(Finalizer.argmax(), predictor.outputChannels(),
				input.dimensions(), input.geometry());
		List<VolumeAssembler> outputs = List.of(assembler);
		TilePlan plan = TilePlanner.plan(input.dimensions(), settings, predictor.outputChannels(), outputs);
		new SlidingWindowInference(settings).run(input, plan, predictor, outputs);
		Volume labels = assembler.volume();
		byte[] out = new byte[tc.voxelCount()];
		int i = 0;
		Cursor<FloatType> c = Views.flatIterable(labels.voxels()).cursor();
		while (c.hasNext()) out[i++] = (byte) Math.round(c.next().get());
		return out;
	}

	/** Dice of each class 0..classes-1; NaN where the class is in neither map. */
	public static double[] dice(byte[] reference, byte[] predicted, int classes) {
		long[] both = new long[classes];
		long[] ref = new long[classes];
		long[] pred = new long[classes];
		for (int i = 0; i < reference.length; i++) {
			ref[reference[i]]++;
			pred[predicted[i]]++;
			if (reference[i] == predicted[i]) both[reference[i]]++;
		}
		double[] d = new double[classes];
		for (int k = 0; k < classes; k++) {
			long denom = ref[k] + pred[k];
			d[k] = denom == 0 ? Double.NaN : 2.0 * both[k] / denom;
		}
		return d;
	}

	/** Mean of the foreground classes (1..K-1) that are not NaN. */
	public static double meanForeground(double[] dice) {
		double s = 0;
		int n = 0;
		for (int k = 1; k < dice.length; k++) {
			if (!Double.isNaN(dice[k])) {
				s += dice[k];
				n++;
			}
		}
		return n == 0 ? Double.NaN : s / n;
	}
}
