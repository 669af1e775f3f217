package org.volseg.tiling;

import org.volseg.runtime.PatchPredictor;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.volseg.tiling.TilingTestSupport.get;
import static org.volseg.tiling.TilingTestSupport.randomVolume;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.volseg.volume.Volume;

/**
 * The streaming, pipelined inference against a straight transcription of MONAI's
 * {@code sliding_window_inference} written in this test without any {@code org.volseg.tiling}
 * code: numpy-style padding of the whole volume, windows enumerated with d0 slowest, batches in
 * that order, a float32 importance map built as {@code compute_importance_map} does, whole-volume
 * float32 output and count maps, division, crop.
 */
class MonaiReferenceTest {

	/** MONAI on a single-channel volume, d0, d1, d2 = x, y, z; returns [class][x][y][z]. */
	private static float[][][][] monai(float[][][] image, int[] roi, int swBatch, PatchPredictor predictor,
			double overlap, String mode, double sigmaScale, String paddingMode, float cval) {
		int[] size = { image.length, image[0].length, image[0][0].length };
		int[] padded = new int[3], before = new int[3];
		for (int d = 0; d < 3; d++) {
			int diff = Math.max(roi[d] - size[d], 0);
			before[d] = diff / 2;
			padded[d] = size[d] + diff;
		}
		float[][][] in = new float[padded[0]][padded[1]][padded[2]];
		for (int x = 0; x < padded[0]; x++)
			for (int y = 0; y < padded[1]; y++)
				for (int z = 0; z < padded[2]; z++) {
					int i = source(x - before[0], size[0], paddingMode), j = source(y - before[1], size[1], paddingMode),
							k = source(z - before[2], size[2], paddingMode);
					in[x][y][z] = i < 0 || j < 0 || k < 0 ? cval : image[i][j][k];
				}
		// _get_scan_interval and dense_patch_slices
		List<List<Integer>> starts = new ArrayList<>();
		for (int d = 0; d < 3; d++) {
			int interval = roi[d] == padded[d] ? roi[d] : Math.max((int) (roi[d] * (1 - overlap)), 1);
			int num = (int) Math.ceil((double) padded[d] / interval);
			int scanNum = 1;
			for (int i = 0; i < num; i++)
				if (i * interval + roi[d] >= padded[d]) {
					scanNum = i + 1;
					break;
				}
			List<Integer> s = new ArrayList<>();
			for (int i = 0; i < scanNum; i++)
				s.add(i * interval - Math.max(i * interval + roi[d] - padded[d], 0));
			starts.add(s);
		}
		List<int[]> windows = new ArrayList<>(); // meshgrid(indexing="ij"): d0 slowest
		for (int a : starts.get(0))
			for (int b : starts.get(1))
				for (int c : starts.get(2))
					windows.add(new int[] { a, b, c });
		float[][][] importance = importance(roi, mode, sigmaScale);
		int classes = predictor.outputChannels();
		float[][][][] out = new float[classes][padded[0]][padded[1]][padded[2]];
		float[][][] count = new float[padded[0]][padded[1]][padded[2]];
		int n = roi[0] * roi[1] * roi[2];
		for (int g = 0; g < windows.size(); g += swBatch) {
			int batch = Math.min(swBatch, windows.size() - g);
			float[] data = new float[batch * n];
			for (int b = 0, i = 0; b < batch; b++) {
				int[] w = windows.get(g + b);
				for (int x = 0; x < roi[0]; x++)
					for (int y = 0; y < roi[1]; y++)
						for (int z = 0; z < roi[2]; z++)
							data[i++] = in[w[0] + x][w[1] + y][w[2] + z];
			}
			float[] pred = predictor.predict(data, batch, roi.clone());
			for (int b = 0, i = 0; b < batch; b++) {
				int[] w = windows.get(g + b);
				for (int x = 0; x < roi[0]; x++)
					for (int y = 0; y < roi[1]; y++)
						for (int z = 0; z < roi[2]; z++) {
							float m = importance[x][y][z];
							for (int c = 0; c < classes; c++)
								out[c][w[0] + x][w[1] + y][w[2] + z] += m * pred[i++];
							count[w[0] + x][w[1] + y][w[2] + z] += m;
						}
			}
		}
		float[][][][] cropped = new float[classes][size[0]][size[1]][size[2]];
		for (int c = 0; c < classes; c++)
			for (int x = 0; x < size[0]; x++)
				for (int y = 0; y < size[1]; y++)
					for (int z = 0; z < size[2]; z++) {
						int px = x + before[0], py = y + before[1], pz = z + before[2];
						cropped[c][x][y][z] = out[c][px][py][pz] / count[px][py][pz];
					}
		return cropped;
	}

	/** Index into the unpadded axis for numpy's pad modes; -1 for a constant-padded voxel. */
	private static int source(int i, int n, String mode) {
		if (i >= 0 && i < n)
			return i;
		switch (mode) {
		case "constant":
			return -1;
		case "replicate":
			return i < 0 ? 0 : n - 1;
		case "reflect":
			if (n == 1)
				return 0;
			int period = 2 * (n - 1);
			int j = Math.floorMod(i, period);
			return j < n ? j : period - j;
		default:
			throw new IllegalArgumentException(mode);
		}
	}

	/** compute_importance_map in float32, then the clamp of sliding_window_inference. */
	private static float[][][] importance(int[] roi, String mode, double sigmaScale) {
		float[][][] m = new float[roi[0]][roi[1]][roi[2]];
		float[][] g = new float[3][];
		for (int d = 0; d < 3; d++) {
			g[d] = new float[roi[d]];
			double sigma = roi[d] * sigmaScale;
			for (int i = 0; i < roi[d]; i++) {
				float x = (float) (-(roi[d] - 1) / 2.0 + i);
				g[d][i] = mode.equals("gaussian") ? (float) Math.exp(x * x / (-2 * sigma * sigma)) : 1f;
			}
		}
		float min = Float.MAX_VALUE;
		for (int x = 0; x < roi[0]; x++)
			for (int y = 0; y < roi[1]; y++)
				for (int z = 0; z < roi[2]; z++) {
					m[x][y][z] = g[0][x] * g[1][y] * g[2][z];
					min = Math.min(min, m[x][y][z]);
				}
		float floor = (float) Math.max(min, 1e-3);
		for (float[][] a : m)
			for (float[] b : a)
				for (int z = 0; z < b.length; z++)
					b[z] = Math.max(b[z], floor);
		return m;
	}

	@Test
	void pipelinedStreamingInferenceEqualsMonaisAlgorithm() {
		String[] modes = { "constant", "replicate", "reflect" };
		Padding[] paddings = { Padding.constant(1.5), Padding.edge(), Padding.reflect() };
		long[][] shapes = { { 23, 17, 19 }, { 6, 30, 4 }, { 2, 3, 1 } };
		int[][] rois = { { 8, 6, 10 }, { 12, 8, 7 } };
		PatchPredictor p = FakePredictors.windowDependent();
		int run = 0;
		for (long[] shape : shapes)
			for (int[] roi : rois)
				for (double overlap : new double[] { 0, 0.25, 0.5, 0.75 })
					for (String blend : new String[] { "constant", "gaussian" }) {
						int m = run % 3, batch = 1 + run % 4;
						run++;
						Volume v = randomVolume(run, shape);
						float[][][] image = new float[(int) shape[0]][(int) shape[1]][(int) shape[2]];
						for (int x = 0; x < shape[0]; x++)
							for (int y = 0; y < shape[1]; y++)
								for (int z = 0; z < shape[2]; z++)
									image[x][y][z] = get(v.voxels(), x, y, z);
						float[][][][] expected = monai(image, roi, batch, p, overlap, blend, 0.2, modes[m], 1.5f);
						SlidingWindowSettings s = SlidingWindowSettings.builder(roi).overlap(overlap).batch(batch)
								.blend(BlendMode.parse("mode", blend)).sigmaScale(0.2).padding(paddings[m]).build();
						Volume actual = TilingTestSupport.run(new SlidingWindowInference(s), v, p, Finalizer.raw());
						double max = 0;
						for (int c = 0; c < 3; c++)
							for (int x = 0; x < shape[0]; x++)
								for (int y = 0; y < shape[1]; y++)
									for (int z = 0; z < shape[2]; z++)
										max = Math.max(max, Math.abs(expected[c][x][y][z] - get(actual.voxels(), x, y, z, c)));
						double diff = max;
						assertTrue(diff < 1e-5, () -> s + " on " + shape[0] + "x" + shape[1] + "x" + shape[2] + ": " + diff);
					}
	}
}
